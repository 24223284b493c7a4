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
import { Problems } from "../../lib/validation";
import { HardenedLaunchTemplate } from "../compute/hardened-launch-template";
import { MultiAzVpc } from "../network/multi-az-vpc";
import { SubnetTier } from "../network/subnet-layout";
import { NotificationTopic } from "../notifications/notification-topic";
import { notifyGroupEvents } from "./group-notifications";
import { allowCompletingLaunchHook, capacityWaitSeconds } from "./launch-hook";

/**
 * The states a warm instance may wait in: stopped (only its volumes are paid for) or running.
 * Not Hibernated: that needs hibernation configured in the launch template, which the
 * project's template does not do.
 */
export const WARM_POOL_STATES = ["Stopped", "Running"] as const;
export type WarmPoolState = (typeof WARM_POOL_STATES)[number];

/** Warm instances wait stopped: only their volumes are paid for. */
export const DEFAULT_WARM_POOL_STATE: WarmPoolState = "Stopped";
/** One warm instance: a second in the same AZ adds cost, not speed. */
export const DEFAULT_WARM_POOL_MIN_SIZE = 1;
/** Seconds after a launch before a failed EC2 status check counts: room for a cold boot's first status checks. */
export const DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 300;

/** A pool of pre-initialised instances beside the group. */
export interface WarmPoolProps {
  /** State of the pooled instances. @default - {@link DEFAULT_WARM_POOL_STATE}: stopped */
  readonly poolState?: WarmPoolState;
  /** Instances kept in the pool, 1 to one per AZ of the VPC. @default - {@link DEFAULT_WARM_POOL_MIN_SIZE}: 1 */
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
  /**
   * Seconds Auto Scaling may take, past the timeout, to apply the default result and put the
   * instance in service (its periodic pass; see `autoScalingPassSeconds` in model/assumptions.ts),
   * which the apply's wait for the server adds to the timeout. 0-600.
   * @default 0
   */
  readonly resultDelaySeconds?: number;
}

export interface SingleServerGroupProps {
  /** Name of the group. */
  readonly name: string;
  /** The VPC; the group spans its subnets of `subnetTier`, one in every AZ, so a replacement may start in any of them. */
  readonly vpc: MultiAzVpc;
  /** The tier of the VPC's subnets the server runs in (public: the server is its own endpoint). */
  readonly subnetTier: SubnetTier;
  /**
   * Template of the instances; each new version starts an instance refresh. Its role is
   * allowed to complete the group's launch hook when there is a warm pool.
   */
  readonly launchTemplate: HardenedLaunchTemplate;
  /** The launch hook every launch waits at. */
  readonly launchHook: LaunchHookProps;
  /** What must exist before the first launch: whatever completes the hook (the takeover function and its rule). @default - nothing */
  readonly launchDependencies?: readonly ITerraformDependable[];
  /**
   * Seconds after a launch before a failed EC2 status check counts (0-7200).
   * @default - {@link DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS}: 300
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /** The topic told about launches, terminations and their failures. */
  readonly topic: NotificationTopic;
  /** Tags of the group, also put on every instance and volume it launches. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Keep pre-initialised instances. @default - no warm pool */
  readonly warmPool?: WarmPoolProps;
}

export class SingleServerGroup extends Construct {
  readonly group: AutoscalingGroup;
  readonly name: string;
  /** Name of the launch hook. */
  readonly launchHookName: string;
  /**
   * The longest `terraform apply` waits for the server to be InService and healthy
   * (`wait_for_capacity_timeout`; the provider waits for `min_size`, 1): the hook's timeout,
   * after which its default result (CONTINUE) puts even a launch nobody completed in service,
   * plus {@link LaunchHookProps.resultDelaySeconds}.
   */
  readonly capacityWaitSeconds: number;

  constructor(scope: Construct, id: string, props: SingleServerGroupProps) {
    super(scope, id);
    const subnets = props.vpc.subnets(props.subnetTier);
    validate(this, props, subnets.length);
    const template = props.launchTemplate.launchTemplate;
    const warm = props.warmPool;

    // The instances complete their launch into the warm pool themselves (lifecycle agent).
    const hookPermission = warm ? allowCompletingLaunchHook(props.launchTemplate.role, props.name) : undefined;
    this.capacityWaitSeconds = capacityWaitSeconds(props.launchHook.timeoutSeconds, props.launchHook.resultDelaySeconds ?? 0);
    this.group = new AutoscalingGroup(this, "group", {
      name: props.name,
      // Exactly one server: the group exists to replace it, never to add a second.
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: subnets.map((s) => s.id),
      launchTemplate: {
        id: template.id,
        // The version number, not "$Latest": a new template version then changes the group and
        // starts the instance refresh below.
        // @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#instance_refresh
        version: Token.asString(template.latestVersion),
      },
      // EC2 status checks: there is no load balancer to ask (CKV2_AWS_15 applies with one).
      healthCheckType: "EC2",
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
      // The apply returns once the server is InService (a new group, or a change of its size),
      // and waits as long as its launch hook may hold it; warm-pool instances do not count.
      waitForCapacityTimeout: `${this.capacityWaitSeconds}s`,
      instanceRefresh: {
        strategy: "Rolling",
        // One instance: a refresh terminates it, then launches the replacement, which is a
        // planned replacement with the same RTO and RPO as a failure. Not the web group's
        // launch-before-terminate, checkpoints, alarms or rollback: two servers would share the
        // endpoint and the state while the new one boots, a refresh of one instance is over
        // before an alarm could stop it, and resolve:ssm: images cannot roll back (README,
        // "Rollouts on one server").
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

    notifyGroupEvents(this, this.group, props.topic);
  }
}

function warmPool(warm: WarmPoolProps): AutoscalingGroupWarmPool {
  return {
    poolState: warm.poolState ?? DEFAULT_WARM_POOL_STATE,
    // With max = desired = 1 the pool's default size (max_group_prepared_capacity - desired)
    // is 0: min_size is what keeps instances in it.
    minSize: warm.minSize ?? DEFAULT_WARM_POOL_MIN_SIZE,
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

/** The props' programmer errors (a user's settings are the schema's: multiaz.healthCheckGracePeriodSeconds, multiaz.warmPool). */
function validate(scope: Construct, props: SingleServerGroupProps, azCount: number): void {
  const p = new Problems();
  if (azCount < 2)
    p.add("subnetTier", props.subnetTier, "the VPC has no subnets of this tier in two AZs, so a replacement could not start outside a failed AZ");
  p.integerInRange("healthCheckGracePeriodSeconds", props.healthCheckGracePeriodSeconds, 0, 7200);
  const warm = props.warmPool;
  if (warm) {
    p.oneOf("warmPool.poolState", warm.poolState, WARM_POOL_STATES);
    p.integerInRange("warmPool.minSize", warm.minSize, 1, azCount);
  }
  if (props.launchHook.name.length === 0 || props.launchHook.name.length > 255) {
    p.add("launchHook.name", props.launchHook.name, "must be 1 to 255 characters");
  }
  p.integerInRange("launchHook.timeoutSeconds", props.launchHook.timeoutSeconds, 30, 7200);
  p.integerInRange("launchHook.resultDelaySeconds", props.launchHook.resultDelaySeconds, 0, 600);
  p.throwIfAnyAt(scope);
}
