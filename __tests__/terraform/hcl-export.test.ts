/**
 * The door out of CDKTF: every stack synthesized as HCL (`cdktf synth --hcl`) is a
 * configuration plain Terraform initialises and validates.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { STACK_NAMES } from "../../config/schema";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { findProviderMirror, linkMirror } from "../../lib/provider-mirror";
import { terraform } from "../../lib/terraform";
import { buildStack } from "../../modules";
import { config, withTempDirAsync } from "../helpers";

describe("HCL export", () => {
  test("every stack synthesized as HCL initialises and validates with plain terraform", async () => {
    await withTempDirAsync(async (dir) => {
      // GIVEN every stack synthesized with cdktf's HCL output, as `cdktf synth --hcl` does
      process.env.SYNTH_HCL_OUTPUT = "true";
      let stackDirs: Readonly<Record<string, string>>;
      try {
        stackDirs = synthesizeAtomically(
          path.join(dir, "out"),
          STACK_NAMES.map((name) => (app: App) => buildStack(app, name, config(), { offline: true })),
        ).stackDirs;
      } finally {
        delete process.env.SYNTH_HCL_OUTPUT;
      }
      const mirror = findProviderMirror();
      // WHEN plain terraform initialises and validates each directory
      const results = await Promise.all(
        STACK_NAMES.map(async (name) => {
          const stackDir = stackDirs[name];
          expect(fs.existsSync(path.join(stackDir, "cdk.tf"))).toBe(true);
          expect(fs.existsSync(path.join(stackDir, "cdk.tf.json"))).toBe(false);
          if (mirror) linkMirror(stackDir, mirror);
          await terraform(["init", "-input=false", "-no-color"], stackDir);
          return terraform(["validate", "-no-color"], stackDir);
        }),
      );
      // THEN every one is valid
      for (const run of results) expect(run.stdout).toMatch(/The configuration is valid/);
    });
  });
});
