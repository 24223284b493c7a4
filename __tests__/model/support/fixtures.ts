/**
 * Small hand-written Terraform JSON shaped like cdktf's `cdk.tf.json`, one builder per
 * architecture (single recovered server, group of one across AZs, load-balanced tier), so each
 * rule of the model can be tested on exactly the resources it reads. The real stacks are
 * tested in `stacks.test.ts`.
 */

type Body = Record<string, unknown>;
export type Resources = Record<string, Record<string, Body>>;

export const AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];
const PIPELINE_PARAMETER = "/multiaz-ref/multiaz/ami";
const SERVER_TAGS = { Name: "server", Role: "stateful-server" };

export const ref = (type: string, name: string, attribute = "id") => `\${${type}.${name}.${attribute}}`;

/** Merges resource maps. */
export function merge(...parts: Resources[]): Resources {
  const merged: Resources = {};
  for (const part of parts) {
    for (const [type, byName] of Object.entries(part)) merged[type] = { ...merged[type], ...byName };
  }
  return merged;
}

/** Resource maps as one `cdk.tf.json` document. */
export function terraform(...parts: Resources[]): { resource: Resources } {
  return { resource: merge(...parts) };
}

const subnetName = (az: string) => `public_${az.replace(/-/g, "_")}`;

export function subnets(azs: readonly string[]): Resources {
  return { aws_subnet: Object.fromEntries(azs.map((az) => [subnetName(az), { availability_zone: az, vpc_id: ref("aws_vpc", "main") }])) };
}

/** What the user data installs: app units restarted by systemd (or not), and a health watchdog. */
export interface WorkloadOptions {
  /** `Restart=` of the app unit; absent: none. */
  readonly restart?: string;
  readonly restartSeconds?: number;
  readonly watchdog?: { interval: number; timeout: number; failures: number; escalation: "reboot" | "poweroff" };
}

/** Cloud-init text shaped like the workload's: `write_files` entries with systemd units. */
export function cloudInit(o: WorkloadOptions): string {
  const lines = [
    "#cloud-config",
    "write_files:",
    '  - path: "/etc/systemd/system/app.service"',
    "    content: |",
    "      [Service]",
    "      ExecStart=/usr/bin/node /opt/app.js",
  ];
  if (o.restart) lines.push(`      Restart=${o.restart}`, `      RestartSec=${o.restartSeconds ?? 2}`);
  if (o.watchdog) {
    const w = o.watchdog;
    lines.push(
      '  - path: "/etc/systemd/system/health-watchdog.service"',
      "    content: |",
      "      [Service]",
      "      ExecStart=/usr/local/bin/health-watchdog",
      `      Environment=WATCHDOG_INTERVAL=${w.interval} WATCHDOG_TIMEOUT=${w.timeout} WATCHDOG_FAILURES=${w.failures} WATCHDOG_ESCALATION=${w.escalation}`,
      "      Restart=always",
    );
  }
  return lines.join("\n") + "\n";
}

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** The stack's SNS topic, which alarms notify. */
export const TOPIC: Resources = { aws_sns_topic: { events: { name: "events" } } };

export interface RecoveryServerOptions {
  readonly az?: string;
  readonly periodSeconds?: number;
  readonly recoverEvaluationPeriods?: number;
  readonly rebootEvaluationPeriods?: number;
  /** Leave out the recover alarm (the reboot alarm stays). */
  readonly withoutRecoverAlarm?: boolean;
  readonly withoutRebootAlarm?: boolean;
  /** `maintenance_options.auto_recovery`. @default EC2's default (on) */
  readonly autoRecovery?: "default" | "disabled";
  readonly workload?: WorkloadOptions;
  /** An EventBridge rule sending EC2's recovery results to the topic. */
  readonly recoveryEvents?: boolean;
  /** @default "t3.micro" */
  readonly instanceType?: string;
  /** `root_block_device.delete_on_termination`; absent: no root_block_device (EC2's default, deleted). */
  readonly deleteOnTermination?: boolean;
}

