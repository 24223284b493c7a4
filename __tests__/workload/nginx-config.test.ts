import { spawnSync } from "node:child_process";
import { DEFAULT_APP, DEFAULT_NAMED_APP } from "../../workload/apps";
import { NginxConfigProps, renderNginxConfig } from "../../workload/nginx-config";
import { findNginx } from "./support/nginx-binary";
import { NginxSandbox } from "./support/nginx-sandbox";

const apps = { defaultApp: DEFAULT_APP, namedApp: DEFAULT_NAMED_APP };

describe("renderNginxConfig", () => {
  describe("with production defaults", () => {
    // GIVEN only the apps
    // WHEN rendering
    const conf = renderNginxConfig(apps);

    test("runs as the course does: worker_processes auto, 1024 connections, workers as nginx", () => {
      // THEN
      expect(conf).toMatch(/^user nginx;$/m);
      expect(conf).toMatch(/^worker_processes auto;$/m);
      expect(conf).toMatch(/^ {4}worker_connections 1024;$/m);
    });

    test("uses the Amazon Linux 2023 package's paths", () => {
      expect(conf).toContain("pid /run/nginx.pid;");
      expect(conf).toContain("error_log /var/log/nginx/error.log;");
      expect(conf).toContain("access_log /var/log/nginx/access.log;");
      expect(conf).toContain("include /etc/nginx/mime.types;");
      expect(conf).toContain("proxy_temp_path /var/lib/nginx/tmp/proxy;");
      expect(conf).toContain("root /usr/share/nginx/html;");
      expect(conf).toContain("root /usr/share/nginx/pages;");
    });

    test("proxies each app on loopback through an upstream, passing on the client", () => {
      expect(conf).toContain("upstream aws-exercise-a {\n        server 127.0.0.1:8080;");
      expect(conf).toContain("upstream aws-exercise-b {\n        server 127.0.0.1:8081;");
      expect(conf).toContain("proxy_set_header Host $http_host;");
      expect(conf).toContain("proxy_set_header X-Real-IP $remote_addr;");
      expect(conf).toContain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;");
      expect(conf).toContain("proxy_connect_timeout 2s;");
    });

    test("chooses the app by server_name: catch-all default server for A, DNS name for B", () => {
      expect(conf).toContain("listen 80 default_server;\n        server_name _;");
      expect(conf).toContain("listen 80;\n        server_name app-b.example.internal;");
    });

    test("serves the course's album and signin pages from their own root", () => {
      expect(conf).toContain("location ~* ^/(album|signin)(/|$) {\n            root /usr/share/nginx/pages;");
    });

    test("the default server's /health (the load balancer's) requires both apps; the named server's is app B's", () => {
      expect(conf).toContain("location = /health {\n            auth_request /health/aws-exercise-b;\n            proxy_pass http://aws-exercise-a/health;");
      expect(conf).toContain("location = /health/aws-exercise-a {\n            proxy_pass http://aws-exercise-a/health;");
      expect(conf).toContain("location = /health/aws-exercise-b {\n            proxy_pass http://aws-exercise-b/health;");
      expect(conf).toContain("server_name app-b.example.internal;\n\n        location = /health {\n            proxy_pass http://aws-exercise-b/health;");
    });
  });

  test("fails when an app port is out of range", () => {
    expect(() => renderNginxConfig({ ...apps, defaultApp: { name: "aws-exercise-a", port: 70000 } })).toThrow(
      "defaultApp.port (70000) must be an integer from 1 to 65535",
    );
  });

  test("fails when the listen port is not an integer", () => {
    expect(() => renderNginxConfig({ ...apps, listenPort: 80.5 })).toThrow(/listenPort \(80\.5\) must be an integer/);
  });

  test("fails when two listeners share a port", () => {
    expect(() => renderNginxConfig({ ...apps, namedApp: { ...DEFAULT_NAMED_APP, port: DEFAULT_APP.port } })).toThrow(
      "namedApp.port (8080) must differ from defaultApp.port (8080)",
    );
    expect(() => renderNginxConfig({ ...apps, listenPort: 8080 })).toThrow("defaultApp.port (8080) must differ from listenPort (8080)");
  });

  test("fails when the named server is not a DNS name", () => {
    expect(() => renderNginxConfig({ ...apps, namedApp: { ...DEFAULT_NAMED_APP, serverName: "app_b;.internal" } })).toThrow(
      /namedApp.serverName \("app_b;\.internal"\) must be a DNS name/,
    );
  });

  test("fails when both apps have the same name", () => {
    expect(() => renderNginxConfig({ ...apps, namedApp: { ...DEFAULT_NAMED_APP, name: DEFAULT_APP.name } })).toThrow(
      /namedApp.name \("aws-exercise-a"\) must differ from defaultApp.name/,
    );
  });

  test("fails when an app name cannot name a unit, a user and an upstream", () => {
    expect(() => renderNginxConfig({ ...apps, defaultApp: { name: "App A", port: 8080 } })).toThrow(
      /defaultApp.name \("App A"\) must be 1-32 lower-case letters/,
    );
  });

  test("fails when a path is relative or would break a directive", () => {
    expect(() => renderNginxConfig({ ...apps, staticRoot: "html" })).toThrow(/staticRoot \("html"\) must be an absolute path/);
    expect(() => renderNginxConfig({ ...apps, errorLogPath: "/var/log/nginx/error.log; user root" })).toThrow(/errorLogPath .* must be an absolute path/);
  });

  test("fails when the user is not a user name", () => {
    expect(() => renderNginxConfig({ ...apps, user: "nginx nginx" })).toThrow(/user \("nginx nginx"\) must be a system user name/);
  });
});

describe("renderNginxConfig checked by nginx -t", () => {
  let sandbox: NginxSandbox | undefined;
  afterEach(() => sandbox?.remove());

  function nginxTest(props: Omit<NginxConfigProps, keyof NginxSandbox["paths"]>): {
    status: number | null;
    output: string;
  } {
    // GIVEN the real nginx and every path of the config in a temporary directory
    const nginx = findNginx();
    sandbox = new NginxSandbox(nginx);
    sandbox.writeConfig(renderNginxConfig({ ...props, ...sandbox.paths }));
    // WHEN nginx checks the config
    const result = spawnSync(nginx.binary, sandbox.nginxArgs("-t"), { encoding: "utf8", timeout: 10_000 });
    return { status: result.status, output: `${result.stderr}${result.stdout}${result.error ?? ""}` };
  }

  test("accepts the config rendered for the default apps", () => {
    // THEN
    expect(nginxTest({ ...apps, listenPort: 8088 })).toEqual({
      status: 0,
      output: expect.stringContaining("test is successful"),
    });
  });

  test("accepts the longest DNS name as server_name, unlike nginx's default hash bucket", () => {
    const longest = [63, 63, 63, 61].map((length) => "a".repeat(length)).join(".");
    expect(longest).toHaveLength(253);
    expect(nginxTest({ ...apps, listenPort: 8088, namedApp: { ...DEFAULT_NAMED_APP, serverName: longest } })).toEqual({
      status: 0,
      output: expect.stringContaining("test is successful"),
    });
  });
});
