/**
 * Reads a resource graph into the facts the recovery rules need: the servers (standalone
 * instances and Auto Scaling groups) with what detects and repairs their failure, where their
 * data lives, and the list of recovery mechanisms for humans. Nothing is assumed here: a value
 * the Terraform does not hold is either a documented Terraform default or left out.
 */
import { AGE_METRIC, ATTACHED_METRIC } from "../lib/custom-metrics";
import { comesWithInstanceStore, isInstanceStoreMapping } from "../lib/instance-store";
import { ec2ActionOf } from "../lib/ec2-alarm-actions";
import { HealthCheckTiming } from "./detection";
import { ResourceGraph, ResourceNode, blocks, literal, num, strings } from "../lib/resource-graph";
import { Mechanism } from "./types";
import { WorkloadFacts, readWorkload } from "./workload-facts";

/** A CloudWatch alarm whose action is an EC2 automation (`arn:<partition>:automate:<region>:ec2:<action>`). */
export interface Ec2ActionAlarm {
  readonly address: string;
  readonly action: "recover" | "reboot";
  readonly metric?: string;
  readonly periodSeconds: number;
  /** Breaching datapoints that fire it: `datapoints_to_alarm`, else `evaluation_periods`. */
  readonly datapoints: number;
}

/** An alarm that tells the stack's topic (an SNS action), on a metric the model reads. */
export interface NotifyingAlarm {
  readonly address: string;
  readonly metric: string;
  /** The threshold in the metric's unit (seconds for the image age). */
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly datapoints: number;
}

/** What every server shares: what runs on it and how EC2 treats its host and disk. */
interface ServerBase {
  readonly address: string;
  /** What the user data installs: restarted units, a health watchdog. */
  readonly workload: WorkloadFacts;
  /** EC2 simplified automatic recovery (`maintenance_options.auto_recovery`, `default` unless `disabled`). */
  readonly simplifiedRecovery: boolean;
  /** Whether the root volume goes with a terminated instance (`delete_on_termination`). @default true (EC2's default for the root volume) */
  readonly rootDeletedOnTermination: boolean;
  /**
   * Why the server has instance store volumes (its type comes with them, or a block device
   * mapping adds them); undefined without any. Their data is lost whenever the instance stops,
   * moves to other hardware or is terminated.
   */
  readonly instanceStore?: string;
}

/** An `aws_instance` outside any Auto Scaling group. */
export interface StandaloneServer extends ServerBase {
  readonly kind: "instance";
  readonly az?: string;
  readonly recoverAlarms: readonly Ec2ActionAlarm[];
  readonly rebootAlarms: readonly Ec2ActionAlarm[];
  /** Status-check alarms that tell the topic. */
  readonly notifyingAlarms: readonly NotifyingAlarm[];
  /** An EventBridge rule that tells the topic about EC2's recovery results (success, failure). */
  readonly recoveryEventsRule?: string;
}

/** Where a replacement instance's disk comes from. */
export type ImageSource =
  /** The newest AMI of a Data Lifecycle Manager policy that images this group's instances, read through SSM. */
  | { readonly kind: "pipeline"; readonly intervalSeconds: number; readonly policy: string; readonly parameter: string }
  /** An image that does not follow the server: a fixed AMI, or a public base image. */
  | {
      readonly kind: "static";
      readonly detail: string;
      readonly hasWorkloadInstalled: boolean;
      /** What a replacement loses, for the RPO: "written since ami-... was made". */
      readonly loss: string;
    };

/** An Elastic IP that a function moves onto each new instance of a group, while its launch waits at a hook. */
export interface EndpointTakeover {
  readonly eip: string;
  readonly function: string;
  /** The alarm that tells the topic when the address is off the instance in service. */
  readonly attachedAlarm?: NotifyingAlarm;
}

