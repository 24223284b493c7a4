/**
 * A machine with no AWS credentials, as a new user has it: `npx cdktf deploy` stops at synth
 * with one line instead of failing inside Terraform after its retries; `npm run plan:account`
 * stops before synth; a plain synth (the app in process) warns and goes on (the offline mode
 * needs no credentials: provider-mode.test.ts).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { run as main } from "../../main";
import { withTempDir, withTempDirAsync } from "../helpers";
import { entryCommand, runInProcess } from "../run-path";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = entryCommand("main.ts");

/** The environment of a machine with no account: no AWS variables, an empty home, no instance metadata. */
function noAccount(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: "true",
    CHECKPOINT_DISABLE: "1",
  };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_") && key !== "AWS_EC2_METADATA_DISABLED") delete env[key];
  delete env.OFFLINE_PLAN;
  return { ...env, ...extra };
}

function project(dir: string): NodeJS.ProcessEnv {
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ language: "typescript", app: APP, sendCrashReports: "false", terraformProviders: [] }));
  // a configuration a deploy accepts (config/deploy-requirements.ts): only the credentials are missing
  fs.writeFileSync(
    path.join(dir, "stack.json"),
    JSON.stringify({ stacks: ["recovery"], dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }),
  );
  return noAccount(dir, { STACK_CONFIG: path.join(dir, "stack.json") });
}

describe("no AWS credentials", () => {
  test("npx cdktf deploy stops at synth with one line, before Terraform runs", () => {
    withTempDir((dir) => {
      const env = project(dir);
      const run = spawnSync(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["deploy", "recovery", "--auto-approve"], { cwd: dir, env, encoding: "utf8" });
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status).not.toBe(0);
      expect(output).toMatch(
        /npx cdktf deploy needs AWS credentials and stopped before running Terraform: no AWS credentials found \(looked for .*\); set some \(aws configure, aws sso login, or AWS_PROFILE=<profile>\); the offline mode .*never deployable\./,
      );
      // nothing was synthesized, so Terraform had nothing to run in
      expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "recovery", ".terraform"))).toBe(false);
      expect(output).not.toMatch(/No valid credential sources found/);
    });
  });

  test("a plain synth warns and writes the stacks", async () => {
    await withTempDirAsync(async (dir) => {
      const run = await runInProcess(main, [], project(dir), dir);
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/^warning: no AWS credentials found \(.*\): npx cdktf diff, deploy and destroy and npm run plan:account will fail/m);
      expect(fs.existsSync(path.join(dir, "cdktf.out", "stacks", "recovery", "cdk.tf.json"))).toBe(true);
    });
  });

  test("npm run plan:account stops before synth", () => {
    withTempDir((dir) => {
      const env = project(dir);
      const run = spawnSync("sh", ["-c", entryCommand("scripts/plan.ts")], { cwd: dir, env, encoding: "utf8" });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(/^npm run plan:account needs AWS credentials and stopped before running Terraform: no AWS credentials found/);
      expect(fs.existsSync(path.join(dir, "cdktf.out"))).toBe(false);
    });
  });
});
