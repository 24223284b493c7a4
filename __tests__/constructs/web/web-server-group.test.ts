import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { InstanceTargetGroup } from "../../../constructs/web/target-group";
import { WebServerGroup, WebServerGroupProps } from "../../../constructs/web/web-server-group";
import { TerraformJson, deref, only, resources, synthConstruct, testVpc } from "../../helpers";

const BASE: Omit<WebServerGroupProps, "topic" | "targetGroups" | "vpc"> = {
  name: "test-web",
  launchHook: { name: "test-web-launch", timeoutSeconds: 840 },
  loadBalancerSecurityGroupId: "sg-0a1b2c3d4e5f60718",
  port: 80,
  userData: '#cloud-config\npackages:\n  - "nginx"\n',
  instanceType: "t3.micro",
};

function synthGroup(props: Partial<WebServerGroupProps> = {}): TerraformJson {
  return synthConstruct((scope) => {
    const vpc = testVpc(scope);
    new WebServerGroup(scope, "servers", {
      ...BASE,
      vpc,
      topic: new NotificationTopic(scope, "topic", { name: "test-web" }),
      targetGroups: [new InstanceTargetGroup(scope, "target-group", { name: "test-web", vpc, port: 80 })],
      ...props,
    });
  });
}

describe("WebServerGroup", () => {
  describe("with defaults", () => {
    // GIVEN a VPC of three AZs and no sizes WHEN synthesized
    const tf = synthGroup();
    const group = only(tf, "aws_autoscaling_group");

    test("keeps one server per AZ at least and may double (static stability)", () => {
      expect(group).toMatchObject({ min_size: 3, max_size: 6 });
      // The scaling policies own the desired capacity; a fixed one would be reset on every apply.
      expect(group.desired_capacity).toBeUndefined();
    });

    test("spreads over every given subnet and registers in the target group", () => {
      expect(group.vpc_zone_identifier.map((id: string) => deref(tf, id).body.tags)).toEqual(
        ["a", "b", "c"].map((az) => ({ Name: `test-private-ap-northeast-2${az}`, Tier: "private" })),
      );
      expect(group.target_group_arns).toEqual([expect.stringMatching(/^\$\{aws_lb_target_group\.[^.]+\.arn\}$/)]);
    });

    test("replaces instances that fail the load balancer's health check, after a short grace period once they are ready", () => {
      expect(group).toMatchObject({ health_check_type: "ELB", health_check_grace_period: 30 });
    });

    test("holds every launch at a hook until the instance reports ready, and replaces it when it never does", () => {
      // Readiness decides, not the grace period: an instance enters service (and the load
      // balancer, and its grace period) only once its agent completed the hook.
      expect(group.initial_lifecycle_hook).toEqual([
        { name: "test-web-launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 840, default_result: "ABANDON" },
      ]);
    });

    test("lets the instances complete this group's launches only, before the first launch", () => {
      const policy = Object.values(resources(tf, "aws_iam_role_policy")).find((p) => p.name === "complete-launch-hook")!;
      expect(policy).toBeDefined();
      const [address] = Object.entries(resources(tf, "aws_iam_role_policy")).find(([, p]) => p.name === "complete-launch-hook")!;
      expect(group.depends_on).toEqual([`aws_iam_role_policy.${address}`]);
      expect(policy.policy).toContain("arn:aws:autoscaling:ap-northeast-2:*:autoScalingGroup:*:autoScalingGroupName/test-web");
    });

    test("launches the hardened template's newest version and refreshes instances when it changes", () => {
      const template = deref(tf, group.launch_template.id);
      expect(template.type).toBe("aws_launch_template");
      expect(group.launch_template.version).toBe(`\${aws_launch_template.${template.name}.latest_version}`);
      expect(template.body.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(Buffer.from(template.body.user_data, "base64").toString("utf8")).toBe(BASE.userData);
      expect(group.instance_refresh).toEqual({
        strategy: "Rolling",
        preferences: {
          min_healthy_percentage: 100,
          max_healthy_percentage: 200,
          checkpoint_percentages: [50, 100],
          checkpoint_delay: "300",
          auto_rollback: false,
        },
      });
      expect(group.max_instance_lifetime).toBeUndefined();
    });

    test("the apply creating it waits for minSize healthy targets, as long as the launch hook plus the health check's healthy threshold", () => {
      // 840 s of launch hook + 2 healthy checks 5 s apart (the target group's defaults)
      expect(group).toMatchObject({ min_elb_capacity: 3, wait_for_capacity_timeout: "850s" });
      expect(group.wait_for_elb_capacity).toBeUndefined();
    });

    test("collects group metrics every minute", () => {
      expect(group.metrics_granularity).toBe("1Minute");
      expect(group.enabled_metrics).toEqual(expect.arrayContaining(["GroupDesiredCapacity", "GroupInServiceInstances"]));
    });

    test("admits the workload port only from the load balancer's security group", () => {
      const rules = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule"));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ from_port: 80, to_port: 80, ip_protocol: "tcp", referenced_security_group_id: BASE.loadBalancerSecurityGroupId });
      expect(rules[0].cidr_ipv4).toBeUndefined();
      const template = deref(tf, group.launch_template.id).body;
      expect(template.vpc_security_group_ids).toEqual([rules[0].security_group_id]);
    });

    test("tells the topic about launches, terminations and their failures", () => {
      const notification = only(tf, "aws_autoscaling_notification");
      expect(deref(tf, notification.topic_arn)).toMatchObject({ type: "aws_sns_topic", attr: "arn" });
      expect([...notification.notifications].sort()).toEqual([
        "autoscaling:EC2_INSTANCE_LAUNCH",
        "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
        "autoscaling:EC2_INSTANCE_TERMINATE",
        "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
      ]);
      expect(deref(tf, notification.group_names[0]).type).toBe("aws_autoscaling_group");
    });

    test("gives the instances an SSM-managed role", () => {
      const attachment = only(tf, "aws_iam_role_policy_attachment");
      expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    });
  });

  test("takes explicit sizes and grace period", () => {
    const group = only(synthGroup({ minSize: 2, maxSize: 3, healthCheckGracePeriodSeconds: 60 }), "aws_autoscaling_group");
    expect(group).toMatchObject({ min_size: 2, max_size: 3, health_check_grace_period: 60 });
  });

  test("without waiting for healthy targets, still waits for InService instances as long as a healthy first boot may take", () => {
    const group = only(synthGroup({ minSize: 2, waitForHealthyTargets: false }), "aws_autoscaling_group");
    expect(group.min_elb_capacity).toBeUndefined();
    expect(group.wait_for_capacity_timeout).toBe("850s");
  });

  test("the wait follows the slowest target group's healthy threshold and the group's own minimum", () => {
    const tf = synthConstruct((scope) => {
      const vpc = testVpc(scope);
      const slow = new InstanceTargetGroup(scope, "slow", { name: "slow", vpc, port: 80, healthCheck: { healthyThreshold: 5, intervalSeconds: 30 } });
      const fast = new InstanceTargetGroup(scope, "fast", { name: "fast", vpc, port: 80 });
      new WebServerGroup(scope, "servers", {
        ...BASE,
        vpc,
        minSize: 2,
        topic: new NotificationTopic(scope, "topic", { name: "t" }),
        targetGroups: [fast, slow],
      });
    });
    expect(only(tf, "aws_autoscaling_group")).toMatchObject({ min_elb_capacity: 2, wait_for_capacity_timeout: `${840 + 5 * 30}s` });
  });

  test("a refresh stops when a watched alarm fires; servers may get a maximum lifetime", () => {
    const tf = synthConstruct((scope) => {
      const vpc = testVpc(scope);
      const topic = new NotificationTopic(scope, "topic", { name: "t" });
      const targetGroup = new InstanceTargetGroup(scope, "target-group", { name: "test-web", vpc, port: 80 });
      const alarm = new CloudwatchMetricAlarm(scope, "unhealthy", {
        alarmName: "test-web-unhealthy-hosts",
        comparisonOperator: "GreaterThanThreshold",
        evaluationPeriods: 1,
      });
      new WebServerGroup(scope, "servers", { ...BASE, vpc, topic, targetGroups: [targetGroup], refreshAlarms: [alarm], maxInstanceLifetimeSeconds: 604800 });
    });
    const group = only(tf, "aws_autoscaling_group");
    expect(group.instance_refresh.preferences.alarm_specification).toEqual({ alarms: ["${aws_cloudwatch_metric_alarm.unhealthy.alarm_name}"] });
    expect(group.instance_refresh.preferences.auto_rollback).toBe(false);
    expect(group.max_instance_lifetime).toBe(604800);
  });

  test.each([
    ["minSize is above maxSize", { minSize: 4, maxSize: 3 }, /servers: the group's size must be 1 <= minSize \(4\) <= maxSize \(3\)/],
    [
      "the launch hook's timeout is below 30 s",
      { launchHook: { name: "test-web-launch", timeoutSeconds: 10 } },
      /servers: the launch hook needs .* a timeout of 30 to 7200 s/,
    ],
    ["the maximum lifetime is under a day", { maxInstanceLifetimeSeconds: 3600 }, /maxInstanceLifetimeSeconds must be 0 or 86400 to 31536000, got 3600/],
    ["the launch template rejects the instance type", { instanceType: "large" }, /instanceType \("large"\): must be an EC2 instance type/],
  ])("fails when %s", (_case, props, message) => {
    expect(() => synthGroup(props as Partial<WebServerGroupProps>)).toThrow(message);
  });
});