/** An `aws_autoscaling_group`. */
export interface GroupServer extends ServerBase {
  readonly kind: "group";
  /** AZs of the group's subnets, sorted. */
  readonly azs: readonly string[];
  /** Instances in service: `desired_capacity`, else `min_size`. */
  readonly capacity: number;
  readonly maxSize: number;
  readonly healthCheckType: "EC2" | "ELB";
  /** `health_check_grace_period`: how long a new instance's failed checks are ignored. @default 300 (hashicorp/aws) */
  readonly gracePeriodSeconds: number;
  readonly targetGroups: readonly HealthCheckTiming[];
  readonly warmPool?: { readonly address: string; readonly poolState: string };
  readonly image: ImageSource;
  /** A launch lifecycle hook (the launch waits until it is completed or times out). */
  readonly launchHook?: { readonly name: string; readonly timeoutSeconds: number; readonly defaultResult: string };
  readonly takeover?: EndpointTakeover;
  /** Whether launch errors are sent to a topic (`aws_autoscaling_notification`). */
  readonly notifiesLaunchErrors: boolean;
  /** The load balancers in front of the group's target groups, with zonal shift on or off. */
  readonly loadBalancers: readonly { readonly address: string; readonly zonalShift: boolean }[];
  /** Load-balancer alarms that tell the topic (5xx, unhealthy hosts). */
  readonly loadBalancerAlarms: readonly NotifyingAlarm[];
  /** The alarm on the published image's age, with the pipeline. */
  readonly imageAgeAlarm?: NotifyingAlarm;
}

export type Server = StandaloneServer | GroupServer;

/** An EFS file system the stack's servers can mount. */
export interface SharedFileSystem {
  readonly address: string;
  /** False for EFS One Zone, whose data lives in a single AZ. */
  readonly regional: boolean;
  readonly mountTargetAzs: readonly string[];
}

export interface Inventory {
  readonly servers: readonly Server[];
  readonly fileSystems: readonly SharedFileSystem[];
  readonly mechanisms: readonly Mechanism[];
}

/**
 * hashicorp/aws `aws_lb_target_group` `health_check` defaults, used when the Terraform leaves a
 * setting out (interval 30 s, HTTP timeout 6 s, unhealthy threshold 3).
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/lb_target_group#health_check
 */
const TARGET_GROUP_DEFAULTS = { interval: 30, timeout: 6, unhealthy_threshold: 3 } as const;

/** @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#health_check_grace_period */
const ASG_DEFAULT_GRACE_PERIOD_SECONDS = 300;

const SECONDS_PER_UNIT: Readonly<Record<string, number>> = { HOURS: 3600 };

/** The public AMI parameters AWS publishes; an image read from one is a plain OS. */
const PUBLIC_PARAMETER_PREFIX = "/aws/service/";

