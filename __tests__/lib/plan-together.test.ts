/**
 * lib/plan-together.ts: stacks planned as modules of one root, the plan split back per stack,
 * equal to the stack's plan made alone (but for the timestamp and the order of
 * `relevant_attributes`, which Terraform does not define): the default web stack as the test
 * run's shared plans have it, and two small stacks with what the project's stacks do not hold
 * today (a sensitive output, a data source, an asset both read) and a third with another
 * version of that asset beside it, as cdktf lays assets out. What cannot be split is refused
 * before Terraform runs.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { findProviderMirror, linkMirror } from "../../lib/provider-mirror";
import { planTogether } from "../../lib/plan-together";
import { planStack } from "../../lib/terraform";
import { buildStack } from "../../modules";
import { config, defaultOfflinePlans, withTempDirAsync } from "../helpers";

/** A plan as compared: no timestamp, `relevant_attributes` in one order. */
function comparable(plan: Record<string, any>): Record<string, any> {
  const { timestamp: _t, relevant_attributes, ...rest } = plan;
  return { ...rest, relevant_attributes: [...(relevant_attributes ?? [])].map((a) => JSON.stringify(a)).sort() };
}

const mirror = findProviderMirror();

const OFFLINE_AWS = {
  region: "us-east-1",
  access_key: "a",
  secret_key: "b",
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
};

/** A small stack directory as cdktf writes one: `cdk.tf.json` with a backend, an asset, the mirror linked. */
function smallStack(dir: string, name: string, asset: string, extra: Record<string, unknown> = {}, hash = "0123"): string {
  const stackDir = path.join(dir, name);
  fs.mkdirSync(path.join(stackDir, "assets", "code_ABC", hash), { recursive: true });
  fs.writeFileSync(path.join(stackDir, "assets", "code_ABC", hash, "code.txt"), asset);
  const tf = {
    terraform: { required_providers: { aws: { source: "aws", version: "5.100.0" } }, backend: { local: { path: `${name}.tfstate` } } },
    provider: { aws: [OFFLINE_AWS] },
    data: { aws_iam_policy_document: { doc: { statement: [{ actions: ["sns:Publish"], resources: ["*"] }] } } },
    resource: {
      aws_ssm_parameter: {
        param: { name: `/${name}/p`, type: "SecureString", value: `\${filebase64sha256("assets/code_ABC/${hash}/code.txt")}` },
      },
      aws_sns_topic: { topic: { name: `${name}-topic`, policy: "${data.aws_iam_policy_document.doc.json}" } },
    },
    output: {
      secret: { value: "${aws_ssm_parameter.param.value}", sensitive: true },
      topic_name: { value: "${aws_sns_topic.topic.name}" },
    },
    ...extra,
  };
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(tf));
  if (mirror) linkMirror(stackDir, mirror);
  return stackDir;
}

