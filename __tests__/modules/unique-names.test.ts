/**
 * Every stack an app can synthesize, the base stacks and every variant, deploys beside all the
 * others in one account and region: no two resources share a name that AWS keeps unique in the
 * account or the region, nor a record of the zone the stacks share, and each name fits its
 * type's limit even with the longest project name.
 */
import { App, Testing } from "cdktf";
import { STACK_IDS } from "../../config/schema";
import { ZoneRecords } from "../../constructs/dns/zone-records";
import { buildStack } from "../../modules";
import { TerraformJson, config, withTempDir } from "../helpers";

/** Names unique in the account (IAM) or the region, with AWS's longest; the attribute that holds the name. */
const UNIQUE_NAMES: Readonly<Record<string, { readonly attribute: string; readonly max: number }>> = {
  aws_iam_role: { attribute: "name", max: 64 },
  aws_iam_instance_profile: { attribute: "name", max: 128 },
  aws_cloudwatch_log_group: { attribute: "name", max: 512 },
  aws_cloudwatch_metric_alarm: { attribute: "alarm_name", max: 255 },
  aws_cloudwatch_event_rule: { attribute: "name", max: 64 },
  aws_ssm_parameter: { attribute: "name", max: 1011 },
  aws_kms_alias: { attribute: "name", max: 256 },
  aws_sns_topic: { attribute: "name", max: 256 },
  aws_lambda_function: { attribute: "function_name", max: 64 },
  aws_launch_template: { attribute: "name", max: 128 },
  aws_autoscaling_group: { attribute: "name", max: 255 },
  aws_lb: { attribute: "name", max: 32 },
  aws_lb_target_group: { attribute: "name", max: 32 },
  aws_wafv2_web_acl: { attribute: "name", max: 128 },
  aws_efs_file_system: { attribute: "creation_token", max: 64 },
  // The zone every stack shares: one record per name.
  aws_route53_record: { attribute: "name", max: 253 },
};

/** Named resources whose names need only be unique inside something each stack has of its own, or need not be unique at all. */
const SCOPED_NAMES: Readonly<Record<string, string>> = {
  aws_security_group: "unique in its VPC, and every stack has its own",
  aws_iam_role_policy: "unique in its role",
  aws_autoscaling_policy: "unique in its group",
  aws_autoscaling_lifecycle_hook: "unique in its group",
  aws_route53_zone: "Route 53 allows several zones of one name (only the real mode without dns.zoneId creates one, which a deploy refuses)",
};

const CERTIFICATE = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0b5d3a8e-1c2f-4d6e-9a7b-3c4d5e6f7a8b";

/** Every stack id in one app, sharing one zone as main.ts builds them, with every option that adds named resources on. */
function synthesizeAll(project?: string): Record<string, TerraformJson> {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const cfg = config({ ...(project ? { project } : {}), stacks: [...STACK_IDS], experiments: { enabled: true }, web: { certificateArn: CERTIFICATE } });
    const zoneRecords = new ZoneRecords();
    const stacks = cfg.stacks.map((id) => buildStack(app, id, cfg, { mode: "real", zoneRecords }));
    return Object.fromEntries(stacks.map((s) => [s.stackName, JSON.parse(Testing.synth(s)) as TerraformJson]));
  });
}

/** `<type> <name>` of every resource of a type in {@link UNIQUE_NAMES}, with the stack it is in. */
function uniqueNames(stacks: Record<string, TerraformJson>): { stack: string; type: string; name: string }[] {
  return Object.entries(stacks).flatMap(([stack, tf]) =>
    Object.entries(tf.resource).flatMap(([type, resources]) =>
      type in UNIQUE_NAMES ? Object.values(resources).map((r) => ({ stack, type, name: r[UNIQUE_NAMES[type].attribute] as string })) : [],
    ),
  );
}

describe("names of every stack and variant in one account and region", () => {
  const stacks = synthesizeAll();

  test("every stack id synthesizes, in one app", () => {
    expect(Object.keys(stacks)).toEqual([...STACK_IDS]);
  });

  test("no two resources share a name AWS keeps unique, within or across stacks", () => {
    const names = uniqueNames(stacks);
    expect(names.length).toBeGreaterThan(100);
    const byName = new Map<string, string[]>();
    for (const n of names) byName.set(`${n.type} ${n.name}`, [...(byName.get(`${n.type} ${n.name}`) ?? []), n.stack]);
    expect([...byName].filter(([, owners]) => owners.length > 1)).toEqual([]);
    // Each is a literal: a name known only at apply could not be compared.
    for (const n of names) expect([n.type, n.name]).toEqual([n.type, expect.stringMatching(/^[^$]+$/)]);
  });

  test("every named resource type is classified: unique in the account or region, or scoped to something of its stack", () => {
    const named = new Set(
      Object.values(stacks).flatMap((tf) =>
        Object.entries(tf.resource)
          .filter(([, resources]) => Object.values(resources).some((r) => typeof r.name === "string" || typeof r.name_prefix === "string"))
          .map(([type]) => type),
      ),
    );
    expect([...named].filter((type) => !(type in UNIQUE_NAMES) && !(type in SCOPED_NAMES))).toEqual([]);
  });

  test("the variants' own SSM parameters, records and second app hosts are derived from their ids", () => {
    const of = (stack: string, type: string) =>
      uniqueNames({ [stack]: stacks[stack] })
        .filter((n) => n.type === type)
        .map((n) => n.name);
    expect(of("multiaz", "aws_ssm_parameter").sort()).toEqual(["/multiaz-ref/multiaz/image-id", "/multiaz-ref/multiaz/takeover-failures"]);
    expect(of("multiaz-efs", "aws_ssm_parameter").sort()).toEqual(["/multiaz-ref/multiaz-efs/image-id", "/multiaz-ref/multiaz-efs/takeover-failures"]);
    expect(of("web", "aws_route53_record").sort()).toEqual(["app-b.ha.example.com", "www.ha.example.com"]);
    expect(of("web-https", "aws_route53_record").sort()).toEqual(["https-app-b.ha.example.com", "https-www.ha.example.com"]);
  });

  test("with the longest project name every name fits its type's limit, and they stay unique", () => {
    const names = uniqueNames(synthesizeAll("abcdefghijklmnopqrstuvwx"));
    expect(names.filter((n) => n.name.length > UNIQUE_NAMES[n.type].max).map((n) => `${n.type} ${n.name}`)).toEqual([]);
    expect(new Set(names.map((n) => `${n.type} ${n.name}`)).size).toBe(names.length);
  });
});
