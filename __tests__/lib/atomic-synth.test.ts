import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { ValidationError } from "../../lib/validation";
import { STACKS } from "../../modules";
import { config, withTempDir } from "../helpers";

describe("atomic synth", () => {
  test("writes the stacks and the manifest, keeping each stack's .terraform across synths", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const build = (app: App) => STACKS.recovery(app, config(), { offline: false });
      const first = synthesizeAtomically(outdir, [build]);
      fs.mkdirSync(path.join(first.stackDirs.recovery, ".terraform"));
      synthesizeAtomically(outdir, [build]);
      expect(fs.existsSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"))).toBe(true);
      expect(fs.existsSync(path.join(outdir, "stacks", "recovery", ".terraform"))).toBe(true);
      expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["recovery"]);
      expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    });
  });

  test("a failed build leaves the output folder untouched and reports every builder's problems", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      synthesizeAtomically(outdir, [(app) => STACKS.recovery(app, config(), { offline: false })]);
      const before = fs.readFileSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"), "utf8");
      const bad = config({ azs: ["ap-northeast-2a", "ap-northeast-2z"] });
      let error: unknown;
      try {
        synthesizeAtomically(outdir, [(app) => STACKS.recovery(app, bad, { offline: false }), (app) => STACKS.web(app, bad, { offline: false })]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      // the same problem found by both stacks is reported once
      expect((error as ValidationError).problems.filter((p) => p.key === "azs[1]")).toHaveLength(1);
      expect(fs.readFileSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"), "utf8")).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    });
  });
});