export function takeInventory(graph: ResourceGraph): Inventory {
  const alarms = graph.ofType("aws_cloudwatch_metric_alarm").flatMap((node) => {
    const alarm = ec2ActionAlarm(node);
    return alarm ? [{ node, alarm }] : [];
  });
  const fileSystems = graph.ofType("aws_efs_file_system").map((fs) => sharedFileSystem(graph, fs));
  const groups = graph.ofType("aws_autoscaling_group").map((asg) => groupServer(graph, asg));
  const instances: StandaloneServer[] = graph.ofType("aws_instance").map((instance) => {
    const template = graph.referenced(instance, "launch_template", "aws_launch_template")[0];
    const watching = (action: "recover" | "reboot") =>
      alarms.filter(({ node, alarm }) => alarm.action === action && graph.referenced(node, "dimensions").includes(instance)).map(({ alarm }) => alarm);
    return {
      kind: "instance",
      address: instance.address,
      az: literal(instance.values.availability_zone) ?? subnetAzs(graph, instance, "subnet_id")[0],
      recoverAlarms: watching("recover"),
      rebootAlarms: watching("reboot"),
      notifyingAlarms: graph
        .ofType("aws_cloudwatch_metric_alarm")
        .filter((a) => graph.referenced(a, "dimensions").includes(instance))
        .flatMap((a) => notifyingAlarm(graph, a) ?? []),
      recoveryEventsRule: graph
        .ofType("aws_cloudwatch_event_rule")
        .find(
          (r) =>
            /AUTO_RECOVERY_FAILURE/.test(String(r.values.event_pattern ?? "")) &&
            graph.referencing(r, "aws_cloudwatch_event_target", "rule").some((t) => graph.referenced(t, "arn", "aws_sns_topic").length > 0),
        )?.address,
      ...serverBase(instance, template),
    };
  });

  const mechanisms: Mechanism[] = [
    ...alarms.map(({ alarm }) => ({
      kind: alarm.action === "recover" ? ("recover-alarm" as const) : ("reboot-alarm" as const),
      address: alarm.address,
      detail: `${alarm.metric ?? "metric"} -> ec2:${alarm.action} after ${alarm.datapoints} x ${alarm.periodSeconds} s`,
    })),
    ...groups.flatMap((g) => groupMechanisms(g)),
    ...[...instances, ...groups].flatMap((server) => serverMechanisms(server)),
    ...imagePolicies(graph).map((policy) => ({
      kind: "ami-pipeline" as const,
      address: policy.address,
      detail:
        `${policy.intervalSeconds === undefined ? "AMIs on a cron schedule" : `an AMI every ${policy.intervalSeconds / 3600} h`}` +
        ` of the instances tagged ${policy.targetTags.map(([k, v]) => `${k}=${String(v)}`).join(", ")}`,
    })),
    ...fileSystems.map((fs) => ({
      kind: "efs" as const,
      address: fs.address,
      detail: `${fs.regional ? "regional" : "One Zone"} file system, mount targets in ${fs.mountTargetAzs.length} AZ(s)`,
      azs: fs.mountTargetAzs,
    })),
    ...graph.ofType("aws_lb").map((lb) => ({
      kind: "load-balancer" as const,
      address: lb.address,
      detail: `${literal(lb.values.load_balancer_type) ?? "application"} load balancer`,
      azs: subnetAzs(graph, lb, "subnets"),
    })),
    ...serverAddresses(graph).map(({ eip, instances }) => ({
      kind: "elastic-ip" as const,
      address: eip.address,
      detail:
        instances.length > 0
          ? `associated with ${instances.map((i) => i.address).join(", ")}; EC2 recovery keeps it`
          : "not associated by Terraform: the server claims it at boot",
    })),
    ...graph.ofType("aws_route53_record").map((record) => ({
      kind: "dns-record" as const,
      address: record.address,
      detail: `${literal(record.values.type) ?? "record"} ${literal(record.values.name) ?? ""}`.trim(),
    })),
  ].sort((a, b) => a.address.localeCompare(b.address) || a.kind.localeCompare(b.kind));

  return { servers: [...instances, ...groups], fileSystems, mechanisms };
}

/** Elastic IPs that are a server's endpoint (NAT gateways' addresses are not), with the instances Terraform associates them with. */
function serverAddresses(graph: ResourceGraph): { eip: ResourceNode; instances: ResourceNode[] }[] {
  const natAddresses = new Set(graph.ofType("aws_nat_gateway").flatMap((nat) => graph.referenced(nat, "allocation_id", "aws_eip")));
  return graph
    .ofType("aws_eip")
    .filter((eip) => !natAddresses.has(eip))
    .map((eip) => ({
      eip,
      instances: [
        ...graph.referenced(eip, "instance", "aws_instance"),
        ...graph.referencing(eip, "aws_eip_association", "allocation_id").flatMap((a) => graph.referenced(a, "instance_id", "aws_instance")),
      ],
    }));
}

function ec2ActionAlarm(node: ResourceNode): Ec2ActionAlarm | undefined {
  const actions = strings(node.values.alarm_actions)
    .map(ec2ActionOf)
    .filter((a): a is "recover" | "reboot" => a === "recover" || a === "reboot");
  const periodSeconds = num(node.values.period);
  const evaluationPeriods = num(node.values.evaluation_periods);
  if (actions.length === 0 || periodSeconds === undefined || evaluationPeriods === undefined) return undefined;
  return {
    address: node.address,
    // A recover action wins over a reboot on the same alarm: it is the one that survives a host failure.
    action: actions.includes("recover") ? "recover" : "reboot",
    metric: literal(node.values.metric_name),
    periodSeconds,
    datapoints: num(node.values.datapoints_to_alarm) ?? evaluationPeriods,
  };
}