/** The `recovery` architecture: one instance in one public subnet, recover and reboot alarms on it, an Elastic IP. */
export function recoveryServer(options: RecoveryServerOptions = {}): Resources {
  const az = options.az ?? AZS[0];
  const alarm = (metric: string, action: string, periods: number) => ({
    alarm_actions: [`arn:aws:automate:ap-northeast-2:ec2:${action}`, ref("aws_sns_topic", "events", "arn")],
    metric_name: metric,
    namespace: "AWS/EC2",
    statistic: "Maximum",
    comparison_operator: "GreaterThanThreshold",
    threshold: 0,
    period: options.periodSeconds ?? 60,
    evaluation_periods: periods,
    dimensions: { InstanceId: ref("aws_instance", "server") },
  });
  return merge(subnets([az]), TOPIC, {
    aws_instance: {
      server: {
        subnet_id: ref("aws_subnet", subnetName(az)),
        instance_type: options.instanceType ?? "t3.micro",
        ...(options.deleteOnTermination !== undefined ? { root_block_device: { delete_on_termination: options.deleteOnTermination } } : {}),
        ...(options.autoRecovery ? { maintenance_options: { auto_recovery: options.autoRecovery } } : {}),
        ...(options.workload ? { user_data: cloudInit(options.workload) } : {}),
      },
    },
    aws_cloudwatch_metric_alarm: {
      ...(options.withoutRebootAlarm ? {} : { reboot: alarm("StatusCheckFailed_Instance", "reboot", options.rebootEvaluationPeriods ?? 3) }),
      ...(options.withoutRecoverAlarm ? {} : { recover: alarm("StatusCheckFailed_System", "recover", options.recoverEvaluationPeriods ?? 2) }),
    },
    ...(options.recoveryEvents
      ? {
          aws_cloudwatch_event_rule: { recovery: { event_pattern: JSON.stringify({ detail: { eventTypeCode: ["AWS_EC2_INSTANCE_AUTO_RECOVERY_FAILURE"] } }) } },
          aws_cloudwatch_event_target: { recovery: { rule: ref("aws_cloudwatch_event_rule", "recovery", "name"), arn: ref("aws_sns_topic", "events", "arn") } },
        }
      : {}),
    aws_eip: { server: { domain: "vpc" } },
    aws_eip_association: { server: { allocation_id: ref("aws_eip", "server", "allocation_id"), instance_id: ref("aws_instance", "server") } },
  });
}

export interface GroupOptions {
  readonly azs?: readonly string[];
  readonly minSize?: number;
  readonly maxSize?: number;
  /** `pipeline`: resolve:ssm: of a parameter the stack owns and a DLM policy imaging the instances. */
  readonly image?: "pipeline" | "fixed" | "base";
  readonly intervalHours?: number;
  /** Target tags of the DLM policy. @default the instances' tags */
  readonly dlmTargetTags?: Record<string, string>;
  readonly warmPool?: boolean;
  readonly efs?: "regional" | "one-zone";
  /** Put the group behind a target group with this health check. */
  readonly healthCheck?: { interval: number; timeout: number; unhealthy_threshold: number };
  readonly healthCheckType?: "EC2" | "ELB";
  readonly gracePeriodSeconds?: number;
  readonly workload?: WorkloadOptions;
  readonly autoRecovery?: "default" | "disabled";
  /** The root volume's `delete_on_termination`. @default true */
  readonly deleteOnTermination?: boolean;
  /** The launch template's `instance_type`. @default none */
  readonly instanceType?: string;
  /** A block device mapping of the instance store volume `ephemeral0` in the launch template. */
  readonly instanceStoreMapping?: boolean;
  /** The Elastic IP endpoint moved by a function at launch, with its alarm. */
  readonly takeover?: boolean;
  /** The image-age alarm of the pipeline (threshold in seconds). */
  readonly imageAgeAlarmSeconds?: number;
  /** `aws_autoscaling_notification` with launch errors. */
  readonly launchNotifications?: boolean;
  /** A 5xx alarm on the load balancer (with `healthCheck`). */
  readonly loadBalancerAlarm?: boolean;
  readonly zonalShift?: boolean;
  /** A launch hook (completed on readiness unless `takeover`). */
  readonly launchHook?: boolean;
}

