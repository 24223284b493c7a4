/**
 * The commented configurations of examples/: each read as `STACK_CONFIG` reads it (comments and
 * all), synthesized and planned offline by the real Terraform CLI, with the other configurations
 * of the test run's plan set (__tests__/plan-set.ts); the minimal example is the defaults, whose
 * shared plans the other Terraform tests use too.
 */
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG } from "../../config/schema";
import { suppressionsOf } from "../../policy";
import { OfflinePlan, defaultOfflinePlans, expectOnlyCreations, sharedConfigurationPlan } from "../helpers";
import { EXAMPLES_DIR, exampleConfig } from "../plan-set";

type Plans = Record<string, Record<string, OfflinePlan>>;

/** Each example's stacks, planned offline: they come from the test run's plan set (__tests__/plan-set.ts). */
async function planExamples(names: readonly string[]): Promise<Plans> {
  const plans = await Promise.all(
    names.map((name) => {
      const config = exampleConfig(name);
      return sharedConfigurationPlan(config.stacks, config);
    }),
  );
  return Object.fromEntries(names.map((name, i) => [name, plans[i]]));
}

const planned = (p: OfflinePlan, type: string): Record<string, any>[] =>
  p.plan.planned_values.root_module.resources.filter((r: { type: string }) => r.type === type).map((r: { values: Record<string, any> }) => r.values);

describe("examples/", () => {
  test("holds the three examples, each commented", () => {
    const files = fs.readdirSync(EXAMPLES_DIR).sort();
    expect(files).toEqual(["cost-saving.jsonc", "minimal.jsonc", "production.jsonc"]);
    for (const file of files) expect(fs.readFileSync(path.join(EXAMPLES_DIR, file), "utf8")).toMatch(/^\/\/ /);
  });

  test("minimal.jsonc is the defaults written out: the default stacks, planned offline", async () => {
    expect(exampleConfig("minimal.jsonc")).toEqual(DEFAULT_CONFIG);
    const plans = await defaultOfflinePlans();
    for (const id of DEFAULT_CONFIG.stacks) expectOnlyCreations(plans[id as keyof typeof plans]);
  });

  describe("production.jsonc and cost-saving.jsonc, planned offline", () => {
    let plans: Plans;
    // From the plan set, planned whole with the run's other shared configurations: a minute or more on a loaded 2-core machine.
    beforeAll(async () => {
      plans = await planExamples(["production.jsonc", "cost-saving.jsonc"]);
    }, 600_000);

    test("every stack of each plans only creations", () => {
      expect(Object.keys(plans["production.jsonc"]).sort()).toEqual(["multiaz", "web"]);
      expect(Object.keys(plans["cost-saving.jsonc"])).toEqual(["web"]);
      for (const stacks of Object.values(plans)) for (const p of Object.values(stacks)) expectOnlyCreations(p);
    });

    test("production: records in the existing zone, e-mail subscriptions, HTTPS, access logs in a created bucket, state in S3 (offline: a scratch file)", () => {
      const config = exampleConfig("production.jsonc");
      expect(config.backend).toMatchObject({ type: "s3", bucket: "shop-terraform-state" });
      const web = plans["production.jsonc"].web;
      expect(planned(web, "aws_route53_record").every((r) => r.zone_id === "Z0123456789ABCDEFGHIJ")).toBe(true);
      expect(
        planned(web, "aws_sns_topic_subscription")
          .map((s) => s.endpoint)
          .sort(),
      ).toEqual(config.notifications.emails.slice().sort());
      expect(
        planned(web, "aws_lb_listener")
          .map((l) => l.protocol)
          .sort(),
      ).toEqual(["HTTP", "HTTPS"]);
      expect(planned(web, "aws_s3_bucket_lifecycle_configuration")[0].rule[0].expiration[0].days).toBe(180);
      expect(planned(web, "aws_lb")[0].access_logs[0]).toMatchObject({ enabled: true, prefix: "shop-web" });
      // The delivery policy names eu-west-1's Elastic Load Balancing account.
      expect(web.cdkTfJson.resource.aws_s3_bucket_policy).toBeDefined();
      expect(JSON.stringify(web.cdkTfJson.resource.aws_s3_bucket_policy)).toContain("arn:aws:iam::156460612806:root");
    });

    test("cost-saving: one NAT gateway for both AZs, no WAF, two servers", () => {
      const web = plans["cost-saving.jsonc"].web;
      expect(planned(web, "aws_nat_gateway")).toHaveLength(1);
      expect(planned(web, "aws_wafv2_web_acl")).toEqual([]);
      expect(planned(web, "aws_autoscaling_group")[0]).toMatchObject({ min_size: 2, max_size: 4, min_elb_capacity: 2 });
    });

    test("cost-saving: its two relaxations carry the example's reasons as the suppressions of the checks they trip", () => {
      const web = plans["cost-saving.jsonc"].web;
      const c = exampleConfig("cost-saving.jsonc");
      expect(planned(web, "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days])).toContainEqual(["/vpc/multiaz-ref-web/flow-logs", 90]);
      const suppressed = suppressionsOf(web.cdkTfJson);
      const on = (type: string, ruleId: string) =>
        [...suppressed]
          .filter(([address, list]) => address.startsWith(`${type}.`) && list.some((x) => x.ruleId === ruleId))
          .map(([, list]) => list.find((x) => x.ruleId === ruleId)!.reason);
      expect(on("aws_lb", "CKV2_AWS_28")).toEqual([c.web.waf.enabled.reason]);
      expect(on("aws_cloudwatch_log_group", "CKV_AWS_338")).toEqual([c.network.flowLogs.retentionDays.reason]);
    });
  });
});
