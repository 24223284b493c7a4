/**
 * `npx cdktf destroy web` with the load balancer's deletion protection on stops at synth,
 * naming the key and the order, before Terraform deletes anything.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { withTempDir } from "../helpers";
import { entryCommand } from "../run-path";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = entryCommand("main.ts");

describe("npx cdktf destroy", () => {
  test("of web with deletion protection on: stopped at synth, the key and the order named, nothing run", () => {
    withTempDir((dir) => {
      fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: APP, sendCrashReports: "false", terraformProviders: [] }));
      fs.writeFileSync(
        path.join(dir, "stack.json"),
        JSON.stringify({ stacks: ["web"], dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }),
      );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        STACK_CONFIG: path.join(dir, "stack.json"),
        CHECKPOINT_DISABLE: "1",
        HOME: dir,
        // credentials are there (fake), and any AWS call would go to a closed loopback port
        AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE",
        AWS_SECRET_ACCESS_KEY: "fake",
        AWS_ENDPOINT_URL: "http://127.0.0.1:9",
        AWS_EC2_METADATA_DISABLED: "true",
      };
      delete env.OFFLINE_PLAN;
      const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["destroy", "web", "--auto-approve"], { cwd: dir, env, encoding: "utf8" });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status).not.toBe(0);
      expect(output).toMatch(
        /web\.deletionProtection \(true\): protects the load balancer, .*set web\.deletionProtection to \{"value":false,"reason":".*"\}, run npx cdktf deploy web \(an in-place change\), then npx cdktf destroy web/,
      );
      expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "web"))).toBe(false);
    });
  });
});
