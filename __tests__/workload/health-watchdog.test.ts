/**
 * The health watchdog's script, run by bash against a loopback HTTP server that answers and
 * then hangs, with systemctl replaced by a recorder: it restarts the units after the failed
 * probes, escalates when the restart did not help, and never acts before a first healthy answer.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { WATCHDOG_SCRIPT, healthWatchdogFiles } from "../../workload/health-watchdog";

interface Run {
  readonly calls: () => string[];
  readonly done: Promise<number | null>;
  readonly child: ChildProcess;
}

let dir: string;
let server: http.Server;
let healthy = true;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "watchdog-"));
  server = http.createServer((_req, res) => {
    if (healthy) res.end("ok");
    // else: hang, like a frozen app behind nginx
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

function start(name: string, url: string): Run {
  const script = path.join(dir, `${name}.sh`);
  const recorder = path.join(dir, `${name}-systemctl`);
  const log = path.join(dir, `${name}.calls`);
  fs.writeFileSync(script, WATCHDOG_SCRIPT);
  fs.writeFileSync(recorder, `#!/bin/bash\necho "$*" >> ${log}\n`, { mode: 0o755 });
  const child = spawn("bash", [script], {
    env: {
      PATH: process.env.PATH,
      WATCHDOG_URL: url,
      WATCHDOG_INTERVAL: "1",
      WATCHDOG_TIMEOUT: "1",
      WATCHDOG_FAILURES: "2",
      WATCHDOG_ESCALATION: "reboot",
      WATCHDOG_UNITS: "a.service b.service",
      WATCHDOG_SYSTEMCTL: recorder,
    },
    stdio: "ignore",
  });
  const done = new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { child, done, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []) };
}

const until = async (condition: () => boolean, seconds: number) => {
  for (let i = 0; i < seconds * 10 && !condition(); i++) await new Promise((r) => setTimeout(r, 100));
};

test("a hang after a healthy answer: restart of the units, then the escalation when the restart did not help", async () => {
  healthy = true;
  const run = start("hang", `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`);
  try {
    await until(() => false, 1.5);
    healthy = false;
    await until(() => run.calls().length >= 2, 30);
    expect(run.calls()).toEqual(["restart a.service b.service", "reboot"]);
    // It exits after escalating: the reboot (or poweroff) ends the instance's run.
    expect(await run.done).toBe(0);
  } finally {
    run.child.kill();
  }
}, 40_000);

test("never acts before the first healthy answer (a server still booting, or one that never came up)", async () => {
  // GIVEN nothing listening on the port
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const run = start("booting", `http://127.0.0.1:${port}/health`);
  try {
    // WHEN it probes for longer than failures x (interval + timeout), twice over
    await until(() => false, 9);
    // THEN it has done nothing
    expect(run.calls()).toEqual([]);
  } finally {
    run.child.kill();
  }
}, 20_000);

describe("healthWatchdogFiles", () => {
  test("the script and a unit whose Environment= carries the settings the recovery model reads", () => {
    const [script, unit] = healthWatchdogFiles({ url: "http://127.0.0.1:80/health", units: ["a.service"], escalation: "poweroff" });
    expect(script.path).toBe("/opt/workload/health-watchdog.sh");
    expect(unit.path).toBe("/etc/systemd/system/health-watchdog.service");
    expect(unit.content).toMatch(
      /^Environment=WATCHDOG_URL=http:\/\/127\.0\.0\.1:80\/health WATCHDOG_INTERVAL=10 WATCHDOG_TIMEOUT=3 WATCHDOG_FAILURES=3 WATCHDOG_ESCALATION=poweroff$/m,
    );
    expect(unit.content).toMatch(/^ExecStart=\/bin\/bash \/opt\/workload\/health-watchdog\.sh$/m);
  });

  test("bad settings fail naming the setting", () => {
    expect(() => healthWatchdogFiles({ url: "u", units: ["a.service"], escalation: "reboot", failures: 0 })).toThrow(/failures \(0\) must be a whole number/);
    expect(() => healthWatchdogFiles({ url: "u", units: ["a service"], escalation: "reboot" })).toThrow(/units .* must be one or more systemd service names/);
  });
});
