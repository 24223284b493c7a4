import { APP_SCRIPT, AppProps, DEFAULT_APP, DEFAULT_NAMED_APP, NamedAppProps } from "../../workload/apps";
import { appHealthPath, renderNginxConfig } from "../../workload/nginx-config";
import { staticSiteFiles } from "../../workload/static-site";
import { freeLoopbackPorts } from "./support/free-ports";
import { HttpResponse, get, waitFor } from "./support/http";
import { findNginx } from "./support/nginx-binary";
import { NginxSandbox } from "./support/nginx-sandbox";
import { TestProcess } from "./support/processes";

/**
 * The web tier on one host, as on the instance: a real nginx running the generated config in
 * front of both generated apps, all on 127.0.0.1 ports the OS picked.
 */
describe("web tier on loopback", () => {
  const NAMED_HOST = DEFAULT_NAMED_APP.serverName;
  let sandbox: NginxSandbox | undefined;
  let nginxPort = 0;
  let defaultApp: AppProps;
  let namedApp: NamedAppProps;
  const processes = new Map<string, TestProcess>();

  /** A bounded wait whose failure shows what each process printed and nginx's error log. */
  async function waitOrExplain(what: string, probe: () => Promise<boolean>, timeoutMs?: number): Promise<void> {
    try {
      await waitFor(what, probe, timeoutMs);
    } catch (error) {
      const outputs = [...processes.values()].map((proc) => proc.describe()).join("\n");
      throw new Error(`${(error as Error).message}\n${outputs}\nnginx error log:\n${sandbox?.errorLog()}`, { cause: error });
    }
  }

  /** Starts an app the way its systemd unit does: the shared script, named by the environment. */
  function startApp(app: AppProps): Promise<void> {
    const scriptPath = `${sandbox!.root}/app.js`;
    const proc = new TestProcess(app.name, process.execPath, [scriptPath], {
      APP_NAME: app.name,
      PORT: String(app.port),
    });
    processes.set(app.name, proc);
    return waitOrExplain(`${app.name} to answer on port ${app.port}`, async () => (await get(app.port, "/health")).status === 200);
  }

  async function request(path: string, host: string, headers: Record<string, string> = {}): Promise<HttpResponse> {
    return get(nginxPort, path, { host, ...headers });
  }

  beforeAll(async () => {
    // GIVEN nginx and both apps, each on a free loopback port, files in a temporary directory
    const nginx = findNginx();
    sandbox = new NginxSandbox(nginx);
    const [listenPort, portA, portB] = await freeLoopbackPorts(3);
    nginxPort = listenPort;
    defaultApp = { ...DEFAULT_APP, port: portA };
    namedApp = { ...DEFAULT_NAMED_APP, port: portB };

    sandbox.write([{ path: `${sandbox.root}/app.js`, content: APP_SCRIPT }, ...staticSiteFiles(sandbox.paths)]);
    sandbox.writeConfig(renderNginxConfig({ defaultApp, namedApp, listenPort, ...sandbox.paths }));

    await Promise.all([startApp(defaultApp), startApp(namedApp)]);
    processes.set("nginx", new TestProcess("nginx", nginx.binary, sandbox.nginxArgs("-g", "daemon off;")));
    await waitOrExplain(`nginx to answer on port ${nginxPort}`, async () => (await request("/index.html", "127.0.0.1")).status === 200);
  }, 12_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((proc) => proc.stop()));
    sandbox?.remove();
  }, 10_000);

  function json(response: HttpResponse): Record<string, unknown> {
    expect({ status: response.status, type: response.headers["content-type"] }).toEqual({
      status: 200,
      type: "application/json",
    });
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  test("the default server sends requests by IP to app A, with the client's address", async () => {
    // WHEN a client asks by the instance's address
    const host = `127.0.0.1:${nginxPort}`;
    const answer = json(await request("/orders?id=1", host));
    // THEN app A answers and sees what nginx passed on
    expect(answer).toEqual({
      app: "aws-exercise-a",
      path: "/orders?id=1",
      host,
      "x-real-ip": "127.0.0.1",
      "x-forwarded-for": "127.0.0.1",
    });
  });

  test("the default server also catches host names no server_name matches", async () => {
    expect(json(await request("/", "unknown.example.internal")).app).toBe("aws-exercise-a");
  });

  test("the named server sends requests for its DNS name to app B", async () => {
    expect(json(await request("/", NAMED_HOST))).toEqual({
      app: "aws-exercise-b",
      path: "/",
      host: NAMED_HOST,
      "x-real-ip": "127.0.0.1",
      "x-forwarded-for": "127.0.0.1",
    });
  });

  test("X-Forwarded-For keeps the addresses earlier proxies added", async () => {
    const answer = json(await request("/", NAMED_HOST, { "x-forwarded-for": "203.0.113.7" }));
    expect(answer["x-forwarded-for"]).toBe("203.0.113.7, 127.0.0.1");
  });

  test("files under the static root are served by nginx itself", async () => {
    const response = await request("/index.html", "127.0.0.1");
    expect(response.status).toBe(200);
    expect(response.body).toContain("Served by nginx from the static root.");
  });

  test.each(["/album/", "/album/index.html", "/signin/", "/signin/index.html"])("%s is served from the pages root", async (path) => {
    const response = await request(path, "127.0.0.1");
    expect(response.status).toBe(200);
    expect(response.body).toContain("Served by nginx from the pages root.");
  });

  test("a page section without its trailing slash redirects relatively, whatever port nginx has", async () => {
    const response = await request("/signin", "127.0.0.1");
    expect({ status: response.status, location: response.headers.location }).toEqual({
      status: 301,
      location: "/signin/",
    });
  });

  test("paths that merely contain a section name stay with the app", async () => {
    expect(json(await request("/api/albums", "127.0.0.1")).app).toBe("aws-exercise-a");
  });

  test("/health answers 200 from each app through its server", async () => {
    for (const host of ["127.0.0.1", NAMED_HOST]) {
      const response = await request("/health", host);
      expect({ host, status: response.status, body: response.body }).toEqual({ host, status: 200, body: "ok\n" });
    }
  });

  test("/health/<app> on the default server is each app's own check", async () => {
    for (const app of [defaultApp, namedApp]) {
      const response = await request(appHealthPath(app), "127.0.0.1");
      expect({ path: appHealthPath(app), status: response.status, body: response.body }).toEqual({ path: appHealthPath(app), status: 200, body: "ok\n" });
    }
  });

  test("the load balancer's /health fails while app B is down, though app A answers, and recovers", async () => {
    // GIVEN app B, which only the named server reaches, stops
    await processes.get(namedApp.name)!.stop();

    // WHEN the load balancer checks the instance through the default server
    const started = Date.now();
    const down = await request("/health", "127.0.0.1");
    // THEN the instance is unhealthy at once, though app A itself still answers
    expect({ status: down.status, fast: Date.now() - started < 1000 }).toEqual({ status: 500, fast: true });
    expect((await request(appHealthPath(defaultApp), "127.0.0.1")).status).toBe(200);

    // WHEN app B is back, THEN so is the instance
    await startApp(namedApp);
    await waitOrExplain("/health to answer 200 again", async () => (await request("/health", "127.0.0.1")).status === 200, 3000);
  }, 12_000);

  test("the load balancer's /health fails within the check's timeout while app B hangs, and recovers", async () => {
    // GIVEN app B hangs: its process is frozen, so connections are accepted but never answered
    const appB = processes.get(namedApp.name)!;
    appB.signal("SIGSTOP");
    try {
      // WHEN the load balancer checks the instance (its timeout: 2 s)
      const started = Date.now();
      const hung = await request("/health", "127.0.0.1");
      const elapsed = Date.now() - started;
      // THEN nginx gives up on app B and answers an error before the load balancer would
      expect({ status: hung.status, withinTimeout: elapsed < 2000 }).toEqual({ status: 500, withinTimeout: true });
      expect(sandbox!.errorLog()).toMatch(/upstream timed out .*subrequest: "\/health\/aws-exercise-b"/);
    } finally {
      appB.signal("SIGCONT");
    }
    await waitOrExplain("/health to answer 200 after app B resumed", async () => (await request("/health", "127.0.0.1")).status === 200, 3000);
  }, 12_000);

  test("/health fails fast while app A is down, and recovers when it is back", async () => {
    // GIVEN app A stops
    await processes.get(defaultApp.name)!.stop();

    // WHEN the load balancer checks the instance
    const started = Date.now();
    const down = await request("/health", "127.0.0.1");
    // THEN nginx answers 502 at once, and app B on the same instance is unaffected
    expect({ status: down.status, fast: Date.now() - started < 1000 }).toEqual({ status: 502, fast: true });
    expect((await request("/health", NAMED_HOST)).status).toBe(200);

    // WHEN app A is started again
    await startApp(defaultApp);
    // THEN the health check passes again through nginx
    await waitOrExplain("/health through nginx to answer 200 again", async () => (await request("/health", "127.0.0.1")).status === 200, 3000);
  }, 12_000);
});
