/**
 * The one typed configuration that drives every stack. `DEFAULT_CONFIG` holds the documented
 * defaults; a user overrides any part with a JSON file named by `STACK_CONFIG`, deep-merged
 * over them (see `load.ts`). Every key is documented in the README's configuration table.
 */

/** Names of the stacks `main.ts` can synthesize. */
export const STACK_NAMES = ["recovery", "multiaz", "web"] as const;
export type StackName = (typeof STACK_NAMES)[number];

export type NatGatewayMode = "none" | "single" | "one_per_az";

export interface SubnetMasks {
  /** Prefix length of each public subnet. @default 24 */
  readonly public: number;
  /** Prefix length of each private subnet. @default 20 */
  readonly private: number;
  /** Prefix length of each isolated (data) subnet. @default 24 */
  readonly isolated: number;
}

export interface FlowLogConfig {
  /** Send VPC flow logs to CloudWatch Logs. @default true */
  readonly enabled: boolean;
  /** Days CloudWatch keeps them (a value CloudWatch Logs accepts). @default 365 - a year of traffic records for an investigation (checkov CKV_AWS_338); storage is about 0.03 USD per GB-month */
  readonly retentionDays: number;
  /** `ALL`, `ACCEPT` or `REJECT`. @default "ALL" */
  readonly trafficType: "ALL" | "ACCEPT" | "REJECT";
}

export interface NetworkConfig {
  /** Subnet sizes per tier; each tier reserves room for 8 AZs (letters a-h). */
  readonly subnetMasks: SubnetMasks;
  /** Add a third, isolated tier with no route to the internet. @default false */
  readonly isolatedSubnets: boolean;
  /**
   * NAT gateways for the private tier.
   * @default - "one_per_az" in stacks whose servers run in private subnets (web), so an AZ
   * outage does not cut the others' egress; "none" where they run in public subnets
   * (recovery, multiaz), which would leave NAT gateways idle
   */
  readonly natGateways?: NatGatewayMode;
  readonly flowLogs: FlowLogConfig;
}

export type BackendConfig =
  | {
      /** State in a local file `terraform.<stack>.tfstate` next to cdktf.json. */
      readonly type: "local";
    }
  | {
      readonly type: "s3";
      /** Bucket holding the state. */
      readonly bucket: string;
      /** Object key prefix; the key is `<keyPrefix>/<stack>.tfstate`. @default project name */
      readonly keyPrefix?: string;
      /** Region of the bucket. @default the stack region */
      readonly region?: string;
      /** Server-side encryption of the state object. @default true */
      readonly encrypt?: boolean;
      /** S3-native state locking (Terraform >= 1.10). @default true */
      readonly useLockfile?: boolean;
    };

export interface DnsConfig {
  /** The hosted zone's domain, records are made inside it. @default "ha.example.com" */
  readonly zoneName: string;
  /** An existing public hosted zone's id; when unset each stack creates a zone named `zoneName`. @default - create the zone */
  readonly zoneId?: string;
  /** TTL of the A records that point at an Elastic IP. @default 60 */
  readonly ttlSeconds: number;
}

export interface EncryptionConfig {
  /**
   * Encrypt each stack's log groups, SNS topic and EFS file system with a customer-managed KMS
   * key of the stack (about 1 USD a month per key, plus 0.03 USD per 10,000 requests). Off,
   * log groups use CloudWatch Logs' own encryption, the topic is not encrypted (CloudWatch
   * alarms cannot publish to a topic under the AWS-managed `aws/sns` key) and EFS uses
   * `aws/elasticfilesystem`. @default true
   */
  readonly customerManagedKey: boolean;
}

export interface NotificationConfig {
  /** E-mail addresses subscribed to every stack's SNS topic (each must confirm). @default [] */
  readonly emails: readonly string[];
}

/** Settings shared by the stacks' EC2 instances. */
export interface InstanceConfig {
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType: string;
  /** Root volume size (GiB, gp3, always encrypted). @default 16 */
  readonly rootVolumeGb: number;
  /** CIDR allowed to reach SSH (22); SSM Session Manager is the default way in. @default - no SSH ingress */
  readonly sshCidr?: string;
}

export interface RecoveryConfig extends InstanceConfig {
  /** Record name inside `dns.zoneName` (a label, or a full name ending in the zone). @default "recovery" */
  readonly recordName: string;
  /** Evaluation periods of the `StatusCheckFailed_System` -> recover alarm. @default 2 (AWS's recommendation; the book used 5) */
  readonly recoverEvaluationPeriods: number;
  /** Evaluation periods of the `StatusCheckFailed_Instance` -> reboot alarm; must differ from the recover alarm's. @default 3 */
  readonly rebootEvaluationPeriods: number;
  /** Alarm period; status checks are reported every 60 s. @default 60 */
  readonly alarmPeriodSeconds: number;
}

