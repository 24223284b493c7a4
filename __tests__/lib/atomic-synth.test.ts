import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { isTerraformOwned, removedStackLines, synthesizeAtomically } from "../../lib/atomic-synth";
import { ValidationError } from "../../lib/validation";
import { buildStack } from "../../modules";
import { config, withTempDir } from "../helpers";

const recovery = (app: App) => buildStack(app, "recovery", config(), { offline: false });
const web = (app: App) => buildStack(app, "web", config(), { offline: false });

function write(file: string, text = "x"): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

describe("atomic synth", () => {
  test("writes the stacks and the manifest, keeping each stack's .terraform across synths", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const first = synthesizeAtomically(outdir, [recovery]);
      fs.mkdirSync(path.join(first.stackDirs.recovery, ".terraform"));
      synthesizeAtomically(outdir, [recovery]);
      expect(fs.existsSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"))).toBe(true);
      expect(fs.existsSync(path.join(outdir, "stacks", "recovery", ".terraform"))).toBe(true);
      expect(Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).stacks)).toEqual(["recovery"]);
      expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    });
  });

  test("a failed build leaves the output folder untouched and reports every builder's problems", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      synthesizeAtomically(outdir, [recovery]);
      const before = fs.readFileSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"), "utf8");
      // GIVEN a recovery stack that builds (and would change the output) and two builders that find the same problem
      // (the schema reports users' settings before synth; what a builder finds is a problem of the whole synth)
      const changed = (app: App) => buildStack(app, "recovery", config({ tags: { Team: "platform" } }), { offline: false });
      const problem = { key: "web.recordName", value: "www.ha.example.com", fix: "is also the record of multiaz.recordName" };
      const failing = () => {
        throw new ValidationError([problem]);
      };
      const error = caught(() => synthesizeAtomically(outdir, [changed, failing, failing]));
      expect(error).toBeInstanceOf(ValidationError);
      // the same problem found by both builders is reported once
      expect((error as ValidationError).problems).toEqual([problem]);
      expect(fs.readFileSync(path.join(outdir, "stacks", "recovery", "cdk.tf.json"), "utf8")).toBe(before);
      expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    });
  });

  test("a stack directory is replaced whole: only Terraform's working files and state survive", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const stackDir = synthesizeAtomically(outdir, [recovery]).stackDirs.recovery;
      // GIVEN what earlier synths and Terraform runs leave in a stack directory
      const left = {
        kept: [
          ".terraform/providers/x",
          ".terraform.lock.hcl",
          "terraform.tfstate",
          "terraform.tfstate.backup",
          "terraform.tfstate.d/dev/terraform.tfstate",
          "errored.tfstate",
          ".terraform.tfstate.lock.info",
        ],
        stale: ["cdk.tf", "metadata.json", "tfplan", "plan.json", "notes/old.txt"],
      };
      for (const f of [...left.kept, ...left.stale]) write(path.join(stackDir, f));

      // WHEN the stack is synthesized again
      synthesizeAtomically(outdir, [recovery]);

      // THEN the new configuration and Terraform's files are there, nothing else
      for (const f of left.kept) expect(fs.existsSync(path.join(stackDir, f))).toBe(true);
      for (const f of left.stale) expect(fs.existsSync(path.join(stackDir, f))).toBe(false);
      expect(fs.readdirSync(stackDir).sort()).toEqual([
        ".terraform",
        ".terraform.lock.hcl",
        ".terraform.tfstate.lock.info",
        "cdk.tf.json",
        "errored.tfstate",
        "terraform.tfstate",
        "terraform.tfstate.backup",
        "terraform.tfstate.d",
      ]);
    });
  });

  test("Terraform's own entries are told from synth output by name", () => {
    for (const e of [".terraform", ".terraform.lock.hcl", "terraform.tfstate", "x.tfstate.backup", "terraform.tfstate.d", "errored.tfstate"])
      expect(isTerraformOwned(e)).toBe(true);
    for (const e of ["cdk.tf.json", "cdk.tf", "metadata.json", "terraform.d", "tfplan", "assets", "tfstate.md"]) expect(isTerraformOwned(e)).toBe(false);
  });

  test("stacks no longer configured are removed, with a warning when their local state still tracks resources", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const first = synthesizeAtomically(outdir, [recovery, web]);
      fs.mkdirSync(path.join(first.stackDirs.web, ".terraform"));
      // the web stack's local state (where its configuration says, beside cdktf.json) tracks one resource
      const stateFile = path.resolve(first.stackDirs.web, "../../../terraform.web.tfstate");
      write(
        stateFile,
        JSON.stringify({
          version: 4,
          resources: [
            { mode: "managed", type: "aws_vpc", instances: [{}] },
            { mode: "data", type: "aws_region", instances: [{}] },
          ],
        }),
      );

      const result = synthesizeAtomically(outdir, [recovery]);

      expect(fs.existsSync(first.stackDirs.web)).toBe(false);
      expect(Object.keys(result.stackDirs)).toEqual(["recovery"]);
      expect(result.removed).toEqual([{ stack: "web", dir: first.stackDirs.web, liveState: { file: stateFile, resources: 1 } }]);
      expect(fs.existsSync(stateFile)).toBe(true);
      const [line] = removedStackLines(result.removed);
      expect(line).toMatch(
        /^removed .*stacks\/web: web is no longer in stacks; WARNING: its state .*terraform\.web\.tfstate still tracks 1 resource\(s\), which keep running/,
      );
      expect(line).toMatch(/npx cdktf destroy web/);
    });
  });

  test("a stack no longer configured whose directory holds state stops the synth, which then publishes nothing", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      const first = synthesizeAtomically(outdir, [recovery, web]);
      write(path.join(first.stackDirs.web, "terraform.tfstate.d", "dev", "terraform.tfstate"), "{}");
      const manifest = fs.readFileSync(path.join(outdir, "manifest.json"), "utf8");
      const recoveryJson = path.join(first.stackDirs.recovery, "cdk.tf.json");
      fs.writeFileSync(recoveryJson, "{}");

      const error = caught(() => synthesizeAtomically(outdir, [recovery])) as ValidationError;

      expect(error).toBeInstanceOf(ValidationError);
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatchObject({ key: "stacks", value: ["recovery"] });
      expect(error.problems[0].fix).toMatch(/no longer lists web, but .*stacks\/web holds Terraform state \(terraform\.tfstate\.d\).*npx cdktf destroy web/);
      // nothing was published: the old manifest, configurations and the state are as they were
      expect(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")).toBe(manifest);
      expect(fs.readFileSync(recoveryJson, "utf8")).toBe("{}");
      expect(fs.existsSync(path.join(first.stackDirs.web, "terraform.tfstate.d", "dev", "terraform.tfstate"))).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(["cdktf.out"]);
    });
  });
});
