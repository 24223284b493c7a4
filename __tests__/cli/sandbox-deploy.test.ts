/**
 * The path users take: with the sandbox switch set, `npx cdktf deploy recovery` and
 * `npx cdktf destroy recovery` go through against the emulator.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { terraform } from "../../lib/terraform";
import { Sandbox } from "../../sandbox/sandbox";
import { withTempDirAsync } from "../helpers";
import { run as runMain } from "../../main";
import { entryCommand, runInProcess } from "../run-path";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = entryCommand("main.ts");

jest.setTimeout(20 * 60 * 1000);

function cdktf(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "cdktf"), args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code, output }));
  });
}

test("npx cdktf deploy and destroy of recovery go through against the emulator", async () => {
  const sandbox = await Sandbox.start({ stacks: ["recovery"] });
  try {
    await withTempDirAsync(async (dir) => {
      fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: APP, sendCrashReports: "false", terraformProviders: [] }));
      fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify({ stacks: ["recovery"] }));
      const env = {
        ...sandbox.env(),
        STACK_CONFIG: path.join(dir, "stack.json"),
        HOME: dir,
        AWS_EC2_METADATA_DISABLED: "true",
      };

      // cdktf deploy locks the providers through the registry unless a lock file exists; this
      // machine has none, so Terraform makes one from the provider mirror first (as after `npm run
      // plan`), in the stack directory of a synth made in process (cdktf deploy synthesizes again).
      const synth = await runInProcess(runMain, [], env, dir);
      expect({ status: synth.status, stderr: synth.status === 0 ? "" : synth.stderr }).toEqual({ status: 0, stderr: "" });
      await terraform(["init", "-input=false", "-no-color"], path.join(dir, "cdktf.out", "stacks", "recovery"), env);

      const deploy = await cdktf(["deploy", "recovery", "--auto-approve"], dir, env);
      expect({ code: deploy.code, end: deploy.code === 0 ? "" : deploy.output.slice(-4000) }).toEqual({ code: 0, end: "" });
      expect(deploy.output).toMatch(/SANDBOX_ENDPOINT is set: the stacks deploy to the local AWS emulator/);
      const ec2 = new EC2Client(sandbox.clientConfig());
      const running = {
        Filters: [
          { Name: "tag:Stack", Values: ["recovery"] },
          { Name: "instance-state-name", Values: ["running"] },
        ],
      };
      const instances = (await ec2.send(new DescribeInstancesCommand(running))).Reservations?.flatMap((r) => r.Instances ?? []) ?? [];
      expect(instances).toHaveLength(1);
      // the state went to the sandbox's scratch file, not the configured backend
      expect(fs.existsSync(path.join(dir, "cdktf.out", "sandbox-state", "recovery.tfstate"))).toBe(true);
      expect(fs.existsSync(path.join(dir, "terraform.recovery.tfstate"))).toBe(false);

      const destroy = await cdktf(["destroy", "recovery", "--auto-approve"], dir, env);
      expect({ code: destroy.code, end: destroy.code === 0 ? "" : destroy.output.slice(-4000) }).toEqual({ code: 0, end: "" });
      expect(await sandbox.remaining("recovery")).toEqual([]);
    });
  } finally {
    await sandbox.stop();
  }
});