describe("planTogether", () => {
  test("the default web stack's split plan (the shared plans') equals its plan made alone", async () => {
    const together = (await defaultOfflinePlans()).web;
    await withTempDirAsync(async (dir) => {
      const cfg = config();
      const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app: App) => buildStack(app, "web", cfg, { offline: true })]);
      const stackDir = result.stackDirs.web;
      if (mirror) linkMirror(stackDir, mirror);
      const alone = await planStack("web", stackDir, path.join(dir, "web.plan.json"), undefined, { scratch: true });
      const plan = JSON.parse(fs.readFileSync(alone.planJson, "utf8"));
      expect(plan.resource_changes.length).toBeGreaterThan(50);
      expect(comparable(together.plan)).toEqual(comparable(plan));
      expect(together.summary).toMatchObject({ stack: "web", add: alone.add, change: 0, destroy: 0 });
    });
  });

  test("three small stacks with a sensitive output, a data source, a shared asset and another version of it split into their plans made alone", async () => {
    await withTempDirAsync(async (dir) => {
      const one = smallStack(dir, "one", "same code");
      const two = smallStack(dir, "two", "same code");
      // cdktf's other version of the asset: the same construct's directory, another hash's.
      const three = smallStack(dir, "three", "newer code", {}, "4567");
      const [planned, alone] = await Promise.all([
        planTogether(
          [
            { key: "one", stack: "one", stackDir: one, planJson: path.join(dir, "out", "one.json") },
            { key: "two", stack: "two", stackDir: two, planJson: path.join(dir, "out", "two.json") },
            { key: "three", stack: "three", stackDir: three, planJson: path.join(dir, "out", "three.json") },
          ],
          path.join(dir, "together"),
        ),
        planStack("two", two, path.join(dir, "two.alone.json"), undefined, { scratch: true }),
      ]);
      const twoAlone = JSON.parse(fs.readFileSync(alone.planJson, "utf8"));
      expect(comparable(planned.two.plan)).toEqual(comparable(twoAlone));
      expect(JSON.parse(fs.readFileSync(path.join(dir, "out", "two.json"), "utf8"))).toEqual(planned.two.plan);
      expect(twoAlone.planned_values.outputs.secret).toMatchObject({ sensitive: true });
      expect(twoAlone.prior_state.values.root_module.resources.map((r: { address: string }) => r.address)).toEqual(["data.aws_iam_policy_document.doc"]);
      // Each stack has its own resources only, named as in the stack.
      expect(planned.one.plan.resource_changes.map((c: { address: string }) => c.address).sort()).toEqual(["aws_sns_topic.topic", "aws_ssm_parameter.param"]);
      expect(planned.one.plan.planned_values.root_module.resources.find((r: { type: string }) => r.type === "aws_sns_topic").values.name).toBe("one-topic");
      expect(planned.one.summary).toMatchObject({ stack: "one", add: 2, change: 0, destroy: 0 });
      const digest = (p: Record<string, any>) =>
        p.planned_values.root_module.resources.find((r: { type: string }) => r.type === "aws_ssm_parameter").values.value;
      expect(digest(planned.one.plan)).toBe(digest(planned.two.plan));
      expect(digest(planned.three.plan)).not.toBe(digest(planned.one.plan));
      expect(digest(planned.three.plan)).toBe(createHash("sha256").update("newer code").digest("base64"));
    });
  });

  test("refuses, before Terraform runs, what it cannot split: variables, modules, two keys alike, two different asset files of one path, a folder in use", async () => {
    await withTempDirAsync(async (dir) => {
      const plain = smallStack(dir, "plain", "code");
      const stacks = (stackDir: string, key = "x") => [
        { key: "plain", stack: "plain", stackDir: plain, planJson: path.join(dir, "plain.json") },
        { key, stack: key, stackDir, planJson: path.join(dir, `${key}.json`) },
      ];
      const withVariable = smallStack(dir, "variable", "code", { variable: { size: { type: "number" } } });
      await expect(planTogether(stacks(withVariable), path.join(dir, "r1"))).rejects.toThrow(
        /x \(.*variable\) cannot be a module of the combined root: it declares variable blocks; plan it alone/,
      );
      const withModule = smallStack(dir, "module", "code", { module: { vpc: { source: "./vpc" } } });
      await expect(planTogether(stacks(withModule), path.join(dir, "r2"))).rejects.toThrow(/it declares module blocks/);
      await expect(planTogether(stacks(plain, "plain"), path.join(dir, "r3"))).rejects.toThrow(
        "plan together: two stacks have the key plain; give each its own",
      );
      const otherCode = smallStack(dir, "other", "other code");
      await expect(planTogether(stacks(otherCode), path.join(dir, "r4"))).rejects.toThrow(
        "plan together: x's asset assets/code_ABC/0123/code.txt differs from another stack's of the same path; plan the stacks apart",
      );
      // Nothing written: the refusals come before the root, the asset conflict removes it.
      for (const r of ["r1", "r2", "r3", "r4"]) expect(fs.existsSync(path.join(dir, r))).toBe(false);
      fs.mkdirSync(path.join(dir, "used"));
      fs.writeFileSync(path.join(dir, "used", "main.tf.json"), "{}");
      await expect(planTogether(stacks(plain, "again"), path.join(dir, "used"))).rejects.toThrow(
        `plan together: ${path.join(dir, "used")} is not empty; give each combined root a new folder`,
      );
    });
  });
});