export interface AmiPipelineConfig {
  /** Make AMIs of the running server on a schedule (Data Lifecycle Manager). @default true */
  readonly enabled: boolean;
  /** Hours between AMIs: 1, 2, 3, 4, 6, 8, 12 or 24. @default 24 */
  readonly intervalHours: number;
  /** AMIs kept (oldest deregistered first). @default 7 */
  readonly retainCount: number;
  /** Take AMIs without rebooting the server (crash-consistent). @default true - the endpoint stays up */
  readonly noReboot: boolean;
}

export interface WarmPoolConfig {
  /** Keep pre-initialised instances ready to replace a failed one. @default false */
  readonly enabled: boolean;
  /** `Stopped` (pay for EBS only) or `Running` (pay for the instance too). `Hibernated` is not offered: the launch template does not configure hibernation. @default "Stopped" */
  readonly poolState: "Stopped" | "Running";
  /** Instances kept in the pool, 1 to the number of AZs (with min = max = desired = 1 the pool's default size would be 0). @default 1 */
  readonly minSize: number;
}

export interface MultiAzConfig extends InstanceConfig {
  /** Record name inside `dns.zoneName`. @default "multiaz" */
  readonly recordName: string;
  /** Seconds the group waits before health-checking a new instance (0-7200). @default 300 - the book's 600 doubled the RTO for no gain with the small workload */
  readonly healthCheckGracePeriodSeconds: number;
  readonly amiPipeline: AmiPipelineConfig;
  /** Launch a fixed AMI instead of the pipeline's newest (the book's `multiaz-ebs`); requires `amiPipeline.enabled = false`, combines with EFS. @default - the pipeline's newest AMI, the base image first */
  readonly fixedAmiId?: string;
  /** Keep the server's state on EFS (mount targets in every AZ, mounted at /srv/state), which makes the RPO zero. @default false */
  readonly efs: { readonly enabled: boolean };
  /** With the AMI pipeline on, a warm pool requires `efs.enabled` (a warm instance's disk is older than the newest AMI). */
  readonly warmPool: WarmPoolConfig;
}

export interface HealthCheckConfig {
  /** Path the load balancer requests. @default "/health" */
  readonly path: string;
  /** Consecutive successes before a target is healthy (2-10). @default 2 (the course's failover exercise) */
  readonly healthyThreshold: number;
  /** Consecutive failures before a target is unhealthy (2-10). @default 2 */
  readonly unhealthyThreshold: number;
  /** Seconds to wait for a response (2-120, less than the interval). @default 2 */
  readonly timeoutSeconds: number;
  /** Seconds between checks (5-300). @default 5 */
  readonly intervalSeconds: number;
  /** HTTP codes that count as healthy. @default "200" */
  readonly matcher: string;
}

export type ScalingConfig =
  | {
      /** Keep average CPU near a target. */
      readonly mode: "target_tracking";
      /** Target average CPU, percent. @default 50 */
      readonly targetCpuPercent: number;
      /** Seconds a new instance's metrics are left out. @default 300 */
      readonly warmupSeconds: number;
    }
  | {
      /** The course's step policies: +1 at high CPU, -1 at low CPU. */
      readonly mode: "step";
      /** Scale out at average CPU >= this. @default 80 */
      readonly highCpuPercent: number;
      /** Scale in at average CPU <= this. @default 20 */
      readonly lowCpuPercent: number;
      /** Alarm period. @default 300 */
      readonly periodSeconds: number;
      /** Alarm evaluation periods. @default 1 */
      readonly evaluationPeriods: number;
      /** Seconds a new instance's metrics are left out. @default 300 */
      readonly warmupSeconds: number;
    };

/** Thresholds of the load balancer's alarms (each also notifies when it clears). */
export interface WebAlarmConfig {
  /** Alarm when the load balancer itself answers more 5xx than this in a minute (`HTTPCode_ELB_5XX_Count`, e.g. 502 while a target fails). @default 10 */
  readonly elb5xxPerMinute: number;
  /** Alarm when the targets' average response time stays above this for 3 minutes (`TargetResponseTime`). @default 1 */
  readonly targetResponseTimeSeconds: number;
}

