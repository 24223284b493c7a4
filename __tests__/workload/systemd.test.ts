import { NODE_RUNTIME } from "../../workload/node-runtime";
import { appUnitName, renderAppUnit, renderRestartDropIn } from "../../workload/systemd";

describe("renderAppUnit", () => {
  // GIVEN app A and its script
  const app = { name: "aws-exercise-a", port: 8080 };
  // WHEN rendering its unit
  const unit = renderAppUnit({ app, scriptPath: "/opt/workload/app.js" });

  test("is named after the app", () => {
    expect(appUnitName(app)).toBe("aws-exercise-a.service");
  });

  test("runs the shared script with the app's name and port on the namespaced node of AL2023's nodejs24", () => {
    // THEN the executable of the package the user data installs, not /usr/bin/node (an
    // alternatives link, and Node.js 18 with AL2023's plain nodejs package)
    expect(unit).toContain("Environment=APP_NAME=aws-exercise-a PORT=8080\n");
    expect(unit).toContain("ExecStart=/usr/bin/node-24 /opt/workload/app.js\n");
    expect(NODE_RUNTIME).toEqual({ major: 24, packageName: "nodejs24", executable: "/usr/bin/node-24", endOfLife: "2028-04-30" });
  });

  test("keeps the app alive without ever giving up, and starts it at boot", () => {
    expect(unit).toContain("Restart=always\n");
    expect(unit).toContain("StartLimitIntervalSec=0\n");
    expect(unit).toContain("[Install]\nWantedBy=multi-user.target\n");
  });

  test("nginx's drop-in restarts it after a crash and never gives up, as the apps' units do", () => {
    const dropIn = renderRestartDropIn();
    expect(dropIn).toMatch(/^\[Service\]\nRestart=on-failure\nRestartSec=2\n$/m);
    expect(dropIn).toMatch(/^\[Unit\]\n(#.*\n)*StartLimitIntervalSec=0\n/m);
  });

  test("runs the app as a dedicated unprivileged user, confined to loopback", () => {
    for (const setting of [
      "DynamicUser=yes",
      "User=aws-exercise-a",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "CapabilityBoundingSet=",
      "IPAddressDeny=any",
      "IPAddressAllow=localhost",
    ]) {
      expect(unit).toMatch(new RegExp(`^${setting}$`, "m"));
    }
  });

  test("does not deny writable executable memory, which Node.js's JIT needs", () => {
    expect(unit).not.toMatch(/^MemoryDenyWriteExecute=/m);
  });

  test("fails when the script path is relative", () => {
    expect(() => renderAppUnit({ app, scriptPath: "app.js" })).toThrow(/scriptPath \("app.js"\) must be an absolute path/);
  });

  test("fails when the port is out of range", () => {
    expect(() => renderAppUnit({ app: { ...app, port: 0 }, scriptPath: "/opt/workload/app.js" })).toThrow("app.port (0) must be an integer from 1 to 65535");
  });
});
