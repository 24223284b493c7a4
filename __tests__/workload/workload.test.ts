import { APP_SCRIPT } from "../../workload/apps";
import { EC2_USER_DATA_MAX_BYTES } from "../../workload/user-data-policy";
import { APP_SCRIPT_PATH, INSTALL_ATTEMPTS, installCommand, renderWorkload } from "../../workload/workload";
import { runOnFakeInstance } from "./support/fake-instance";

describe("renderWorkload", () => {
  describe("with defaults", () => {
    // GIVEN no props
    // WHEN rendering
    const workload = renderWorkload();

    test("is a #cloud-config document", () => {
      // THEN
      expect(workload.userData.startsWith("#cloud-config\n")).toBe(true);
      expect(workload.userData).toMatch(/^packages:\n {2}- "nginx"\nwrite_files:\n/m);
    });

    test("writes nginx.conf, the static pages, the app script and a unit per app", () => {
      const paths = workload.files.map((file) => file.path);
      expect(paths).toEqual([
        "/etc/nginx/nginx.conf",
        "/usr/share/nginx/html/index.html",
        "/usr/share/nginx/pages/album/index.html",
        "/usr/share/nginx/pages/signin/index.html",
        APP_SCRIPT_PATH,
        "/etc/systemd/system/aws-exercise-a.service",
        "/etc/systemd/system/aws-exercise-b.service",
        "/etc/systemd/system/nginx.service.d/restart.conf",
      ]);
      for (const path of paths) {
        expect(workload.userData).toContain(`  - path: ${JSON.stringify(path)}\n`);
      }
    });

    test("embeds each file verbatim", () => {
      expect(workload.files[0].content).toBe(workload.nginxConf);
      expect(workload.files.find((file) => file.path === APP_SCRIPT_PATH)?.content).toBe(APP_SCRIPT);
      for (const file of workload.files) {
        const block = file.content
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => (line ? `      ${line}` : ""))
          .join("\n");
        expect(workload.userData).toContain(`    content: |\n${block}\n`);
      }
    });

    test("installs Node.js after nginx, then enables the apps and nginx, which also starts them at every boot", () => {
      expect(workload.commands).toEqual([
        `rpm -q nginx >/dev/null || { ${installCommand("nginx")}; }`,
        installCommand("nodejs24"),
        "systemctl daemon-reload",
        "systemctl enable --now aws-exercise-a.service aws-exercise-b.service nginx.service",
      ]);
      expect(workload.userData).toContain(`runcmd:\n${workload.commands.map((c) => `  - ${JSON.stringify(c)}\n`).join("")}`);
    });

    test("fits in EC2's 16 KB with room for boot commands", () => {
      expect(Buffer.byteLength(workload.userData)).toBeLessThan(EC2_USER_DATA_MAX_BYTES * 0.75);
    });

    test("holds nothing that looks like a key or a password", () => {
      expect(workload.userData).not.toMatch(/password|passwd|secret[_-]?key|api[_-]?key|AKIA[0-9A-Z]{16}|PRIVATE KEY/i);
    });

    test("tells other stacks where to point the load balancer's health check", () => {
      expect(workload.listenPort).toBe(80);
      expect(workload.healthCheckPath).toBe("/health");
    });
  });

  describe("at first boot", () => {
    const bootScript = (commands: readonly string[]) => `#!/bin/bash\n${commands.join("\n")}\n`;

    test("a Node.js package that cannot be installed still leaves nginx installed, enabled and started", () => {
      // GIVEN cloud-init's package module installed nginx, and the Node.js package cannot be found
      const run = runOnFakeInstance(bootScript(renderWorkload().commands), { states: [], installedPackages: ["nginx"], missingPackages: ["nodejs24"] });

      // THEN Node.js was tried, a bounded number of times with growing pauses, and the boot went on to start nginx
      expect(run.systemCalls).toEqual(Array(INSTALL_ATTEMPTS).fill("dnf -y install nodejs24"));
      expect(run.secondsSlept).toBe(10 + 20 + 30 + 40);
      expect(run.stderr).toContain(`dnf install nodejs24 failed (attempt ${INSTALL_ATTEMPTS} of ${INSTALL_ATTEMPTS})`);
      expect(run.systemctlCalls).toEqual(["daemon-reload", "enable --now aws-exercise-a.service aws-exercise-b.service nginx.service"]);
    });

    test("nginx gets a second chance when the package module could not install it", () => {
      // GIVEN nothing installed yet (the package module failed)
      const run = runOnFakeInstance(bootScript(renderWorkload().commands), { states: [] });

      // THEN nginx and Node.js are each installed on their own, once
      expect(run.systemCalls).toEqual(["dnf -y install nginx", "dnf -y install nodejs24"]);
      expect(run.secondsSlept).toBe(0);
    });
  });

  test("runs boot commands before the services start", () => {
    // GIVEN a boot command, such as re-associating an Elastic IP
    const associate = "aws ec2 associate-address --allocation-id eipalloc-0123 --allow-reassociation";
    // WHEN rendering
    const { userData } = renderWorkload({ bootCommands: [associate] });
    // THEN
    expect(userData).toContain(`  - ${JSON.stringify(installCommand("nodejs24"))}\n  - ${JSON.stringify(associate)}\n  - "systemctl daemon-reload"\n`);
  });

  test("puts the chosen apps and server name in nginx.conf and the units", () => {
    const { nginxConf, files } = renderWorkload({
      defaultApp: { name: "shop", port: 3000 },
      namedApp: { name: "admin", port: 3001, serverName: "admin.example.internal" },
    });
    expect(nginxConf).toContain("server 127.0.0.1:3000;");
    expect(nginxConf).toContain("server_name admin.example.internal;");
    expect(files.map((file) => file.path)).toContain("/etc/systemd/system/admin.service");
  });

  test("fails when a boot command is empty", () => {
    expect(() => renderWorkload({ bootCommands: ["echo ok", "  "] })).toThrow("bootCommands[1] is empty");
  });

  test("fails when a boot command carries a secret", () => {
    expect(() => renderWorkload({ bootCommands: ["export DB_PASSWORD=hunter2"] })).toThrow(/looks like it holds a secret \(password or key assignment\)/);
  });

  test("fails when boot commands push the user data over 16 KB", () => {
    expect(() => renderWorkload({ bootCommands: ["echo " + "x".repeat(EC2_USER_DATA_MAX_BYTES)] })).toThrow(
      /user data is \d+ bytes, over the EC2 limit of 16384/,
    );
  });

  test("fails when the apps' ports clash", () => {
    expect(() => renderWorkload({ defaultApp: { name: "aws-exercise-a", port: 8081 } })).toThrow(
      "namedApp.port (8081) must differ from defaultApp.port (8081)",
    );
  });
});
