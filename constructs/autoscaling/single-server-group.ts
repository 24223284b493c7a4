/**
 * One server kept alive by Auto Scaling (the book's `multiaz`): a group of exactly one
 * instance over a subnet in every AZ, so that a replacement can start in another AZ when the
 * server's AZ fails. EC2 health checks replace a stopped or impaired instance; a new launch
 * template version replaces the server through an instance refresh; launches, terminations
 * and their failures are notified. Every launch waits at a launch lifecycle hook: the launch
 * into service until the endpoint is on the instance (completed by the endpoint takeover
 * function), a launch into the warm pool until the instance is initialised (completed by the
 * instance's lifecycle agent). Optionally a warm pool keeps pre-initialised instances that
 * shorten a replacement.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html
 */
import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { AutoscalingGroup, AutoscalingGroupInitialLifecycleHook, AutoscalingGroupWarmPool } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingNotification } from "@cdktf/provider-aws/lib/autoscaling-notification";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Problems } from "../../lib/validation";
import { InstanceRole } from "../compute/instance-role";
import { allowCompletingLaunchHook } from "./launch-hook";

/** The Auto Scaling events the course subscribed the topic to. */
export const GROUP_NOTIFICATIONS = [
  "autoscaling:EC2_INSTANCE_LAUNCH",
  "autoscaling:EC2_INSTANCE_TERMINATE",
  "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
  "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
];

export type WarmPoolState = "Stopped" | "Running";

/** A pool of pre-initialised instances beside the group. */
export interface WarmPoolProps {
  /** State of the pooled instances (config key `warmPool.poolState`). @default "Stopped" - only their volumes are paid for */
  readonly poolState?: WarmPoolState;
  /** Instances kept in the pool, at most one per AZ (config key `warmPool.minSize`). @default 1 */
  readonly minSize?: number;
}

/**
 * The group's launch lifecycle hook. Auto Scaling stops a warm instance as soon as it
 * launched, without waiting for its user data, unless a hook holds it; and an instance enters
 * service only once the hook is completed, which the takeover function does once the
 * endpoint is on it.
 */
export interface LaunchHookProps {
  /** Name of the hook (1-255 characters). */
  readonly name: string;
  /**
   * Seconds the hook holds a launch before its default result (CONTINUE) applies: long enough
   * for a cold first boot (see `launchHookTimeoutSeconds` in model/assumptions.ts), 30-7200.
   */
  readonly timeoutSeconds: number;
}

export interface SingleServerGroupProps {
  /** Name of the group. */
  readonly name: string;
  /** Region of the group, for the ARN in the instances' permission to complete the launch hook. */
  readonly region: string;
  /** ARN partition of the region. */
  readonly partition: string;
  /** One subnet in each of at least two AZs; a replacement may start in any of them. */
  readonly subnets: readonly Subnet[];
  /** Template of the instances; each new version starts an instance refresh. */
  readonly launchTemplate: LaunchTemplate;
  /** Role of the instances; allowed to complete the group's launch hook when there is a warm pool. */
  readonly role: InstanceRole;
  /** The launch hook every launch waits at. */
  readonly launchHook: LaunchHookProps;
  /** What must exist before the first launch: whatever completes the hook (the takeover function and its rule). @default - nothing */
  readonly launchDependencies?: readonly ITerraformDependable[];
  /**
   * Seconds after a launch before a failed EC2 status check counts (config key
   * `healthCheckGracePeriodSeconds`, 0-7200).
   * @default 300
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /** SNS topic told about launches, terminations and their failures. */
  readonly notificationTopicArn: string;
  /** Tags of the group, also put on every instance and volume it launches. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Keep pre-initialised instances (config key `warmPool`). @default - no warm pool */
  readonly warmPool?: WarmPoolProps;
}

export class SingleServerGroup extends Construct {
  readonly group: AutoscalingGroup;
  readonly name: string;
  /** Name of the launch hook. */
  readonly launchHookName: string;

