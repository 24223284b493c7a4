import { Construct } from "constructs";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { SingleServerGroup, SingleServerGroupProps } from "../../../constructs/autoscaling/single-server-group";
import { HardenedLaunchTemplate } from "../../../constructs/compute/hardened-launch-template";
import { InstanceRole } from "../../../constructs/compute/instance-role";
import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { deref, only, resources, statement, synthConstruct, testVpc } from "../../helpers";

const AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

function group(scope: Construct, overrides: Partial<SingleServerGroupProps> = {}): SingleServerGroup {
  const vpc = testVpc(scope);
  const role = new InstanceRole(scope, "role", { name: "demo" });
  return new SingleServerGroup(scope, "group", {
    name: "demo",
    vpc,
    subnetTier: "public",
    launchTemplate: new HardenedLaunchTemplate(scope, "template", { name: "demo", vpc, instanceType: "t3.micro", role, userData: "#cloud-config\n" }),
    topic: new NotificationTopic(scope, "topic", { name: "demo" }),
    launchHook: HOOK,
    ...overrides,
  });
}

const WARM = { poolState: "Stopped" as const, minSize: 1 };
const HOOK = { name: "demo-launch", timeoutSeconds: 840 };

describe("SingleServerGroup", () => {
  test("keeps exactly one instance, over one subnet in each AZ", () => {
    // GIVEN a group over the public subnets of a VPC of three AZs
    const tf = synthConstruct((scope) => group(scope));

    // THEN min = max = desired = 1 and a replacement may start in any of the AZs
    const asg = only(tf, "aws_autoscaling_group");
    expect(asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1 });
    const subnets = asg.vpc_zone_identifier.map((ref: string) => deref(tf, ref).body);
    expect(subnets.map((s: { availability_zone: string }) => s.availability_zone)).toEqual(AZS);
    expect(subnets.map((s: { tags: { Tier: string } }) => s.tags.Tier)).toEqual(["public", "public", "public"]);
  });

  test("replaces a failed instance on EC2 health checks after the grace period", () => {
    const tf = synthConstruct((scope) => group(scope, { healthCheckGracePeriodSeconds: 420 }));

    expect(only(tf, "aws_autoscaling_group")).toMatchObject({ health_check_type: "EC2", health_check_grace_period: 420 });
  });

  test("makes the apply wait for the server as long as its launch hook may hold it, plus the hook's result delay", () => {
    // GIVEN the hook's timeout alone THEN the wait is that timeout (not the provider's 10 minutes)
    expect(
      only(
        synthConstruct((scope) => group(scope)),
        "aws_autoscaling_group",
      ).wait_for_capacity_timeout,
    ).toBe("840s");
    // GIVEN a delay for Auto Scaling to apply the default result THEN the wait covers it too
    let made: SingleServerGroup | undefined;
    const tf = synthConstruct((scope) => {
      made = group(scope, { launchHook: { ...HOOK, timeoutSeconds: 600, resultDelaySeconds: 45 } });
    });
    expect(only(tf, "aws_autoscaling_group").wait_for_capacity_timeout).toBe("645s");
    expect(made!.capacityWaitSeconds).toBe(645);
  });

  test.each([-1, 601, 2.5])("fails when the hook's result delay is %p", (seconds) => {
    expect(() => synthConstruct((scope) => group(scope, { launchHook: { ...HOOK, resultDelaySeconds: seconds } }))).toThrow(
      new RegExp(`launchHook.resultDelaySeconds \\(${seconds}\\): must be a whole number from 0 to 600`),
    );
  });

  test("refreshes the instance when the launch template gets a new version: terminate, then launch; no checkpoints, alarms, rollback or lifetime (one server)", () => {
    const tf = synthConstruct((scope) => group(scope));

    const asg = only(tf, "aws_autoscaling_group");
    // The version number, so that a new version changes the group and starts the refresh.
    expect(deref(tf, asg.launch_template.version)).toMatchObject({ type: "aws_launch_template", attr: "latest_version" });
    // Exactly these preferences: max healthy stays AWS's 100 (terminate first), nothing to check or roll back.
    expect(asg.instance_refresh).toEqual({ strategy: "Rolling", preferences: { min_healthy_percentage: 0 } });
    expect(asg.max_instance_lifetime).toBeUndefined();
    // Capacity rebalancing answers Spot interruptions; the group runs On-Demand only.
    expect(asg.capacity_rebalance).toBeUndefined();
  });

  test("notifies launches, terminations and their failures", () => {
    const tf = synthConstruct((scope) => group(scope));

    const notification = only(tf, "aws_autoscaling_notification");
    expect(notification.notifications).toEqual([
      "autoscaling:EC2_INSTANCE_LAUNCH",
      "autoscaling:EC2_INSTANCE_TERMINATE",
      "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
      "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
    ]);
    expect(deref(tf, notification.topic_arn)).toMatchObject({ type: "aws_sns_topic", attr: "arn" });
    expect(deref(tf, notification.group_names[0]).type).toBe("aws_autoscaling_group");
  });

  test("puts its tags on every instance it launches", () => {
    const tf = synthConstruct((scope) => group(scope, { tags: { Project: "demo", Stack: "multiaz" } }));

    expect(only(tf, "aws_autoscaling_group").tag).toEqual([
      { key: "Project", value: "demo", propagate_at_launch: true },
      { key: "Stack", value: "multiaz", propagate_at_launch: true },
    ]);
  });

  test("holds every launch on a hook that exists before the first instance, and lets it continue when nobody completes it", () => {
    const tf = synthConstruct((scope) => group(scope));

    expect(only(tf, "aws_autoscaling_group").initial_lifecycle_hook).toEqual([
      { name: "demo-launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 840, default_result: "CONTINUE" },
    ]);
  });

  test("waits for what completes the launches (the takeover function) before the first launch", () => {
    const tf = synthConstruct((scope) => {
      const fn = new LaunchTemplate(scope, "completer", { name: "stands-in-for-the-function" });
      group(scope, { launchDependencies: [fn] });
    });

    const [address] = Object.keys(resources(tf, "aws_launch_template")).filter((a) => a.startsWith("completer"));
    expect(only(tf, "aws_autoscaling_group").depends_on).toEqual([`aws_launch_template.${address}`]);
  });

  test("without a warm pool, has no warm pool, and its instances may complete nothing", () => {
    const tf = synthConstruct((scope) => group(scope));

    expect(only(tf, "aws_autoscaling_group").warm_pool).toBeUndefined();
    expect(resources(tf, "aws_iam_role_policy")).toEqual({});
  });

  test.each([10, 7201])("fails when the launch hook's timeout is %p s", (timeoutSeconds) => {
    expect(() => synthConstruct((scope) => group(scope, { launchHook: { ...HOOK, timeoutSeconds } }))).toThrow(
      new RegExp(`launchHook.timeoutSeconds \\(${timeoutSeconds}\\): must be a whole number from 30 to 7200`),
    );
  });

  describe("with a warm pool", () => {
    test("keeps min_size stopped instances in the pool, which max = desired = 1 alone would not", () => {
      const tf = synthConstruct((scope) => group(scope, { warmPool: { ...WARM, minSize: 2 } }));

      expect(only(tf, "aws_autoscaling_group").warm_pool).toEqual({
        pool_state: "Stopped",
        min_size: 2,
        instance_reuse_policy: { reuse_on_scale_in: true },
      });
    });

    test("lets the instances complete this group's lifecycle actions only (their launch into the pool), before the group launches", () => {
      const tf = synthConstruct((scope) => group(scope, { warmPool: WARM }));

      const policy = only(tf, "aws_iam_role_policy");
      expect(statement(policy, "CompleteThisGroupsLaunchHook")).toEqual({
        Sid: "CompleteThisGroupsLaunchHook",
        Effect: "Allow",
        Action: "autoscaling:CompleteLifecycleAction",
        Resource: "arn:aws:autoscaling:ap-northeast-2:*:autoScalingGroup:*:autoScalingGroupName/demo",
      });
      const [address] = Object.keys(resources(tf, "aws_iam_role_policy"));
      expect(only(tf, "aws_autoscaling_group").depends_on).toEqual([`aws_iam_role_policy.${address}`]);
    });

    test("keeps running instances when asked to", () => {
      const tf = synthConstruct((scope) => group(scope, { warmPool: { ...WARM, poolState: "Running" } }));

      expect(only(tf, "aws_autoscaling_group").warm_pool.pool_state).toBe("Running");
    });
  });

  test("fails when the VPC has no subnets of the tier (a programmer error at the group's path)", () => {
    expect(() => synthConstruct((scope) => group(scope, { subnetTier: "isolated" }))).toThrow(
      /group: subnetTier \("isolated"\): the VPC has no subnets of this tier in two AZs/,
    );
  });

  test.each([-1, 7201, 1.5])("fails when the grace period is %p", (seconds) => {
    expect(() => synthConstruct((scope) => group(scope, { healthCheckGracePeriodSeconds: seconds }))).toThrow(
      new RegExp(`healthCheckGracePeriodSeconds \\(${seconds}\\): must be a whole number from 0 to 7200`),
    );
  });

  test("fails when the warm pool would hibernate, which the template does not configure", () => {
    expect(() => synthConstruct((scope) => group(scope, { warmPool: { ...WARM, poolState: "Hibernated" as never } }))).toThrow(
      /warmPool.poolState \("Hibernated"\): must be one of "Stopped", "Running"/,
    );
  });

  test.each([0, 4])("fails when the warm pool keeps %p instances for three AZs", (minSize) => {
    expect(() => synthConstruct((scope) => group(scope, { warmPool: { ...WARM, minSize } }))).toThrow(
      new RegExp(`warmPool.minSize \\(${minSize}\\): must be a whole number from 1 to 3`),
    );
  });
});