function subnetAzs(graph: ResourceGraph, node: ResourceNode, attribute: string): string[] {
  const azs = graph
    .referenced(node, attribute, "aws_subnet")
    .map((subnet) => literal(subnet.values.availability_zone))
    .filter((az): az is string => az !== undefined);
  return [...new Set(azs)].sort();
}

/** Workload, simplified recovery and root volume of a server, from its own values and its launch template's. */
function serverBase(server: ResourceNode, template: ResourceNode | undefined): Omit<ServerBase, "address"> {
  const own = literal(blocks(server.values.maintenance_options)[0]?.auto_recovery);
  const templated = template ? literal(blocks(template.values.maintenance_options)[0]?.auto_recovery) : undefined;
  const mappings = template ? blocks(template.values.block_device_mappings) : [];
  // An instance's own root_block_device wins over its launch template's first EBS mapping.
  const root = blocks(server.values.root_block_device)[0] ?? mappings.map((m) => blocks(m.ebs)[0]).find(Boolean);
  const deleted = root?.delete_on_termination;
  // Simplified automatic recovery leaves out metal sizes (EC2 User Guide, 'Simplified automatic recovery').
  const type = literal(server.values.instance_type) ?? (template ? literal(template.values.instance_type) : undefined);
  const metal = type !== undefined && /\.metal/.test(type);
  const mappedStore = [...blocks(server.values.ephemeral_block_device).filter((d) => d.no_device !== true && d.no_device !== "true"), ...mappings]
    .map((m) => literal(m.virtual_name))
    .find(isInstanceStoreMapping);
  return {
    workload: readWorkload(literal(server.values.user_data_base64) ?? literal(template?.values.user_data), literal(server.values.user_data)),
    simplifiedRecovery: !metal && (own ?? templated ?? "default") !== "disabled",
    rootDeletedOnTermination: !(deleted === false || deleted === "false"),
    instanceStore:
      type !== undefined && comesWithInstanceStore(type)
        ? `${type} comes with instance store volumes`
        : mappedStore !== undefined
          ? `${mappedStore} is mapped`
          : undefined,
  };
}

/** An alarm with an SNS topic among its actions. */
function notifyingAlarm(graph: ResourceGraph, node: ResourceNode): NotifyingAlarm | undefined {
  const toTopic = graph.referenced(node, "alarm_actions", "aws_sns_topic").length > 0 || strings(node.values.alarm_actions).some((a) => a.includes(":sns:"));
  const metric = literal(node.values.metric_name);
  const periodSeconds = num(node.values.period);
  const evaluation = num(node.values.evaluation_periods);
  if (!toTopic || metric === undefined || periodSeconds === undefined || evaluation === undefined) return undefined;
  return {
    address: node.address,
    metric,
    threshold: num(node.values.threshold) ?? 0,
    periodSeconds,
    datapoints: num(node.values.datapoints_to_alarm) ?? evaluation,
  };
}

/** The function that moves an Elastic IP onto the group's new instances: its role may associate the address, its environment names the group. */
function endpointTakeover(graph: ResourceGraph, asg: ResourceNode): EndpointTakeover | undefined {
  const name = literal(asg.values.name);
  for (const eip of graph.ofType("aws_eip")) {
    const fn = graph
      .ofType("aws_iam_role_policy")
      .filter(
        (p) => Object.values(p.references).some((refs) => refs.includes(eip.address)) && JSON.stringify(p.values.policy ?? "").includes("ec2:AssociateAddress"),
      )
      .flatMap((p) => graph.referenced(p, "role", "aws_iam_role"))
      .flatMap((role) => graph.referencing(role, "aws_lambda_function", "role"))
      .find((f) => name !== undefined && literal((blocks(f.values.environment)[0]?.variables as Record<string, unknown> | undefined)?.GROUP_NAME) === name);
    if (!fn) continue;
    const attachedAlarm = graph
      .ofType("aws_cloudwatch_metric_alarm")
      .filter((a) => literal(a.values.metric_name) === ATTACHED_METRIC)
      .flatMap((a) => notifyingAlarm(graph, a) ?? [])[0];
    return { eip: eip.address, function: fn.address, attachedAlarm };
  }
  return undefined;
}

