/**
 * Offline mode and the state backend, through the real Terraform CLI: an offline plan of a
 * configuration with an S3 backend contacts neither AWS nor the bucket, and one working
 * directory can switch between offline and real synths without `terraform init` stopping.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { findProviderMirror, linkMirror } from "../../lib/provider-mirror";
import { planStack, terraform, terraformEnv } from "../../lib/terraform";
import { buildStack } from "../../modules";
import { PROVIDER_MODES, ProviderModeName, prepareWorkingDirectory } from "../../modules/provider-mode";
import { Overrides, config, withTempDirAsync } from "../helpers";

/** Synthesizes the recovery stack in `mode` into `outdir` and readies its directory, as main.ts does. */
function synthRecovery(outdir: string, mode: ProviderModeName, overrides: Overrides = {}): string {
  const stackDir = synthesizeAtomically(outdir, [(app: App) => buildStack(app, "recovery", config(overrides), { mode })]).stackDirs.recovery;
  const mirror = findProviderMirror();
  if (mirror) linkMirror(stackDir, mirror);
  prepareWorkingDirectory(stackDir, "recovery", PROVIDER_MODES[mode]);
  return stackDir;
}

/** The environment without any AWS credentials or profile: a machine with no account. */
function noAccountEnv(home: string): NodeJS.ProcessEnv {
  const env = terraformEnv({ HOME: home, AWS_EC2_METADATA_DISABLED: "true" });
  for (const key of Object.keys(env)) if (key.startsWith("AWS_") && key !== "AWS_EC2_METADATA_DISABLED") delete env[key];
  return env;
}

describe("offline mode and the state backend", () => {
  test("with backend.type s3, the offline plan uses a scratch state, contacts no backend, and writes no state", async () => {
    await withTempDirAsync(async (dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const stackDir = synthRecovery(outdir, "offline", { backend: { type: "s3", bucket: "state-bucket-of-nobody", region: "eu-west-1" } });
      const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      expect(tf.terraform.backend).toEqual({ local: { path: "../../offline-state/recovery.tfstate" } });

      // WHEN init and plan run on a machine with no AWS credentials at all
      const summary = await planStack("recovery", stackDir, path.join(dir, "recovery.plan.json"), noAccountEnv(dir));

      // THEN the plan is made (an S3 backend would have stopped init: "No valid credential sources found")
      expect(summary.add).toBeGreaterThan(0);
      expect(summary).toMatchObject({ change: 0, destroy: 0 });
      expect(fs.existsSync(path.join(outdir, "offline-state"))).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tfstate"))).toEqual([]);
    });
  });

  test("one working directory switches between real and offline synths: terraform init goes through each time", async () => {
    await withTempDirAsync(async (dir) => {
      const outdir = path.join(dir, "project", "cdktf.out");
      const init = (stackDir: string) => terraform(["init", "-input=false", "-no-color"], stackDir, noAccountEnv(dir));
      const recordedBackend = (stackDir: string) =>
        JSON.parse(fs.readFileSync(path.join(stackDir, ".terraform", "terraform.tfstate"), "utf8")).backend.config.path;

      // GIVEN a real synth (local state beside cdktf.json), initialised
      let stackDir = synthRecovery(outdir, "real");
      await init(stackDir);
      expect(recordedBackend(stackDir)).toBe("../../../terraform.recovery.tfstate");

      // WHEN the offline mode is synthesized into it, THEN init goes through (no "Backend configuration changed")
      stackDir = synthRecovery(outdir, "offline");
      await init(stackDir);
      expect(recordedBackend(stackDir)).toBe("../../offline-state/recovery.tfstate");

      // AND back to real
      stackDir = synthRecovery(outdir, "real");
      await init(stackDir);
      expect(recordedBackend(stackDir)).toBe("../../../terraform.recovery.tfstate");
    });
  });
});
