/**
 * The web servers: an Auto Scaling group in the private subnets of every AZ, launched from
 * the project's hardened launch template, registered in the load balancer's target group and
 * replaced when the load balancer's health check fails. By default it keeps one server per
 * AZ at least (static stability: losing an AZ leaves the others serving without a launch).
 *
 * Readiness, not a guessed grace period, decides when a new server counts: every launch waits
 * at a launch lifecycle hook until the instance's lifecycle agent sees the workload answer
 * `/health` on the instance (both apps) and completes it; only then is the instance put in
 * service, registered in the target group, and its grace period started. A cold first boot
 * that installs packages through NAT may take minutes: the hook waits for it (its timeout is
 * the recovery model's longest cold boot with a margin), and abandons the launch, so that
 * Auto Scaling replaces the instance, only when the workload never answers.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-check-grace-period.html ("If you use lifecycle hooks for instance launch, you can set the health check grace period to 0")
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { allowCompletingLaunchHook, capacityWaitSeconds } from "../autoscaling/launch-hook";
import { notifyGroupEvents } from "../autoscaling/group-notifications";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Relaxation } from "../../policy/relaxation";
import { HardenedLaunchTemplate } from "../compute/hardened-launch-template";
import { InstanceRole } from "../compute/instance-role";
import { NotificationTopic } from "../notifications/notification-topic";
import { InstanceTargetGroup } from "./target-group";
import { MultiAzVpc } from "../network/multi-az-vpc";

/** Group metrics sent to CloudWatch every minute: capacity next to the scaling alarms. */
const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupStandbyInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

/** An instance refresh replaces half the servers, pauses, then replaces the rest. */
export const REFRESH_CHECKPOINTS = [50, 100] as const;
/**
 * The pause at each checkpoint: five of the load balancer alarms' one-minute periods with half
 * the servers on the new configuration, enough for 5xx answers or failing health checks to
 * show; AWS's default pause is an hour.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/understand-instance-refresh-default-values.html
 */
export const REFRESH_CHECKPOINT_DELAY_SECONDS = 300;

/** Whether `seconds` is a maximum instance lifetime Auto Scaling accepts: 0 (none) or one day to a year. */
export function isMaxInstanceLifetime(seconds: number): boolean {
  return Number.isInteger(seconds) && (seconds === 0 || (seconds >= 86400 && seconds <= 31536000));
}

/** Seconds after an instance entered service before a failed load balancer health check replaces it: the load balancer's first checks of a registered target. */
export const DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 30;

export interface WebServerGroupProps {
  /** Name of the group, its launch template, role and security group. */
  readonly name: string;
  /**
   * The launch hook every launch waits at until the instance reports ready: its name and
   * timeout (30-7200 s), after which the launch is abandoned. The instances' user data must
   * run the lifecycle agent that completes it (workload/lifecycle-agent.ts, completing InService).
   */
  readonly launchHook: { readonly name: string; readonly timeoutSeconds: number };
  /** The VPC; the group spreads its instances over its private subnets, one per AZ. */
  readonly vpc: MultiAzVpc;
  /** Target groups the instances register in. */
  readonly targetGroups: readonly InstanceTargetGroup[];
  /** Security group of the load balancer: the only source admitted to `port`. */
  readonly loadBalancerSecurityGroupId: string;
  /** Port the workload serves HTTP on. */
  readonly port: number;
  /** Cloud-init user data of the workload (plain text). */
  readonly userData: string;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Root volume GiB. @default - the launch template's default */
  readonly rootVolumeGb?: number;
  /** The IMDS hop limit, above 1 only with a reason. @default - the launch template's: { value: 1 } */
  readonly metadataHopLimit?: Relaxation<number>;
  /**
   * Smallest group size.
   * @default - one per AZ of the VPC, so every AZ keeps a server
   */
  readonly minSize?: number;
  /** Largest group size. @default - two per AZ of the VPC */
  readonly maxSize?: number;
  /**
   * Seconds after an instance entered service (ready: its launch hook completed) before a
   * failed load balancer health check replaces it: the load balancer's first checks of a
   * registered target.
   * @default - {@link DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS}: 30 s
   */
  readonly healthCheckGracePeriodSeconds?: number;
  /** The topic told about launches, terminations and their failures. */
  readonly topic: NotificationTopic;
  /** Tags on the instances and volumes launched. @default - Name only */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Whether `terraform apply` creating the group waits until `minSize` of its instances are
   * healthy in every target group (`min_elb_capacity`), so that an apply that returns has a
   * serving tier and one whose instances never turn healthy fails (and taints the group)
   * instead of returning. The wait lasts at most {@link WebServerGroup.capacityWaitSeconds}.
   * Updates do not wait on the load balancer (the provider's `min_elb_capacity` applies on
   * creation only); their instance refreshes are guarded by the refresh's own checks.
   * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#waiting-for-elb-capacity
   * @default true
   */
  readonly waitForHealthyTargets?: boolean;
  /**
   * Alarms that fail an instance refresh when they go into ALARM (the load balancer's
   * unhealthy-hosts and 5xx alarms): a bad image or template stops at the first checkpoint
   * ({@link REFRESH_CHECKPOINTS}) instead of reaching every server. At most 10.
   * @default - none: the refresh goes on whatever the alarms say
   */
  readonly refreshAlarms?: readonly CloudwatchMetricAlarm[];
  /**
   * Replace every server after this many seconds in service: 0 (never) or 86400 to 31536000.
   * @default - never
   */
  readonly maxInstanceLifetimeSeconds?: number;
}