function groupServer(graph: ResourceGraph, asg: ResourceNode): GroupServer {
  const v = asg.values;
  const warm = blocks(v.warm_pool)[0];
  const listedAzs = strings(v.availability_zones).filter((az) => literal(az) !== undefined);
  const template = graph.referenced(asg, "launch_template", "aws_launch_template")[0];
  const targetGroups = graph.referenced(asg, "target_group_arns", "aws_lb_target_group");
  const hook = blocks(v.initial_lifecycle_hook).find((h) => h.lifecycle_transition === "autoscaling:EC2_INSTANCE_LAUNCHING");
  const loadBalancers = targetGroups
    .flatMap((tg) => graph.referencing(tg, "aws_lb_listener", "default_action"))
    .flatMap((listener) => graph.referenced(listener, "load_balancer_arn", "aws_lb"));
  const image = imageSource(graph, asg);
  return {
    kind: "group",
    address: asg.address,
    ...serverBase(asg, template),
    launchHook: hook
      ? { name: literal(hook.name) ?? "launch", timeoutSeconds: num(hook.heartbeat_timeout) ?? 3600, defaultResult: literal(hook.default_result) ?? "ABANDON" }
      : undefined,
    takeover: endpointTakeover(graph, asg),
    notifiesLaunchErrors: graph
      .referencing(asg, "aws_autoscaling_notification", "group_names")
      .some((n) => strings(n.values.notifications).includes("autoscaling:EC2_INSTANCE_LAUNCH_ERROR")),
    loadBalancers: [...new Set(loadBalancers)].map((lb) => ({
      address: lb.address,
      zonalShift: lb.values.enable_zonal_shift === true || lb.values.enable_zonal_shift === "true",
    })),
    loadBalancerAlarms: graph
      .ofType("aws_cloudwatch_metric_alarm")
      .filter((a) => literal(a.values.namespace) === "AWS/ApplicationELB")
      .flatMap((a) => notifyingAlarm(graph, a) ?? []),
    imageAgeAlarm:
      image.kind === "pipeline"
        ? graph
            .ofType("aws_cloudwatch_metric_alarm")
            .filter((a) => literal(a.values.metric_name) === AGE_METRIC)
            .flatMap((a) => notifyingAlarm(graph, a) ?? [])[0]
        : undefined,
    azs: [...new Set([...subnetAzs(graph, asg, "vpc_zone_identifier"), ...listedAzs])].sort(),
    capacity: num(v.desired_capacity) ?? num(v.min_size) ?? 0,
    maxSize: num(v.max_size) ?? 0,
    healthCheckType: literal(v.health_check_type) === "ELB" ? "ELB" : "EC2",
    gracePeriodSeconds: num(v.health_check_grace_period) ?? ASG_DEFAULT_GRACE_PERIOD_SECONDS,
    targetGroups: targetGroups.map(healthCheckTiming),
    warmPool: warm ? { address: asg.address, poolState: literal(warm.pool_state) ?? "Stopped" } : undefined,
    image,
  };
}

function healthCheckTiming(tg: ResourceNode): HealthCheckTiming {
  const hc = blocks(tg.values.health_check)[0] ?? {};
  return {
    address: tg.address,
    intervalSeconds: num(hc.interval) ?? TARGET_GROUP_DEFAULTS.interval,
    timeoutSeconds: num(hc.timeout) ?? TARGET_GROUP_DEFAULTS.timeout,
    unhealthyThreshold: num(hc.unhealthy_threshold) ?? TARGET_GROUP_DEFAULTS.unhealthy_threshold,
  };
}

