/**
 * Small hand-written Terraform JSON shaped like cdktf's `cdk.tf.json`, one builder per
 * architecture of the notes, so each rule of the model can be tested on exactly the resources
 * it reads. The real stacks are tested in `stacks.test.ts`.
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

export interface RecoveryServerOptions {
  readonly az?: string;
  readonly periodSeconds?: number;
  readonly recoverEvaluationPeriods?: number;
  /** Leave out the recover alarm (the reboot alarm stays). */
  readonly withoutRecoverAlarm?: boolean;
}

/** The notes' `recovery`: one instance in one public subnet, recover and reboot alarms on it, an Elastic IP. */
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
  return merge(subnets([az]), {
    aws_instance: { server: { subnet_id: ref("aws_subnet", subnetName(az)), instance_type: "t3.micro" } },
    aws_cloudwatch_metric_alarm: {
      reboot: alarm("StatusCheckFailed_Instance", "reboot", 3),
      ...(options.withoutRecoverAlarm ? {} : { recover: alarm("StatusCheckFailed_System", "recover", options.recoverEvaluationPeriods ?? 2) }),
    },
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
}

/** The notes' `multiaz` (and, with a health check and a larger size, the web tier): an Auto Scaling group over one subnet per AZ. */
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
        server: { image_id: imageId, tag_specifications: [{ resource_type: "instance", tags: SERVER_TAGS }] },
      },
      aws_autoscaling_group: {
        server: {
          min_size: options.minSize ?? 1,
          max_size: options.maxSize ?? 1,
          health_check_type: options.healthCheckType ?? "EC2",
          health_check_grace_period: 120,
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
      aws_lb: { web: { load_balancer_type: "application", subnets: azs.map((az) => ref("aws_subnet", subnetName(az))) } },
      aws_lb_target_group: { web: { port: 80, protocol: "HTTP", health_check: { path: "/health", ...options.healthCheck } } },
    });
  }
  return merge(...parts);
}

/** The web tier: one instance per AZ behind an ALB whose health check is the notes' failover exercise. */
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
