/**
 * The recovery stack through the real Terraform CLI, offline: init, validate and plan with
 * the provider's own schema checks, in a temporary directory.
 */
import { OFFLINE_ZONE_ID } from "../../modules/provider-mode";
import { OfflinePlan, defaultOfflinePlans, expectOnlyCreations, sharedOfflinePlan } from "../helpers";
import { RECOVERY_EXISTING_ZONE } from "../plan-set";

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly after: Record<string, any> };
}

function changes(result: OfflinePlan, type: string): ResourceChange[] {
  return (result.plan.resource_changes as ResourceChange[]).filter((c) => c.type === type);
}

describe("recovery stack, planned by Terraform", () => {
  let defaults: OfflinePlan;
  let existingZone: OfflinePlan;

  beforeAll(async () => {
    [defaults, existingZone] = await Promise.all([
      defaultOfflinePlans().then((plans) => plans.recovery),
      sharedOfflinePlan(["recovery"], RECOVERY_EXISTING_ZONE).then((plans) => plans.recovery),
    ]);
  }, 180_000);

  test("validates and plans only creations", () => {
    // GIVEN an empty state WHEN planned THEN everything is created and nothing else happens
    for (const result of [defaults, existingZone]) {
      expectOnlyCreations(result);
    }
  });

  test("plans the machine-readable recovery outputs as Terraform numbers, booleans and nulls a gate can read from the plan", () => {
    const outputs = defaults.plan.planned_values.outputs;
    const figures = outputs.recovery.value;
    expect(figures.host).toMatchObject({ outcome: "healed", survives: true, rpo_kind: "zero", rpo_seconds: 0, rpo_bounded: true });
    expect(typeof figures.host.rto_p99_seconds).toBe("number");
    expect(figures.az_outage).toMatchObject({
      outcome: "not-survived",
      survives: false,
      rto_p99_seconds: null,
      rto_max_seconds: null,
      rpo_kind: "unavailable",
    });
    expect(outputs.recovery_summary.value.host).toMatch(/^healed: P50 \d+ min/);
  });

  test("plans the server, its Elastic IP and name, both alarms and the recovery events", () => {
    const count = (type: string) => changes(defaults, type).length;
    expect(count("aws_instance")).toBe(1);
    expect(count("aws_eip_association")).toBe(1);
    expect(count("aws_cloudwatch_metric_alarm")).toBe(2);
    expect(count("aws_cloudwatch_event_rule")).toBe(1);
    expect(count("aws_cloudwatch_event_target")).toBe(1);
    expect(count("aws_route53_record")).toBe(1);
  });

  test("with dns.zoneId unset the offline plan creates no zone: the record goes into the stand-in zone id, as a deploy's goes into dns.zoneId", () => {
    expect(changes(defaults, "aws_route53_zone")).toHaveLength(0);
    expect(changes(defaults, "aws_route53_record")[0].change.after).toMatchObject({ zone_id: OFFLINE_ZONE_ID, name: "recovery.ha.example.com" });
  });

  test("the planned alarms carry the EC2 action ARNs and the configured periods", () => {
    const byMetric = (result: OfflinePlan) =>
      Object.fromEntries(changes(result, "aws_cloudwatch_metric_alarm").map((c) => [c.change.after.metric_name, c.change.after]));
    const planned = byMetric(defaults);
    expect(planned.StatusCheckFailed_System).toMatchObject({ period: 60, evaluation_periods: 2, treat_missing_data: "missing" });
    expect(planned.StatusCheckFailed_Instance).toMatchObject({ period: 60, evaluation_periods: 3, treat_missing_data: "missing" });
    // The actions include the topic's ARN, unknown until apply, so the plan shows the set as
    // unknown; the configuration Terraform planned holds the literal EC2 action ARNs.
    const actions = Object.values(defaults.cdkTfJson.resource.aws_cloudwatch_metric_alarm).map((a: any) => a.alarm_actions[0]);
    expect(actions.sort()).toEqual(["arn:aws:automate:ap-northeast-2:ec2:reboot", "arn:aws:automate:ap-northeast-2:ec2:recover"]);
    const configured = byMetric(existingZone);
    expect(configured.StatusCheckFailed_System.evaluation_periods).toBe(5);
    expect(configured.StatusCheckFailed_Instance.evaluation_periods).toBe(6);
  });

  test("the planned instance keeps simplified automatic recovery and detailed monitoring on", () => {
    const [instance] = changes(defaults, "aws_instance");
    expect(instance.change.after).toMatchObject({ monitoring: true, associate_public_ip_address: true, maintenance_options: [{ auto_recovery: "default" }] });
  });

  test("with an existing zone the record goes into it and no zone is created", () => {
    expect(changes(existingZone, "aws_route53_zone")).toHaveLength(0);
    const [record] = changes(existingZone, "aws_route53_record");
    expect(record.change.after).toMatchObject({ zone_id: "Z0123456789ABCDEFGHIJ", name: "recovery.example.org", ttl: 300, type: "A" });
    expect(changes(existingZone, "aws_sns_topic_subscription")[0].change.after).toMatchObject({ protocol: "email", endpoint: "ops@example.com" });
    const ssh = changes(existingZone, "aws_vpc_security_group_ingress_rule").filter((c) => c.change.after.from_port === 22);
    expect(ssh.map((c) => c.change.after.cidr_ipv4)).toEqual(["198.51.100.0/24"]);
  });
});