/** The image the group's launch template starts replacements from, and whether it follows the server. */
function imagePolicies(graph: ResourceGraph): ImagePolicy[] {
  return graph.ofType("aws_dlm_lifecycle_policy").flatMap((policy) => imagePolicy(policy) ?? []);
}

function imageSource(graph: ResourceGraph, asg: ResourceNode): ImageSource {
  const template = graph.referenced(asg, "launch_template", "aws_launch_template")[0];
  const imageId = template ? literal(template.values.image_id) : undefined;
  if (!template || imageId === undefined) {
    return { kind: "static", detail: "an image this model cannot identify", hasWorkloadInstalled: false, loss: "image of unknown age" };
  }
  if (/^ami-[0-9a-f]+$/.test(imageId)) {
    return { kind: "static", detail: `the fixed image ${imageId}`, hasWorkloadInstalled: true, loss: `written since ${imageId} was made` };
  }
  const parameter = /^resolve:ssm:(.+)$/.exec(imageId)?.[1];
  if (parameter === undefined || parameter.startsWith(PUBLIC_PARAMETER_PREFIX)) {
    return {
      kind: "static",
      detail: `the public base image ${parameter ?? imageId}`,
      hasWorkloadInstalled: false,
      loss: "replacements start from a plain OS image",
    };
  }
  const ownsParameter = graph.ofType("aws_ssm_parameter").some((p) => literal(p.values.name) === parameter);
  const instanceTags = launchedInstanceTags(asg, template);
  const pipelines = imagePolicies(graph)
    .filter((p): p is ImagePolicy & { intervalSeconds: number } => p.intervalSeconds !== undefined && imagesInstances(p, instanceTags))
    .sort((a, b) => a.intervalSeconds - b.intervalSeconds);
  if (!ownsParameter || pipelines.length === 0) {
    const why = ownsParameter ? "no enabled image policy targets the group's instances" : "the parameter is not managed by this stack";
    return {
      kind: "static",
      detail: `the image in SSM parameter ${parameter} (${why})`,
      hasWorkloadInstalled: false,
      loss: `no image follows the server: ${why}`,
    };
  }
  return { kind: "pipeline", intervalSeconds: pipelines[0].intervalSeconds, policy: pipelines[0].address, parameter };
}

/** Tags the group's instances carry at launch: the template's instance tags and the group's propagated tags. */
function launchedInstanceTags(asg: ResourceNode, template: ResourceNode): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of blocks(template.values.tag_specifications)) {
    if (spec.resource_type !== "instance") continue;
    for (const [k, value] of Object.entries(blocks(spec.tags)[0] ?? {})) if (typeof value === "string") tags[k] = value;
  }
  for (const tag of blocks(asg.values.tag)) {
    if (tag.propagate_at_launch === true && typeof tag.key === "string" && typeof tag.value === "string") tags[tag.key] = tag.value;
  }
  return tags;
}

/** An enabled Data Lifecycle Manager policy that makes AMIs of the instances carrying its target tags. */
interface ImagePolicy {
  readonly address: string;
  readonly targetTags: readonly [string, unknown][];
  /** Seconds between AMIs: the shortest `create_rule.interval`; undefined for cron schedules, whose gaps vary. */
  readonly intervalSeconds?: number;
}

/** @see https://docs.aws.amazon.com/ebs/latest/userguide/ami-policy.html */
function imagePolicy(policy: ResourceNode): ImagePolicy | undefined {
  if ((literal(policy.values.state) ?? "ENABLED") !== "ENABLED") return undefined;
  const details = blocks(policy.values.policy_details)[0];
  if (!details || details.policy_type !== "IMAGE_MANAGEMENT") return undefined;
  const intervals = blocks(details.schedule).flatMap((schedule) =>
    blocks(schedule.create_rule).flatMap((rule) => {
      const interval = num(rule.interval);
      const unit = SECONDS_PER_UNIT[literal(rule.interval_unit) ?? "HOURS"];
      return interval !== undefined && unit !== undefined ? [interval * unit] : [];
    }),
  );
  return {
    address: policy.address,
    targetTags: Object.entries(blocks(details.target_tags)[0] ?? {}),
    intervalSeconds: intervals.length > 0 ? Math.min(...intervals) : undefined,
  };
}