/** The `multiaz` architecture (and, with a health check and a larger size, the web tier): an Auto Scaling group over one subnet per AZ. */
export function autoScalingGroup(options: GroupOptions = {}): Resources {
  const azs = options.azs ?? AZS;
  const image = options.image ?? "pipeline";
  const imageId = {
    pipeline: `resolve:ssm:${PIPELINE_PARAMETER}`,
    fixed: "ami-0123456789abcdef0",
    base: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  }[image];
  const parts: Resources[] = [
    subnets(azs),
    {
      aws_launch_template: {
        server: {
          image_id: imageId,
          tag_specifications: [{ resource_type: "instance", tags: SERVER_TAGS }],
          ...(options.instanceType ? { instance_type: options.instanceType } : {}),
          block_device_mappings: [
            { device_name: "/dev/xvda", ebs: { delete_on_termination: String(options.deleteOnTermination ?? true), volume_size: 16 } },
            ...(options.instanceStoreMapping ? [{ device_name: "/dev/sdb", virtual_name: "ephemeral0" }] : []),
          ],
          ...(options.autoRecovery ? { maintenance_options: { auto_recovery: options.autoRecovery } } : {}),
          ...(options.workload ? { user_data: base64(cloudInit(options.workload)) } : {}),
        },
      },
      aws_autoscaling_group: {
        server: {
          min_size: options.minSize ?? 1,
          max_size: options.maxSize ?? 1,
          health_check_type: options.healthCheckType ?? "EC2",
          name: "server-group",
          health_check_grace_period: options.gracePeriodSeconds ?? 120,
          ...(options.launchHook || options.takeover
            ? {
                initial_lifecycle_hook: [
                  { name: "launch", lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING", heartbeat_timeout: 840, default_result: "CONTINUE" },
                ],
              }
            : {}),
          vpc_zone_identifier: azs.map((az) => ref("aws_subnet", subnetName(az))),
          launch_template: { id: ref("aws_launch_template", "server"), version: ref("aws_launch_template", "server", "latest_version") },
          ...(options.warmPool ? { warm_pool: { pool_state: "Stopped", min_size: 1 } } : {}),
          ...(options.healthCheck ? { target_group_arns: [ref("aws_lb_target_group", "web", "arn")] } : {}),
        },
      },
    },
  ];
  if (image === "pipeline") {
    parts.push({
      aws_ssm_parameter: { ami: { name: PIPELINE_PARAMETER, type: "String", value: "ami-0fedcba9876543210" } },
      aws_dlm_lifecycle_policy: {
        images: {
          state: "ENABLED",
          policy_details: {
            policy_type: "IMAGE_MANAGEMENT",
            resource_types: ["INSTANCE"],
            target_tags: options.dlmTargetTags ?? SERVER_TAGS,
            schedule: [{ name: "daily", create_rule: { interval: options.intervalHours ?? 24, interval_unit: "HOURS" }, retain_rule: { count: 7 } }],
          },
        },
      },
    });
  }
  parts.push(TOPIC);
  const notifyingAlarm = (metric: string, namespace: string, threshold: number, period: number) => ({
    metric_name: metric,
    namespace,
    threshold,
    period,
    evaluation_periods: 2,
    datapoints_to_alarm: 2,
    alarm_actions: [ref("aws_sns_topic", "events", "arn")],
  });
  if (options.imageAgeAlarmSeconds !== undefined) {
    parts.push({
      aws_cloudwatch_metric_alarm: { image_age: notifyingAlarm("PublishedImageAgeSeconds", "ReferenceStacks/AmiPipeline", options.imageAgeAlarmSeconds, 3600) },
    });
  }
  if (options.takeover) {
    parts.push({
      aws_eip: { endpoint: { domain: "vpc" } },
      aws_iam_role: { takeover: { name: "takeover" } },
      aws_iam_role_policy: {
        takeover: {
          role: ref("aws_iam_role", "takeover"),
          policy: JSON.stringify({ Statement: [{ Action: ["ec2:AssociateAddress"], Resource: ref("aws_eip", "endpoint", "allocation_id") }] }),
        },
      },
      aws_lambda_function: { takeover: { role: ref("aws_iam_role", "takeover", "arn"), environment: { variables: { GROUP_NAME: "server-group" } } } },
      aws_cloudwatch_metric_alarm: { endpoint: notifyingAlarm("EndpointAttached", "ReferenceStacks/Endpoint", 1, 300) },
    });
  }
  if (options.launchNotifications) {
    parts.push({
      aws_autoscaling_notification: {
        server: {
          group_names: [ref("aws_autoscaling_group", "server", "name")],
          notifications: ["autoscaling:EC2_INSTANCE_LAUNCH_ERROR"],
          topic_arn: ref("aws_sns_topic", "events", "arn"),
        },
      },
    });
  }
  if (options.efs) {
    parts.push({
      aws_efs_file_system: { data: options.efs === "one-zone" ? { availability_zone_name: azs[0] } : { encrypted: true } },
      aws_efs_mount_target: Object.fromEntries(
        (options.efs === "one-zone" ? azs.slice(0, 1) : azs).map((az) => [
          `data_${subnetName(az)}`,
          { file_system_id: ref("aws_efs_file_system", "data"), subnet_id: ref("aws_subnet", subnetName(az)) },
        ]),
      ),
    });
  }
  if (options.healthCheck) {
    parts.push({
      aws_lb: {
        web: {
          load_balancer_type: "application",
          subnets: azs.map((az) => ref("aws_subnet", subnetName(az))),
          ...(options.zonalShift ? { enable_zonal_shift: true } : {}),
        },
      },
      aws_lb_target_group: { web: { port: 80, protocol: "HTTP", health_check: { path: "/health", ...options.healthCheck } } },
      aws_lb_listener: {
        web: {
          load_balancer_arn: ref("aws_lb", "web", "arn"),
          default_action: [{ type: "forward", target_group_arn: ref("aws_lb_target_group", "web", "arn") }],
        },
      },
      ...(options.loadBalancerAlarm
        ? { aws_cloudwatch_metric_alarm: { elb_5xx: notifyingAlarm("HTTPCode_ELB_5XX_Count", "AWS/ApplicationELB", 10, 60) } }
        : {}),
    });
  }
  return merge(...parts);
}

/** The web tier: one instance per AZ behind an ALB checking every 5 s, 2 s timeout, unhealthy after 2. */
export function webTier(options: GroupOptions = {}): Resources {
  const azs = options.azs ?? AZS;
  return autoScalingGroup({
    image: "base",
    minSize: azs.length,
    maxSize: 2 * azs.length,
    healthCheckType: "ELB",
    healthCheck: { interval: 5, timeout: 2, unhealthy_threshold: 2 },
    ...options,
  });
}