export interface WebConfig {
  /** EC2 instance type of the web servers. @default "t3.micro" */
  readonly instanceType: string;
  /** Root volume size (GiB). @default 16 */
  readonly rootVolumeGb: number;
  /** Smallest group size. @default - the number of AZs (static stability: one per AZ survives an AZ outage without launching) */
  readonly minSize?: number;
  /** Largest group size. @default - twice the number of AZs */
  readonly maxSize?: number;
  /**
   * Seconds after a new instance entered service before failed ELB health checks count. It
   * enters service only once ready (a launch lifecycle hook completed when `/health` answers
   * on the instance), so this covers the load balancer's first checks, not the boot.
   * @default 30
   */
  readonly healthCheckGracePeriodSeconds: number;
  readonly healthCheck: HealthCheckConfig;
  /** Connection draining (0-3600 s). @default 300 (the course) */
  readonly deregistrationDelaySeconds: number;
  /** Load-balancer-cookie stickiness. @default - off */
  readonly stickinessSeconds?: number;
  /** ACM certificate; with it the ALB serves HTTPS and redirects HTTP. @default - HTTP only */
  readonly certificateArn?: string;
  /** CIDRs admitted to the load balancer. @default ["0.0.0.0/0"] */
  readonly ingressCidrs: readonly string[];
  /** ALB deletion protection. @default true */
  readonly deletionProtection: boolean;
  /** S3 bucket for ALB access logs (must allow the ELB log delivery). @default - off */
  readonly accessLogsBucket?: string;
  readonly scaling: ScalingConfig;
  /** Record name inside `dns.zoneName` (alias to the ALB). @default "www" */
  readonly recordName: string;
  /** Host name nginx routes to the second application; inside the zone it also gets an alias to the ALB. @default "app-b.<dns.zoneName>" */
  readonly appBServerName?: string;
  readonly alarms: WebAlarmConfig;
  /** AWS WAF on the load balancer: AWS's managed rule groups (common exploits, known bad inputs, IP reputation, anonymising networks), blocked requests logged. About 9 USD a month plus 0.60 USD per million requests. @default true */
  readonly waf: { readonly enabled: boolean };
}

export interface StackConfig {
  /** Prefix of resource names and the `Project` tag. @default "multiaz-ref" */
  readonly project: string;
  /** AWS region. @default "ap-northeast-2" */
  readonly region: string;
  /** AZ names, explicit (no plan-time lookup): 2 to 6, all in `region`. @default the region's a, b and c */
  readonly azs: readonly string[];
  /** VPC address block. @default "10.0.0.0/16" */
  readonly vpcCidr: string;
  /** Tags on every resource (provider default_tags), merged with `Project` and `ManagedBy`. @default {} */
  readonly tags: Readonly<Record<string, string>>;
  /** Stacks to synthesize. @default all: recovery, multiaz, web */
  readonly stacks: readonly StackName[];
  readonly network: NetworkConfig;
  readonly backend: BackendConfig;
  readonly dns: DnsConfig;
  readonly notifications: NotificationConfig;
  readonly encryption: EncryptionConfig;
  readonly recovery: RecoveryConfig;
  readonly multiaz: MultiAzConfig;
  readonly web: WebConfig;
}

export const DEFAULT_REGION = "ap-northeast-2";

export const DEFAULT_CONFIG: StackConfig = {
  project: "multiaz-ref",
  region: DEFAULT_REGION,
  azs: [`${DEFAULT_REGION}a`, `${DEFAULT_REGION}b`, `${DEFAULT_REGION}c`],
  vpcCidr: "10.0.0.0/16",
  tags: {},
  stacks: [...STACK_NAMES],
  network: {
    subnetMasks: { public: 24, private: 20, isolated: 24 },
    isolatedSubnets: false,
    flowLogs: { enabled: true, retentionDays: 365, trafficType: "ALL" },
  },
  backend: { type: "local" },
  dns: { zoneName: "ha.example.com", ttlSeconds: 60 },
  notifications: { emails: [] },
  encryption: { customerManagedKey: true },
  recovery: {
    instanceType: "t3.micro",
    rootVolumeGb: 16,
    recordName: "recovery",
    recoverEvaluationPeriods: 2,
    rebootEvaluationPeriods: 3,
    alarmPeriodSeconds: 60,
  },
  multiaz: {
    instanceType: "t3.micro",
    rootVolumeGb: 16,
    recordName: "multiaz",
    healthCheckGracePeriodSeconds: 300,
    amiPipeline: { enabled: true, intervalHours: 24, retainCount: 7, noReboot: true },
    efs: { enabled: false },
    warmPool: { enabled: false, poolState: "Stopped", minSize: 1 },
  },
  web: {
    instanceType: "t3.micro",
    rootVolumeGb: 16,
    healthCheckGracePeriodSeconds: 30,
    healthCheck: {
      path: "/health",
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      timeoutSeconds: 2,
      intervalSeconds: 5,
      matcher: "200",
    },
    deregistrationDelaySeconds: 300,
    ingressCidrs: ["0.0.0.0/0"],
    deletionProtection: true,
    scaling: { mode: "target_tracking", targetCpuPercent: 50, warmupSeconds: 300 },
    recordName: "www",
    alarms: { elb5xxPerMinute: 10, targetResponseTimeSeconds: 1 },
    waf: { enabled: true },
  },
};