/** Whether instances with `tags` are imaged by the policy. A value still unresolved in synthesized JSON cannot be compared and does not disqualify. */
function imagesInstances(policy: ImagePolicy, tags: Record<string, string>): boolean {
  return policy.targetTags.length > 0 && policy.targetTags.every(([k, v]) => literal(v) === undefined || tags[k] === v);
}

function sharedFileSystem(graph: ResourceGraph, fs: ResourceNode): SharedFileSystem {
  const mountTargets = graph.referencing(fs, "aws_efs_mount_target", "file_system_id");
  return {
    address: fs.address,
    regional: fs.values.availability_zone_name === undefined || fs.values.availability_zone_name === null,
    mountTargetAzs: [...new Set(mountTargets.flatMap((mt) => subnetAzs(graph, mt, "subnet_id")))].sort(),
  };
}

/** What heals on the server itself or in place: simplified recovery, restarted units, the watchdog. */
function serverMechanisms(server: Server): Mechanism[] {
  const { units, watchdog } = server.workload;
  return [
    ...(server.simplifiedRecovery
      ? [
          {
            kind: "simplified-recovery" as const,
            address: server.address,
            detail: "EC2 simplified automatic recovery on (maintenance_options.auto_recovery not disabled)",
          },
        ]
      : []),
    ...(units.length > 0
      ? [
          {
            kind: "process-restart" as const,
            address: server.address,
            detail: units.map((u) => `${u.name}: Restart=${u.restart ?? "no"}, RestartSec=${u.restartSeconds}`).join("; "),
          },
        ]
      : []),
    ...(watchdog
      ? [
          {
            kind: "health-watchdog" as const,
            address: server.address,
            detail: `${watchdog.unit}: /health every ${watchdog.intervalSeconds} s, ${watchdog.failures} failures -> restart, then ${watchdog.escalation}`,
          },
        ]
      : []),
  ];
}

function groupMechanisms(g: GroupServer): Mechanism[] {
  const mechanisms: Mechanism[] = [
    {
      kind: "auto-scaling-group",
      address: g.address,
      detail: `${g.capacity} instance(s) (max ${g.maxSize}) over ${g.azs.length} AZ(s), ${g.healthCheckType} health checks after a ${g.gracePeriodSeconds} s grace period`,
      azs: g.azs,
    },
    ...g.targetGroups.map((tg) => ({
      kind: "elb-health-check" as const,
      address: tg.address,
      detail: `every ${tg.intervalSeconds} s, ${tg.timeoutSeconds} s timeout, unhealthy after ${tg.unhealthyThreshold}`,
    })),
  ];
  if (g.warmPool) {
    mechanisms.push({ kind: "warm-pool", address: g.warmPool.address, detail: `warm pool, instances kept ${g.warmPool.poolState}` });
  }
  if (g.takeover) {
    mechanisms.push({
      kind: "endpoint-takeover",
      address: g.takeover.function,
      detail: `moves ${g.takeover.eip} onto each new instance while its launch waits${g.launchHook ? ` at ${g.launchHook.name}` : ""}${g.takeover.attachedAlarm ? `; ${g.takeover.attachedAlarm.address} tells the topic when it is off` : ""}`,
    });
  }
  if (g.imageAgeAlarm) {
    mechanisms.push({
      kind: "image-age-alarm",
      address: g.imageAgeAlarm.address,
      detail: `published image older than ${g.imageAgeAlarm.threshold} s -> topic`,
    });
  }
  for (const lb of g.loadBalancers.filter((l) => l.zonalShift)) {
    mechanisms.push({
      kind: "zonal-shift",
      address: lb.address,
      detail: "zonal shift enabled: an operator (or zonal autoshift) can move traffic away from an impaired AZ",
    });
  }
  return mechanisms;
}