  constructor(scope: Construct, id: string, props: SingleServerGroupProps) {
    super(scope, id);
    validate(props);
    const template = props.launchTemplate;
    const warm = props.warmPool;

    // The instances complete their launch into the warm pool themselves (lifecycle agent).
    const hookPermission = warm ? allowCompletingLaunchHook(props.role, props.partition, props.region, props.name) : undefined;
    this.group = new AutoscalingGroup(this, "group", {
      name: props.name,
      // Exactly one server: the group exists to replace it, never to add a second.
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: props.subnets.map((s) => s.id),
      launchTemplate: {
        id: template.id,
        // The version number, not "$Latest": a new template version then changes the group and
        // starts the instance refresh below.
        // @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#instance_refresh
        version: Token.asString(template.latestVersion),
      },
      // EC2 status checks: there is no load balancer to ask (CKV2_AWS_15 applies with one).
      healthCheckType: "EC2",
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? 300,
      instanceRefresh: {
        strategy: "Rolling",
        // One instance: a refresh terminates it, then launches the replacement, which is a
        // planned replacement with the same RTO and RPO as a failure.
        preferences: { minHealthyPercentage: 0 },
      },
      // capacity_rebalance stays off: it answers Spot interruption notices, and the group
      // launches On-Demand instances only.
      warmPool: warm ? warmPool(warm) : undefined,
      // The hook must exist before the first launch, hence initial_lifecycle_hook rather than a
      // separate aws_autoscaling_lifecycle_hook created after the group.
      initialLifecycleHook: [launchHook(props.launchHook)],
      tag: Object.entries(props.tags ?? {}).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
      dependsOn: [...(hookPermission ? [hookPermission] : []), ...(props.launchDependencies ?? [])],
    });
    this.name = this.group.name;
    this.launchHookName = props.launchHook.name;

    new AutoscalingNotification(this, "notifications", {
      groupNames: [this.group.name],
      notifications: GROUP_NOTIFICATIONS,
      topicArn: props.notificationTopicArn,
    });
  }
}

function warmPool(warm: WarmPoolProps): AutoscalingGroupWarmPool {
  return {
    poolState: warm.poolState ?? "Stopped",
    // With max = desired = 1 the pool's default size (max_group_prepared_capacity - desired)
    // is 0: min_size is what keeps instances in it.
    minSize: warm.minSize ?? 1,
    // An instance the group scales in returns to the pool instead of being terminated.
    instanceReusePolicy: { reuseOnScaleIn: true },
  };
}

function launchHook(hook: LaunchHookProps): AutoscalingGroupInitialLifecycleHook {
  return {
    name: hook.name,
    lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
    heartbeatTimeout: hook.timeoutSeconds,
    // CONTINUE: a launch nobody completed (its event lost and the periodic check not run yet)
    // still serves, and the takeover function's periodic check moves the endpoint to it.
    // ABANDON would terminate the only server and launch the next, which can fail the same way.
    defaultResult: "CONTINUE",
  };
}

function validate(props: SingleServerGroupProps): void {
  const p = new Problems();
  const azs = props.subnets.map((s) => s.availabilityZoneInput);
  const knownAzs = azs.filter((az): az is string => az !== undefined && !Token.isUnresolved(az));
  if (props.subnets.length < 2 || (knownAzs.length === azs.length && new Set(knownAzs).size < 2)) {
    p.add("subnets", knownAzs, "give one subnet in each of at least two AZs, so that a replacement can start outside a failed AZ");
  }
  p.integerInRange("healthCheckGracePeriodSeconds", props.healthCheckGracePeriodSeconds, 0, 7200);
  const warm = props.warmPool;
  if (warm) {
    if (warm.poolState !== undefined && !["Stopped", "Running"].includes(warm.poolState)) {
      p.add(
        "warmPool.poolState",
        warm.poolState,
        (warm.poolState as string) === "Hibernated"
          ? 'must be "Stopped" or "Running": Hibernated needs hibernation configured in the launch template, which this stack does not do'
          : 'must be "Stopped" (pay for volumes only) or "Running"',
      );
    }
    const maxPooled = Math.max(1, props.subnets.length);
    if (warm.minSize !== undefined && (!Number.isInteger(warm.minSize) || warm.minSize < 1 || warm.minSize > maxPooled)) {
      p.add(
        "warmPool.minSize",
        warm.minSize,
        `must be a whole number from 1 to ${maxPooled} (one per AZ at most: a second warm instance in the same AZ adds cost, not speed)`,
      );
    }
  }
  if (props.launchHook.name.length === 0 || props.launchHook.name.length > 255) {
    p.add("launchHook.name", props.launchHook.name, "must be 1 to 255 characters");
  }
  p.integerInRange("launchHook.timeoutSeconds", props.launchHook.timeoutSeconds, 30, 7200);
  p.throwIfAny();
}
