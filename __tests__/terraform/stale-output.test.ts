/**
 * The flow a new user takes, run for real in a project directory of their own: `npm run plan`'s
 * synth and `terraform init`, then `npx cdktf synth --hcl` through the cdktf CLI, then
 * `terraform init` again; then `stacks` narrowed. Nothing stale may stay behind to break
 * Terraform, and nothing Terraform needs may go. (That the HCL validates is
 * hcl-export.test.ts's; the cases of narrowing, atomic-synth.test.ts's.)
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { terraform } from "../../lib/terraform";
import { withTempDirAsync } from "../helpers";
import { entryCommand } from "../run-path";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = entryCommand("main.ts");

function env(stackConfig: string): NodeJS.ProcessEnv {
  return { ...process.env, STACK_CONFIG: stackConfig, OFFLINE_PLAN: "1", CHECKPOINT_DISABLE: "1" };
}

/** The app as `npm run synth` / `npm run plan` run it. */
function synth(project: string, stackConfig: string) {
  return spawnSync("sh", ["-c", APP], { cwd: project, env: env(stackConfig), encoding: "utf8" });
}

describe("re-synthesizing an output folder that Terraform and other synths have used", () => {
  test("JSON synth + init, then cdktf synth --hcl: terraform init works; narrowing stacks removes the dropped stack", async () => {
    await withTempDirAsync(async (project) => {
      fs.writeFileSync(
        path.join(project, "cdktf.json"),
        JSON.stringify({ language: "typescript", app: APP, sendCrashReports: "false", terraformProviders: [] }),
      );
      const both = path.join(project, "both.json");
      fs.writeFileSync(both, JSON.stringify({ stacks: ["recovery", "multiaz"] }));
      const stackDir = path.join(project, "cdktf.out", "stacks", "recovery");

      // GIVEN the JSON synth `npm run plan` makes, initialised by terraform
      expect(synth(project, both).status).toBe(0);
      await terraform(["init", "-input=false", "-no-color"], stackDir);
      expect(fs.existsSync(path.join(stackDir, ".terraform.lock.hcl"))).toBe(true);

      // WHEN the user switches to HCL with the cdktf CLI
      const cli = spawnSync(path.join(ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--hcl"], { cwd: project, env: env(both), encoding: "utf8" });
      expect(cli.status).toBe(0);

      // THEN the stack directory holds the HCL and no JSON, keeps Terraform's files, and Terraform
      // takes it as it is (with both, init stops on every resource declared twice)
      expect(fs.existsSync(path.join(stackDir, "cdk.tf"))).toBe(true);
      expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(false);
      expect(fs.existsSync(path.join(stackDir, ".terraform"))).toBe(true);
      expect((await terraform(["init", "-input=false", "-no-color"], stackDir)).stdout).toMatch(/Terraform has been successfully initialized/);

      // WHEN stacks is narrowed to recovery and synthesized again as JSON
      const narrowed = path.join(project, "narrowed.json");
      fs.writeFileSync(narrowed, JSON.stringify({ stacks: ["recovery"] }));
      const run = synth(project, narrowed);

      // THEN the multiaz stack's directory is gone, and said so; recovery holds JSON only
      expect(run.status).toBe(0);
      expect(run.stderr).toMatch(/removed cdktf\.out\/stacks\/multiaz: multiaz is no longer in stacks/);
      expect(fs.readdirSync(path.join(project, "cdktf.out", "stacks"))).toEqual(["recovery"]);
      expect(fs.readdirSync(stackDir).sort()).toEqual([".terraform", ".terraform.lock.hcl", "cdk.tf.json", "terraform.d"]);
    });
  });
});
