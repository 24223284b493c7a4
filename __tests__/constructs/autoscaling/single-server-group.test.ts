import { Construct } from "constructs";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { SingleServerGroup, SingleServerGroupProps } from "../../../constructs/autoscaling/single-server-group";
import { InstanceRole } from "../../../constructs/compute/instance-role";
import { deref, only, resources, statement, synthConstruct } from "../../helpers";

const AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

function group(scope: Construct, overrides: Partial<SingleServerGroupProps> = {}, azs: readonly string[] = AZS): SingleServerGroup {
  return new SingleServerGroup(scope, "group", {
    name: "demo",
    region: "ap-northeast-2",
    partition: "aws",
    subnets: azs.map((az, i) => new Subnet(scope, `subnet-${az}`, { vpcId: "vpc-0demo", availabilityZone: az, cidrBlock: `10.0.${i}.0/24` })),
    launchTemplate: new LaunchTemplate(scope, "template", { name: "demo" }),
    role: new InstanceRole(scope, "role", { name: "demo", region: "ap-northeast-2", partition: "aws" }),
    notificationTopicArn: "arn:aws:sns:ap-northeast-2:111122223333:demo",
    launchHook: HOOK,
    ...overrides,
  });
}

const WARM = { poolState: "Stopped" as const, minSize: 1 };
const HOOK = { name: "demo-launch", timeoutSeconds: 840 };

describe("SingleServerGroup", () => {
  test("keeps exactly one instance, over one subnet in each AZ", () => {
    // GIVEN a group over the subnets of three AZs
    const tf = synthConstruct((scope) => group(scope));

    // THEN min = max = desired = 1 and a replacement may start in any of the AZs
    const asg = only(tf, "aws_autoscaling_group");
    expect(asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1 });
    const azs = asg.vpc_zone_identifier.map((ref: string) => deref(tf, ref).body.availability_zone);
    expect(azs).toEqual(AZS);
  });

  test("replaces a failed instance on EC2 health checks after the grace period", () => {
    const tf = synthConstruct((scope) => group(scope, { healthCheckGracePeriodSeconds: 420 }));

    expect(only(tf, "aws_autoscaling_group")).toMatchObject({ health_check_type: "EC2", health_check_grace_period: 420 });
  });

  test("refreshes the instance when the launch template gets a new version", () => {
    const tf = synthConstruct((scope) => group(scope));

    const asg = only(tf, "aws_autoscaling_group");
    // The version number, so that a new version changes the group and starts the refresh.
    expect(deref(tf, asg.launch_template.version)).toMatchObject({ type: "aws_launch_template", attr: "latest_version" });
    expect(asg.instance_refresh).toEqual({ strategy: "Rolling", preferences: { min_healthy_percentage: 0 } });
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
    expect(notification.topic_arn).toBe("arn:aws:sns:ap-northeast-2:111122223333:demo");
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

  test("fails when all subnets are in one AZ", () => {
    expect(() => synthConstruct((scope) => group(scope, {}, ["ap-northeast-2a"]))).toThrow(
      /subnets \(\["ap-northeast-2a"\]\): give one subnet in each of at least two AZs/,
    );
  });

  test("fails when two subnets share the only AZ", () => {
    expect(() =>
      synthConstruct((scope) =>
        group(scope, {
          subnets: ["a", "b"].map(
            (n, i) => new Subnet(scope, `s-${n}`, { vpcId: "vpc-0demo", availabilityZone: "ap-northeast-2a", cidrBlock: `10.0.${i}.0/24` }),
          ),
        }),
      ),
    ).toThrow(/subnets \(\["ap-northeast-2a","ap-northeast-2a"\]\)/);
  });

  test.each([-1, 7201, 1.5])("fails when the grace period is %p", (seconds) => {
    expect(() => synthConstruct((scope) => group(scope, { healthCheckGracePeriodSeconds: seconds }))).toThrow(
      new RegExp(`healthCheckGracePeriodSeconds \\(${seconds}\\): must be a whole number from 0 to 7200`),
    );
  });

  test("fails when the warm pool would hibernate, which the template does not configure", () => {
    expect(() => synthConstruct((scope) => group(scope, { warmPool: { ...WARM, poolState: "Hibernated" as never } }))).toThrow(
      /warmPool.poolState \("Hibernated"\): must be "Stopped" or "Running": Hibernated needs hibernation configured/,
    );
  });

  test.each([0, 4])("fails when the warm pool keeps %p instances for three AZs", (minSize) => {
    expect(() => synthConstruct((scope) => group(scope, { warmPool: { ...WARM, minSize } }))).toThrow(
      new RegExp(`warmPool.minSize \\(${minSize}\\): must be a whole number from 1 to 3`),
    );
  });
});