export class WebServerGroup extends Construct {
  readonly group: AutoscalingGroup;
  readonly name: string;
  readonly launchTemplate: HardenedLaunchTemplate;
  readonly role: InstanceRole;
  /** Security group of the instances. */
  readonly securityGroupId: string;
  /**
   * The longest `terraform apply` waits for the group's capacity (`wait_for_capacity_timeout`):
   * the launch hook's timeout (the longest a healthy first boot takes, from the recovery model's
   * boot estimate) plus the slowest target group's time to count a target healthy. The
   * provider's default, 10 minutes, is shorter than the hook's timeout, so a slow but healthy
   * first boot would fail the apply.
   */
  readonly capacityWaitSeconds: number;

  constructor(scope: Construct, id: string, props: WebServerGroupProps) {
    super(scope, id);
    const azCount = props.vpc.azs.length;
    const minSize = props.minSize ?? azCount;
    const maxSize = props.maxSize ?? 2 * azCount;
    const gracePeriod = props.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS;
    if (minSize < 1 || minSize > maxSize) throw new Error(`${this.node.path}: the group's size must be 1 <= minSize (${minSize}) <= maxSize (${maxSize})`);
    const hook = props.launchHook;
    if (hook.timeoutSeconds < 30 || hook.timeoutSeconds > 7200 || hook.name.length === 0 || hook.name.length > 255) {
      throw new Error(`${this.node.path}: the launch hook needs a name of 1 to 255 characters and a timeout of 30 to 7200 s`);
    }

    this.role = new InstanceRole(this, "role", { name: `${props.name}-instances` });
    const completion = allowCompletingLaunchHook(this.role, props.name);
    this.launchTemplate = new HardenedLaunchTemplate(this, "launch-template", {
      name: props.name,
      vpc: props.vpc,
      instanceType: props.instanceType,
      rootVolumeGb: props.rootVolumeGb,
      metadataHopLimit: props.metadataHopLimit,
      role: this.role,
      userData: props.userData,
      ingress: [{ port: props.port, sourceSecurityGroupId: props.loadBalancerSecurityGroupId, description: "HTTP and health checks from the load balancer" }],
      instanceTags: props.instanceTags,
    });
    this.securityGroupId = this.launchTemplate.securityGroup.id;
    this.capacityWaitSeconds = capacityWaitSeconds(hook.timeoutSeconds, Math.max(0, ...props.targetGroups.map((g) => g.secondsToHealthy)));
    const waitForHealthyTargets = (props.waitForHealthyTargets ?? true) && props.targetGroups.length > 0;
    const refreshAlarms = props.refreshAlarms ?? [];
    if (refreshAlarms.length > 10) throw new Error(`${this.node.path}: an instance refresh watches at most 10 alarms, got ${refreshAlarms.length}`);
    if (props.maxInstanceLifetimeSeconds !== undefined && !isMaxInstanceLifetime(props.maxInstanceLifetimeSeconds)) {
      throw new Error(`${this.node.path}: maxInstanceLifetimeSeconds must be 0 or 86400 to 31536000, got ${props.maxInstanceLifetimeSeconds}`);
    }

    this.group = new AutoscalingGroup(this, "group", {
      name: props.name,
      vpcZoneIdentifier: props.vpc.privateSubnetIds,
      minSize,
      maxSize,
      // desired_capacity is left to the scaling policies: setting it here would reset the
      // group to that size on every apply. A new group starts at min_size.
      launchTemplate: {
        id: this.launchTemplate.launchTemplate.id,
        // The version number, not "$Latest": a new template version then changes the group
        // and starts the instance refresh below.
        // @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#instance_refresh
        version: Token.asString(this.launchTemplate.launchTemplate.latestVersion),
      },
      targetGroupArns: props.targetGroups.map((g) => g.arn),
      // CKV2_AWS_15: an instance whose nginx fails is replaced, not only a stopped one.
      healthCheckType: "ELB",
      healthCheckGracePeriod: gracePeriod,
      // The apply waits (both for InService instances and, on creation, healthy targets) as
      // long as a healthy first boot may take.
      // @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#wait_for_capacity_timeout
      waitForCapacityTimeout: `${this.capacityWaitSeconds}s`,
      minElbCapacity: waitForHealthyTargets ? minSize : undefined,
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          // Launch each replacement before terminating the old instance: full capacity
          // throughout. A replacement counts once the grace period has passed.
          minHealthyPercentage: 100,
          maxHealthyPercentage: 200,
          // Half the servers first, then a pause in which the alarms judge the new ones, then the rest.
          checkpointPercentages: [...REFRESH_CHECKPOINTS],
          checkpointDelay: String(REFRESH_CHECKPOINT_DELAY_SECONDS),
          // An alarm in ALARM fails the refresh: it stops replacing, the old servers that are left keep serving.
          // @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html
          alarmSpecification: refreshAlarms.length > 0 ? { alarms: refreshAlarms.map((a) => a.alarmName) } : undefined,
          // No auto rollback, on purpose: AWS cannot roll back a group whose launch template takes
          // its image from an SSM parameter (resolve:ssm:, as the hardened template does), and
          // provider 5.100.0 updates the group to the new template version before it starts the
          // refresh, so a rollback would "restore" the new version (hashicorp/terraform-provider-aws#34189).
          // @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
          autoRollback: false,
        },
      },
      // Servers replaced after this long in service (0: never); 0 or 86400-31536000 s.
      // @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#max_instance_lifetime
      maxInstanceLifetime: props.maxInstanceLifetimeSeconds,
      metricsGranularity: "1Minute",
      enabledMetrics: GROUP_METRICS,
      // The group's own tag, propagated to what it launches (checkov CKV_AWS_153), and the
      // instances' tags on the group too, so that it is found by them as its instances are
      // (AWS FIS chooses groups by tag; provider default_tags do not reach groups).
      tag: [["Name", props.name], ...Object.entries(props.instanceTags ?? {}).filter(([key]) => key !== "Name")].map(([key, value]) => ({
        key,
        value,
        propagateAtLaunch: true,
      })),
      // Created with the group, so that even its first instances wait until ready.
      initialLifecycleHook: [
        {
          name: props.launchHook.name,
          lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          heartbeatTimeout: props.launchHook.timeoutSeconds,
          // Not ready within the timeout: replace it (the agent says so itself, earlier, when it can).
          defaultResult: "ABANDON",
        },
      ],
      // The instances' permission to complete their launch, before the first launch.
      dependsOn: [completion],
    });
    this.name = this.group.name;

    notifyGroupEvents(this, this.group, props.topic);
  }
}
