/**
 * The web stack through the real Terraform CLI, offline: init, validate and plan against the
 * pinned provider. What the plan would create is asserted from `terraform show -json`.
 */
import { TLS_POLICY } from "../../constructs/web/application-load-balancer";
import { OfflinePlan, defaultOfflinePlans, expectOnlyCreations, sharedOfflinePlan } from "../helpers";
import { CERTIFICATE, NAT_ALLOCATIONS, WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET } from "../plan-set";

interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, any>;
}

/** The planned resources of one type. */
function planned(result: OfflinePlan, type: string): PlannedResource[] {
  const resources: PlannedResource[] = result.plan.planned_values.root_module.resources;
  return resources.filter((r) => r.type === type);
}

/** The planned resources a configured attribute refers to (Terraform's own reading of the references). */
function referenced(result: OfflinePlan, type: string, attribute: string): PlannedResource[] {
  const config = result.plan.configuration.root_module.resources.find((r: any) => r.type === type);
  const addresses = new Set<string>(config.expressions[attribute].references);
  return result.plan.planned_values.root_module.resources.filter((r: PlannedResource) => addresses.has(r.address));
}

function onlyPlanned(result: OfflinePlan, type: string): Record<string, any> {
  const all = planned(result, type);
  expect(all).toHaveLength(1);
  return all[0].values;
}

