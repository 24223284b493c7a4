import { appUnitName, renderAppUnit } from "../../workload/systemd";

describe("renderAppUnit", () => {
  // GIVEN app A and its script
  const app = { name: "aws-exercise-a", port: 8080 };
  // WHEN rendering its unit
  const unit = renderAppUnit({ app, scriptPath: "/opt/workload/app.js" });

  test("is named after the app", () => {
    expect(appUnitName(app)).toBe("aws-exercise-a.service");
  });

  test("runs the shared script with the app's name and port on Amazon Linux 2023's node", () => {
    // THEN
    expect(unit).toContain("Environment=APP_NAME=aws-exercise-a PORT=8080\n");
    expect(unit).toContain("ExecStart=/usr/bin/node /opt/workload/app.js\n");
  });

  test("keeps the app alive without ever giving up, and starts it at boot", () => {
    expect(unit).toContain("Restart=always\n");
    expect(unit).toContain("StartLimitIntervalSec=0\n");
    expect(unit).toContain("[Install]\nWantedBy=multi-user.target\n");
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
    expect(() => renderAppUnit({ app, scriptPath: "app.js" })).toThrow(
      /scriptPath \("app.js"\) must be an absolute path/
    );
  });

  test("fails when the port is out of range", () => {
    expect(() => renderAppUnit({ app: { ...app, port: 0 }, scriptPath: "/opt/workload/app.js" })).toThrow(
      "app.port (0) must be an integer from 1 to 65535"
    );
  });
});
