/**
 * The multiaz stack through the real Terraform CLI, offline: init, validate and plan with the
 * provider's own schema checks, in a temporary directory. Everything that needs AWS (the base
 * image, the newest AMI) happens at apply time, so the plan needs no account.
 */
import { LAMBDA_RUNTIME } from "../../lib/lambda-runtime";
import { launchHookTimeoutSeconds } from "../../model/assumptions";
import { OfflinePlan, defaultOfflinePlans, expectOnlyCreations, sharedOfflinePlan } from "../helpers";

interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly change: { readonly actions: string[]; readonly after: Record<string, any>; readonly after_unknown: Record<string, any> };
}

function changes(result: OfflinePlan, type: string): ResourceChange[] {
  return (result.plan.resource_changes as ResourceChange[]).filter((c) => c.type === type);
}

function planned(result: OfflinePlan, type: string): Record<string, any> {
  const found = changes(result, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, planned ${found.length}`);
  return found[0].change.after;
}

/** The one planned resource of `type` whose `attribute` is `value`. */
function plannedWith(result: OfflinePlan, type: string, attribute: string, value: string): Record<string, any> {
  const found = changes(result, type).filter((c) => c.change.after[attribute] === value);
  if (found.length !== 1) throw new Error(`expected one ${type} with ${attribute} ${value}, planned ${found.length}`);
  return found[0].change.after;
}

describe("multiaz stack, planned by Terraform", () => {
  let defaults: OfflinePlan;
  let efsAndWarmPool: OfflinePlan;

  beforeAll(async () => {
    [defaults, efsAndWarmPool] = await Promise.all([
      defaultOfflinePlans().then((plans) => plans.multiaz),
      // The variant stack multiaz-efs-warm-pool (multiaz with efs and warmPool enabled): the scan reads it too; planned once per run with the default stacks.
      sharedOfflinePlan(["multiaz-efs-warm-pool"]).then((plans) => plans["multiaz-efs-warm-pool"]),
    ]);
  }, 180_000);

  test("validates and plans only creations", () => {
    for (const result of [defaults, efsAndWarmPool]) {
      expectOnlyCreations(result);
    }
  });

  test("plans one server over every AZ, replaced on EC2 health checks", () => {
    const asg = planned(defaults, "aws_autoscaling_group");
    expect(asg).toMatchObject({
      name: "multiaz-ref-multiaz",
      min_size: 1,
      max_size: 1,
      desired_capacity: 1,
      health_check_type: "EC2",
      health_check_grace_period: 300,
    });
    expect(asg.instance_refresh).toEqual([expect.objectContaining({ strategy: "Rolling" })]);
    // The apply waits for the server InService through its launch hook's timeout (constructs/autoscaling/launch-hook.ts).
    expect(parseInt(asg.wait_for_capacity_timeout, 10)).toBeGreaterThan(asg.initial_lifecycle_hook[0].heartbeat_timeout);
    expect(asg.warm_pool).toEqual([]);
    // Three subnet ids, unknown until apply: one per AZ.
    expect(changes(defaults, "aws_autoscaling_group")[0].change.after_unknown.vpc_zone_identifier).toBe(true);
    expect(
      defaults.cdkTfJson.resource.aws_autoscaling_group[Object.keys(defaults.cdkTfJson.resource.aws_autoscaling_group)[0]].vpc_zone_identifier,
    ).toHaveLength(3);
  });

  test("plans the AMI pipeline: DLM schedule, the image parameter, its seed and publisher", () => {
    const dlm = planned(defaults, "aws_dlm_lifecycle_policy");
    expect(dlm.state).toBe("ENABLED");
    expect(dlm.policy_details[0]).toMatchObject({ policy_type: "IMAGE_MANAGEMENT", target_tags: { ServerGroup: "multiaz-ref-multiaz" } });
    expect(dlm.policy_details[0].schedule[0]).toMatchObject({ create_rule: [{ interval: 24, interval_unit: "HOURS" }], retain_rule: [{ count: 7 }] });

    expect(plannedWith(defaults, "aws_ssm_parameter", "name", "/multiaz-ref/multiaz/image-id")).toMatchObject({ type: "String", data_type: "aws:ec2:image" });
    expect(planned(defaults, "aws_launch_template").image_id).toBe("resolve:ssm:/multiaz-ref/multiaz/image-id");
    expect(planned(defaults, "aws_lambda_invocation")).toMatchObject({ lifecycle_scope: "CREATE_ONLY" });

    // Terraform hashed the zip the synth wrote: the handler is packaged. The plan validated the
    // runtime against the pinned provider's list (5.100.0 rejects nodejs24.x).
    const lambda = plannedWith(defaults, "aws_lambda_function", "function_name", "multiaz-ref-multiaz-image-publisher");
    expect(lambda).toMatchObject({ runtime: LAMBDA_RUNTIME.id, handler: "constructs/ami-pipeline/handler/index.handler" });
    expect(lambda.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test("plans the endpoint: an Elastic IP that Terraform does not associate, and its A record", () => {
    expect(changes(defaults, "aws_eip").length).toBe(1); // the endpoint; no NAT: the server runs in a public subnet
    expect(changes(defaults, "aws_eip_association")).toEqual([]);
    expect(planned(defaults, "aws_route53_record")).toMatchObject({ name: "multiaz.ha.example.com", type: "A", ttl: 60 });
  });

  test("plans the endpoint takeover: its function, the failure record, its rules and the endpoint alarm, and a launch hook on the group", () => {
    const fn = plannedWith(defaults, "aws_lambda_function", "function_name", "multiaz-ref-multiaz-endpoint-takeover");
    expect(fn).toMatchObject({ runtime: LAMBDA_RUNTIME.id, handler: "constructs/endpoint/handler/index.handler", timeout: 150 });
    expect(plannedWith(defaults, "aws_ssm_parameter", "name", "/multiaz-ref/multiaz/takeover-failures")).toMatchObject({
      type: "String",
      insecure_value: '{"failedInstances":[]}',
    });
    expect(plannedWith(defaults, "aws_cloudwatch_event_rule", "name", "multiaz-ref-multiaz-endpoint-check").schedule_expression).toBe("rate(5 minutes)");
    expect(
      JSON.parse(plannedWith(defaults, "aws_cloudwatch_event_rule", "name", "multiaz-ref-multiaz-launch-into-service").event_pattern).detail.Destination,
    ).toEqual(["AutoScalingGroup"]);
    expect(plannedWith(defaults, "aws_cloudwatch_metric_alarm", "alarm_name", "multiaz-ref-multiaz-endpoint")).toMatchObject({
      metric_name: "EndpointAttached",
      treat_missing_data: "breaching",
    });
    expect(planned(defaults, "aws_autoscaling_group").initial_lifecycle_hook).toEqual([
      expect.objectContaining({ name: "multiaz-ref-multiaz-launch", default_result: "CONTINUE", heartbeat_timeout: launchHookTimeoutSeconds() }),
    ]);
  });

  test("plans no file system by default", () => {
    expect(changes(defaults, "aws_efs_file_system")).toEqual([]);
    expect(changes(defaults, "aws_efs_mount_target")).toEqual([]);
  });

  test("with EFS: an encrypted regional file system, a mount target per AZ and a TLS-only policy", () => {
    // Regional: no AZ is configured, the provider only learns the (empty) AZ name at apply.
    expect(planned(efsAndWarmPool, "aws_efs_file_system")).toMatchObject({ encrypted: true, throughput_mode: "elastic" });
    expect(changes(efsAndWarmPool, "aws_efs_file_system")[0].change.after.availability_zone_name).toBeUndefined();
    expect(changes(efsAndWarmPool, "aws_efs_mount_target")).toHaveLength(3);
    expect(planned(efsAndWarmPool, "aws_efs_backup_policy").backup_policy).toEqual([{ status: "ENABLED" }]);
    expect(changes(efsAndWarmPool, "aws_efs_file_system_policy")).toHaveLength(1);
  });

  test("with a warm pool: stopped instances and a launch hook from the first launch", () => {
    const asg = planned(efsAndWarmPool, "aws_autoscaling_group");
    expect(asg.warm_pool).toEqual([expect.objectContaining({ pool_state: "Stopped", min_size: 1, instance_reuse_policy: [{ reuse_on_scale_in: true }] })]);
    expect(asg.initial_lifecycle_hook).toEqual([
      expect.objectContaining({
        name: "multiaz-ref-multiaz-efs-warm-pool-launch",
        lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        default_result: "CONTINUE",
        heartbeat_timeout: launchHookTimeoutSeconds(),
      }),
    ]);
  });
});
