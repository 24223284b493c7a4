/**
 * The variant stacks (modules/variants.ts): each an ordinary stack with an id of its own, built
 * from its base's section with its switch on, which `stacks` may name (a misspelled id answered
 * with the nearest) and which synthesizes in one app beside its base.
 */
import { App, Testing } from "cdktf";
import { ZoneRecords } from "../../constructs/dns/zone-records";
import { resolveConfig } from "../../config/load";
import { buildStack } from "../../modules";
import { STACK_VARIANTS } from "../../modules/variants";
import { TerraformJson, config, resources, synthStack, withTempDir } from "../helpers";

describe("variant stacks", () => {
  test("a variant and its base synthesize in one app, sharing one zone: their own names, the variant with its switch on", () => {
    const [base, efs] = withTempDir((outdir) => {
      // GIVEN stacks naming multiaz and multiaz-efs, built as main.ts builds them
      const app = new App({ outdir, stackTraces: false });
      const cfg = config({ stacks: ["multiaz", "multiaz-efs"] });
      const zoneRecords = new ZoneRecords();
      return cfg.stacks.map((id) => JSON.parse(Testing.synth(buildStack(app, id, cfg, { mode: "real", zoneRecords }))) as TerraformJson);
    });
    // THEN each has its own resource prefix, Stack tag and DNS name; only the variant has EFS
    const names = (tf: TerraformJson) => Object.values(resources(tf, "aws_route53_record")).map((r) => r.name);
    expect(names(base)).toEqual(["multiaz.ha.example.com"]);
    expect(names(efs)).toEqual(["efs-multiaz.ha.example.com"]);
    expect((efs as any).provider.aws[0].default_tags[0].tags.Stack).toBe("multiaz-efs");
    expect(Object.values(resources(efs, "aws_autoscaling_group")).map((g) => g.name)).toEqual([expect.stringMatching(/^multiaz-ref-multiaz-efs/)]);
    expect(Object.keys(resources(efs, "aws_efs_file_system"))).toHaveLength(1);
    expect((base as any).resource.aws_efs_file_system).toBeUndefined();
    // AND no name is both's (names are account- or region-wide: SSM parameters, roles, groups, ...), the shared zone and
    // the inline policies (named within their role) aside
    const named = (tf: TerraformJson) =>
      Object.entries((tf as any).resource as Record<string, Record<string, { name?: unknown }>>).flatMap(([type, byName]) =>
        ["aws_route53_zone", "aws_iam_role_policy"].includes(type)
          ? []
          : Object.values(byName).flatMap((r) => (typeof r.name === "string" ? [`${type} ${r.name}`] : [])),
      );
    expect(named(efs).filter((n) => named(base).includes(n))).toEqual([]);
  });

  test("a variant's overrides replace their keys of the base's section, the rest configured as the user wrote it", () => {
    // GIVEN a configured web section WHEN its step-scaling variant is built
    const { tf } = synthStack("web-step-scaling", { web: { deregistrationDelaySeconds: 42, scaling: { mode: "target_tracking", targetCpuPercent: 70 } } });
    // THEN it scales by steps (the course's CPU alarms), and keeps the configured delay
    expect(Object.values(resources(tf, "aws_autoscaling_policy")).map((p) => p.policy_type)).toEqual(["StepScaling", "StepScaling"]);
    expect(Object.values(resources(tf, "aws_lb_target_group")).map((g) => g.deregistration_delay)).toEqual(["42"]);
  });

  test("every variant synthesizes with the defaults and the keys it requires", () => {
    for (const v of STACK_VARIANTS) {
      const overrides =
        "requires" in v ? { [v.base]: { [v.requires.key]: "arn:aws:acm:ap-northeast-2:123456789012:certificate/0b5d3a8e-1c2f-4d6e-9a7b-3c4d5e6f7a8b" } } : {};
      expect(synthStack(v.id, overrides).stack.stackName).toBe(v.id);
    }
  });

  test("stacks may name a variant; a misspelled one is answered with the nearest ids, one that requires a key without it names the key", () => {
    expect(resolveConfig({ stacks: ["multiaz-efs"] }).stacks).toEqual(["multiaz-efs"]);
    expect(() => resolveConfig({ stacks: ["multiaz-ef"] })).toThrow(/stacks\[0\].*"multiaz-ef".*did you mean multiaz-efs\b/);
    expect(() => resolveConfig({ stacks: ["web-https"] })).toThrow(
      /stacks\[0\].*"web-https".*serves HTTPS with the certificate of web\.certificateArn; set web\.certificateArn, or name web instead/,
    );
  });
});