describe("web stack, planned by Terraform", () => {
  describe("with the default configuration", () => {
    let result: OfflinePlan;
    beforeAll(async () => {
      // GIVEN the default configuration WHEN terraform init, validate and plan run offline
      result = (await defaultOfflinePlans()).web;
    });

    test("validates and plans only creations", () => {
      // THEN the configuration is valid and the plan creates everything, changing nothing
      expectOnlyCreations(result);
    });

    test("plans the course's target group health check and draining", () => {
      const tg = onlyPlanned(result, "aws_lb_target_group");
      expect(tg).toMatchObject({ protocol: "HTTP", port: 80, deregistration_delay: "300" });
      expect(tg.health_check).toEqual([
        expect.objectContaining({ path: "/health", interval: 5, timeout: 2, healthy_threshold: 2, unhealthy_threshold: 2, matcher: "200" }),
      ]);
    });

    test("plans one HTTP listener forwarding, and an ALB that drops invalid headers", () => {
      const listener = onlyPlanned(result, "aws_lb_listener");
      expect(listener).toMatchObject({ protocol: "HTTP", port: 80 });
      expect(listener.default_action).toEqual([expect.objectContaining({ type: "forward" })]);
      expect(onlyPlanned(result, "aws_lb")).toMatchObject({ drop_invalid_header_fields: true, enable_deletion_protection: true, internal: false });
    });

    test("plans a group of 3 to 6 with ELB health checks in the private subnet of every AZ", () => {
      const group = onlyPlanned(result, "aws_autoscaling_group");
      expect(group).toMatchObject({ min_size: 3, max_size: 6, health_check_type: "ELB", health_check_grace_period: 30, min_elb_capacity: 3 });
      expect(group.wait_for_capacity_timeout).toMatch(/^\d+s$/);
      expect(group.instance_refresh[0].preferences[0]).toMatchObject({ checkpoint_percentages: [50, 100], checkpoint_delay: "300", auto_rollback: false });
      expect(group.instance_refresh[0].preferences[0].alarm_specification[0].alarms).toHaveLength(2);
      const subnets = referenced(result, "aws_autoscaling_group", "vpc_zone_identifier");
      expect(subnets.map((s) => s.type)).toEqual(["aws_subnet", "aws_subnet", "aws_subnet"]);
      expect(subnets.map((s) => s.values.tags.Tier)).toEqual(["private", "private", "private"]);
      expect(subnets.map((s) => s.values.availability_zone).sort()).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
      expect(referenced(result, "aws_autoscaling_group", "target_group_arns").map((r) => r.type)).toEqual(["aws_lb_target_group"]);
      expect(onlyPlanned(result, "aws_autoscaling_notification").notifications).toHaveLength(4);
    });

    test("plans target tracking and the three ALB alarms", () => {
      expect(onlyPlanned(result, "aws_autoscaling_policy")).toMatchObject({ policy_type: "TargetTrackingScaling" });
      expect(
        planned(result, "aws_cloudwatch_metric_alarm")
          .map((a) => a.values.metric_name)
          .sort(),
      ).toEqual(["HTTPCode_ELB_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"]);
      expect(
        planned(result, "aws_route53_record")
          .map((r) => r.values.name)
          .sort(),
      ).toEqual(["app-b.ha.example.com", "www.ha.example.com"]);
    });
  });

  describe("with a certificate, step scaling, existing NAT addresses and a created access-log bucket", () => {
    let result: OfflinePlan;
    beforeAll(async () => {
      // GIVEN HTTPS, the course's step policies, Elastic IPs allocated beforehand and an access-log bucket WHEN planned offline
      result = (await sharedOfflinePlan(["web"], WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET)).web;
    });

    test("plans the access-log bucket, SSE-S3 and private, and the load balancer logging into it", () => {
      expect(onlyPlanned(result, "aws_s3_bucket")).toMatchObject({ bucket_prefix: "multiaz-ref-web-" });
      expect(onlyPlanned(result, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        expect.objectContaining({ apply_server_side_encryption_by_default: [expect.objectContaining({ sse_algorithm: "AES256" })] }),
      ]);
      expect(onlyPlanned(result, "aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, restrict_public_buckets: true });
      expect(onlyPlanned(result, "aws_lb").access_logs).toEqual([expect.objectContaining({ enabled: true, prefix: "multiaz-ref-web" })]);
      // Terraform's own reading of the block: the bucket name is the created bucket's.
      const lbConfig = result.plan.configuration.root_module.resources.find((r: any) => r.type === "aws_lb");
      expect(lbConfig.expressions.access_logs[0].bucket.references).toContainEqual(expect.stringMatching(/^aws_s3_bucket\./));
    });

    test("plans the NAT gateways on the given allocations, and no Elastic IP", () => {
      expect(planned(result, "aws_eip")).toEqual([]);
      expect(
        planned(result, "aws_nat_gateway")
          .map((n) => n.values.allocation_id)
          .sort(),
      ).toEqual(Object.values(NAT_ALLOCATIONS).sort());
    });

    test("validates and plans only creations", () => {
      expectOnlyCreations(result);
    });

    test("plans HTTPS with a TLS 1.2+ policy and a permanent redirect from HTTP", () => {
      const listeners = planned(result, "aws_lb_listener").map((l) => l.values);
      expect(listeners.find((l) => l.port === 443)).toMatchObject({ protocol: "HTTPS", ssl_policy: TLS_POLICY, certificate_arn: CERTIFICATE });
      expect(listeners.find((l) => l.port === 80)!.default_action).toEqual([
        expect.objectContaining({ type: "redirect", redirect: [expect.objectContaining({ protocol: "HTTPS", port: "443", status_code: "HTTP_301" })] }),
      ]);
    });

    test("plans the course's +1 / -1 step policies and their CPU alarms", () => {
      const policies = planned(result, "aws_autoscaling_policy").map((p) => p.values);
      expect(policies.map((p) => p.policy_type)).toEqual(["StepScaling", "StepScaling"]);
      expect(policies.map((p) => p.step_adjustment[0].scaling_adjustment).sort()).toEqual([-1, 1]);
      const cpu = planned(result, "aws_cloudwatch_metric_alarm").filter((a) => a.values.metric_name === "CPUUtilization");
      expect(cpu.map((a) => [a.values.comparison_operator, a.values.threshold]).sort()).toEqual([
        ["GreaterThanOrEqualToThreshold", 80],
        ["LessThanOrEqualToThreshold", 20],
      ]);
    });
  });
});
