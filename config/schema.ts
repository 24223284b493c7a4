/**
 * The one configuration schema (zod): the single source of the configuration's TypeScript
 * types (inferred), its defaults, which keys are optional, the allowed values and the rules
 * across keys. `config/load.ts` parses a `STACK_CONFIG` file with it; the README's key table
 * and the JSON Schema editors use (`config/stack-config.schema.json`) are generated from it by
 * `npm run config-docs` (see `config/docs.ts`), and tests fail while either is stale.
 *
 * Each key's `description` is what the README's table says of it; `defaultText` describes a
 * default that is not a plain value (one computed from other keys, or "unset").
 */
import { z } from "zod";
import {
  DEFAULT_INTERVAL_HOURS,
  DEFAULT_NO_REBOOT,
  DEFAULT_RETAIN_COUNT,
  DLM_INTERVAL_HOURS,
  INTERVAL_HOURS_FIX,
  NO_REBOOT_FIX,
  RETAIN_COUNT_FIX,
} from "../constructs/ami-pipeline/ami-pipeline";
import { DEFAULT_TTL_SECONDS } from "../constructs/endpoint/elastic-ip-endpoint";
import {
  AZ_COUNT,
  FLOW_LOGS,
  FLOW_LOG_RETENTION,
  DEFAULT_FLOW_LOG_TRAFFIC_TYPE,
  DEFAULT_SUBNET_MASKS,
  DEFAULT_VPC_CIDR,
  ELASTIC_IP_ALLOCATION_ID,
  FLOW_LOG_TRAFFIC_TYPES,
  NAT_GATEWAY_MODES,
  natGatewayAzs,
} from "../constructs/network/multi-az-vpc";
import { TIERS, maskFix, tierBlocks, vpcPrefixFix } from "../constructs/network/subnet-layout";
import { DEFAULT_ELB_5XX_PER_MINUTE, DEFAULT_TARGET_RESPONSE_TIME_SECONDS } from "../constructs/web/alb-alarms";
import { DELETION_PROTECTION, DEFAULT_INGRESS_CIDRS } from "../constructs/web/application-load-balancer";
import { WAF } from "../constructs/web/web-acl";
import { CUSTOMER_MANAGED_KEY } from "../constructs/encryption/stack-key";
import { DEFAULT_ACCESS_LOG_EXPIRATION_DAYS } from "../constructs/web/access-log-bucket";
import { SCALING_DEFAULTS } from "../constructs/web/cpu-scaling";
import { DEFAULT_DEREGISTRATION_DELAY_SECONDS, DEFAULT_HEALTH_CHECK } from "../constructs/web/target-group";
import { DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS, isMaxInstanceLifetime } from "../constructs/web/web-server-group";
import {
  DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS as DEFAULT_SERVER_GRACE_PERIOD_SECONDS,
  DEFAULT_WARM_POOL_MIN_SIZE,
  DEFAULT_WARM_POOL_STATE,
  WARM_POOL_STATES,
} from "../constructs/autoscaling/single-server-group";
import {
  ALARM_PERIOD_FIX,
  DEFAULT_ALARM_PERIOD_SECONDS,
  DEFAULT_REBOOT_EVALUATION_PERIODS,
  DEFAULT_RECOVER_EVALUATION_PERIODS,
  EVALUATION_PERIODS_FIX,
  checkTiming,
} from "../constructs/recovery/ec2-recovery-alarms";
import { recoverableTypeFix } from "../constructs/recovery/recoverable-instance-types";
import { maxEvaluationRangeSeconds } from "../lib/alarm-evaluation";
import { AMI_ID_PATTERN, DEFAULT_ROOT_VOLUME_GB, METADATA_HOP_LIMIT, ROOT_VOLUME_GB, sshCidrFix } from "../constructs/compute/hardened-launch-template";
import { azLetter, partitionOf } from "../lib/aws";
import { parseIpv4Cidr } from "../lib/cidr";
import { AWS_REGIONS, EC2_INSTANCE_TYPES } from "../lib/aws-names";
import { isDnsName, nameInZone, recordNameFix } from "../lib/dns-names";
import { METADATA_TAG_KEY_RULE, isMetadataTagKey } from "../lib/instance-metadata";
import { LOG_RETENTION_DAYS } from "../lib/log-retention";
import { Problems } from "../lib/validation";
import { Relaxation, RelaxationRule, relaxationFix, relaxes } from "../policy/relaxation";
import { MIN_REASON_LENGTH } from "../policy/suppress";
import { STACK_VARIANTS, VariantId, baseOf, findVariant } from "../modules/variants";
import { natGatewayMode } from "../modules/server-tiers";
import { similarTo } from "./suggest";

/** Names of the base stacks, each a class with a section of its own. */
export const STACK_NAMES = ["recovery", "multiaz", "web"] as const;
export type StackName = (typeof STACK_NAMES)[number];

/** What `stacks` may name: a base stack or a variant of one (modules/variants.ts). */
export const STACK_IDS = [...STACK_NAMES, ...STACK_VARIANTS.map((v) => v.id)] as const;
export type StackId = StackName | VariantId;

/** A stack id, a misspelled one answered with the nearest ids. */
const stackId = z.enum(STACK_IDS, {
  error: (issue) => {
    const near = typeof issue.input === "string" ? similarTo(issue.input, STACK_IDS) : [];
    return `must be one of ${quoted(STACK_IDS)}${near.length > 0 ? `; did you mean ${near.join(" or ")}?` : ""}`;
  },
});

export const DEFAULT_REGION = "ap-northeast-2";

/** Tags every resource gets from the stacks themselves (`ReferenceStack.commonTags`); a user tag may not replace them. */
export const COMMON_TAG_KEYS = ["Project", "Stack", "ManagedBy"] as const;

/** AWS's limit of tags on one resource. @see https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html */
const MAX_TAGS_PER_RESOURCE = 50;

interface KeyDocs {
  /** What the key means (the README's table). */
  readonly description: string;
  /** The default in words when it is not a plain value. */
  readonly defaultText?: string;
  readonly [annotation: string]: unknown;
}

const docs = (description: string, defaultText?: string): KeyDocs => (defaultText === undefined ? { description } : { description, defaultText });

const quoted = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** A whole number in [min, max], every problem with it phrased as the one fix. */
function wholeNumber(min: number, max: number, fix = `must be a whole number from ${min} to ${max}`) {
  return z.number({ error: fix }).int({ error: fix }).min(min, { error: fix }).max(max, { error: fix });
}

/** Seconds in whole minutes (CloudWatch's EC2 metrics are per minute). */
function minutes(fix: string) {
  return z.number({ error: fix }).int({ error: fix }).min(60, { error: fix }).multipleOf(60, { error: fix });
}

/** The fix for a section's discriminator (`type`, `mode`) naming no alternative; other issues keep theirs. */
function unionFix(fix: string) {
  return (issue: z.core.$ZodRawIssue) => (issue.code === "invalid_union" ? fix : undefined);
}

function flag() {
  return z.boolean({ error: "must be true or false" });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fix = `must be one of ${quoted(values)}`) {
  return z.enum(values, { error: fix });
}

/** A number from a fixed list. */
function numberIn(values: readonly number[], fix: string) {
  return z.number({ error: fix }).refine((v) => values.includes(v), { error: fix });
}

/** A string from a long list (regions, instance types), with the nearest names suggested. */
function listed(values: readonly string[], what: string) {
  return z.string({ error: what }).superRefine((v, ctx) => {
    if (values.includes(v)) return;
    const near = similarTo(v, values);
    ctx.addIssue({ code: "custom", message: near.length > 0 ? `${what}; did you mean ${near.join(" or ")}?` : what });
  });
}

const WARM_POOL_MIN_SIZE_FIX = (max: string) =>
  `must be a whole number from 1 to ${max}: one warm instance per AZ at most (a second in the same AZ adds cost, not speed)`;

const S3_BUCKET_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const S3_BUCKET_FIX = "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)";

const regionName = listed(AWS_REGIONS, `must be an AWS region name such as ${DEFAULT_REGION} (the regions of the AWS SDK's partition data, lib/aws-names.ts)`);

/** An instance type key (`t3.micro` by default); editors offer the EC2 API's list. */
const instanceType = (description: string) =>
  listed(EC2_INSTANCE_TYPES, "must be an EC2 instance type such as t3.micro (one of the EC2 API's instance types, lib/aws-names.ts)")
    .default("t3.micro")
    .meta({ ...docs(description), enum: [...EC2_INSTANCE_TYPES] });

const rootVolumeGb = wholeNumber(ROOT_VOLUME_GB.min, ROOT_VOLUME_GB.max).default(DEFAULT_ROOT_VOLUME_GB).meta(docs("encrypted gp3 root volume (GiB)"));

const sshCidr = z
  .string({ error: "must be an IPv4 CIDR such as 203.0.113.0/24" })
  .superRefine((v, ctx) => {
    const fix = sshCidrFix(v);
    if (fix) ctx.addIssue({ code: "custom", message: fix });
  })
  .optional()
  .meta(docs("CIDR admitted to SSH; SSM Session Manager is the way in; never `0.0.0.0/0`", "- (no SSH)"));

/** A key that is a relaxation (policy/relaxation.ts), where it sits and what it relaxes: checked across keys. */
interface RelaxableKey {
  readonly path: readonly string[];
  readonly rule: RelaxationRule<never>;
  /** The value's own schema: a value it refuses is its own problem, not one more. */
  readonly value: z.ZodType;
}
const RELAXABLE_KEYS: RelaxableKey[] = [];

/**
 * A relaxation (policy/relaxation.ts): the key takes its value alone, as before (`true`,
 * `365`), or as `{ value, reason }`; a value that relaxes `rule` needs the object form with
 * its reason (checked across keys, where the key's path is known), which the stack records
 * as the suppression of the rules the value breaks.
 */
function relaxable<T>(path: readonly string[], rule: RelaxationRule<T>, value: z.ZodType<T>, valueDocs: KeyDocs, reasonDocs: string) {
  RELAXABLE_KEYS.push({ path, rule: rule as unknown as RelaxationRule<never>, value });
  const object = z.strictObject({
    value: value.default(rule.strict as never).meta(valueDocs),
    reason: z
      .string({ error: `must be a sentence saying ${rule.why}` })
      .optional()
      .meta(
        docs(
          `${reasonDocs}, at least ${MIN_REASON_LENGTH} characters: recorded as the ${rule.ruleIds.join(", ")} suppression${rule.ruleIds.length > 1 ? "s" : ""} that the plan review and \`npm run scan\` show`,
          "- (required when relaxed)",
        ),
      ),
  });
  return z.union([value.meta(valueDocs).transform((v): Relaxation<T> => ({ value: v })), object]).prefault({});
}

/** The servers' IMDS hop limit: 1, or more with a reason, recorded as the CKV_AWS_341 suppression. */
const metadataHopLimit = (section: StackName) =>
  relaxable(
    [section, "metadataHopLimit"],
    METADATA_HOP_LIMIT,
    wholeNumber(METADATA_HOP_LIMIT.min, METADATA_HOP_LIMIT.max),
    docs(
      "IMDS response hop limit of the servers (`http_put_response_hop_limit`): 1 keeps containers on the host and forwarded requests from the instance credentials (CKV_AWS_341); 2 lets containers reach the metadata service. Above 1 only with `reason`",
    ),
    'why the servers need a hop limit above 1 (e.g. "containers on the host call AWS with the instance role")',
  );

/** A record name: a label or a name inside `dns.zoneName` (checked across keys, with the zone). */
const recordName = (name: string, meaning: string) =>
  z.string({ error: "must be a DNS label or a name inside dns.zoneName" }).default(name).meta(docs(meaning));

const APP_B_SERVER_NAME_FIX = "must be a DNS name such as app-b.ha.example.com (no trailing dot)";
const EIP_ALLOCATION_FIX = "must be an Elastic IP allocation id such as eipalloc-0123456789abcdef0";

const network = z
  .strictObject({
    subnetMasks: z
      .strictObject({
        public: wholeNumber(16, 28).default(DEFAULT_SUBNET_MASKS.public).meta(docs("prefix length of each public subnet")),
        private: wholeNumber(16, 28).default(DEFAULT_SUBNET_MASKS.private).meta(docs("prefix length of each private subnet")),
        isolated: wholeNumber(16, 28).default(DEFAULT_SUBNET_MASKS.isolated).meta(docs("prefix length of each isolated subnet")),
      })
      .prefault({}),
    isolatedSubnets: flag().default(false).meta(docs("add an isolated (data) tier with no route out")),
    // The NAT price: AWS's VPC pricing page (https://aws.amazon.com/vpc/pricing/), its US East example.
    natGateways: oneOf(NAT_GATEWAY_MODES)
      .optional()
      .meta(
        docs(
          "`none`, `single` (first AZ) or `one_per_az` (an AZ outage does not cut the others' egress); unset, each stack takes what its servers need: `recovery` and `multiaz` run theirs in public subnets, where NAT gateways would sit idle. Each NAT gateway costs 0.045 USD an hour plus 0.045 USD per GB it processes in us-east-1 (more in most other regions)",
          "`one_per_az` in `web`, `none` in `recovery` and `multiaz`",
        ),
      ),
    natElasticIpAllocationIds: z
      .record(z.string(), z.string({ error: EIP_ALLOCATION_FIX }).regex(ELASTIC_IP_ALLOCATION_ID, { error: EIP_ALLOCATION_FIX }), {
        error: 'must be an object of AZ names and Elastic IP allocation ids, e.g. {"ap-northeast-2a": "eipalloc-0123456789abcdef0"}',
      })
      .optional()
      .meta(
        docs(
          "existing Elastic IP allocations for the NAT gateways, by AZ name as in `azs` (every AZ with `one_per_az`, the first with `single`), so replacing a NAT gateway or the VPC keeps the egress addresses partners allow-list; each allocated in the region, unassociated, listed once, for the one stack that has NAT gateways; output `nat_public_ips`",
          "- (a new Elastic IP per NAT gateway)",
        ),
      ),
    flowLogs: z
      .strictObject({
        enabled: relaxable(
          ["network", "flowLogs", "enabled"],
          FLOW_LOGS,
          flag(),
          docs("VPC flow logs to CloudWatch Logs (CKV2_AWS_11); `false` only with `reason`"),
          'why the VPCs go without a record of their traffic (e.g. "a throwaway test VPC, deleted within the day")',
        ),
        retentionDays: relaxable(
          ["network", "flowLogs", "retentionDays"],
          FLOW_LOG_RETENTION,
          numberIn(LOG_RETENTION_DAYS, `must be one of ${LOG_RETENTION_DAYS.join(", ")} (the retentions CloudWatch Logs accepts)`),
          {
            ...docs(
              "a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...); a year of traffic records for an investigation (CKV_AWS_338), about 0.03 USD per GB-month of storage; less than 365 only with `reason`",
            ),
            enum: [...LOG_RETENTION_DAYS],
          },
          'why the flow logs may be kept less than a year (e.g. "storage cost; older traffic is never investigated")',
        ),
        trafficType: oneOf(FLOW_LOG_TRAFFIC_TYPES).default(DEFAULT_FLOW_LOG_TRAFFIC_TYPE).meta(docs("`ALL`, `ACCEPT` or `REJECT`")),
      })
      .prefault({}),
  })
  .prefault({});

const S3_KEY_PREFIX_FIX =
  "must be an S3 key prefix of parts made of letters, digits and ! _ . * ' ( ) -, separated by single slashes, with no slash at either end (at most 1000 characters)";

const backend = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("local").default("local").meta(docs("`local` or `s3`")),
      }),
      z.strictObject({
        type: z.literal("s3").meta(docs("`local` or `s3`")),
        bucket: z
          .string({ error: S3_BUCKET_FIX })
          .regex(S3_BUCKET_PATTERN, { error: S3_BUCKET_FIX })
          .meta(docs("S3 bucket (with `s3`)", "- (required with `s3`)")),
        keyPrefix: z
          .string({ error: S3_KEY_PREFIX_FIX })
          .max(1000, { error: S3_KEY_PREFIX_FIX })
          .regex(/^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/, { error: S3_KEY_PREFIX_FIX })
          .optional()
          .meta(docs("state key `<keyPrefix>/<stack>.tfstate`", "`project`")),
        region: regionName.optional().meta({ ...docs("bucket region", "`region`"), enum: [...AWS_REGIONS] }),
        encrypt: flag().default(true).meta(docs("server-side encryption of the state")),
        useLockfile: flag().default(true).meta(docs("S3-native state locking (Terraform >= 1.10)")),
      }),
    ],
    { error: unionFix('must be one of "local", "s3"') },
  )
  .prefault({});

const dns = z
  .strictObject({
    zoneName: z
      .string({ error: "must be a DNS domain name such as ha.example.com (no trailing dot)" })
      .refine(isDnsName, { error: "must be a DNS domain name such as ha.example.com (no trailing dot)" })
      .default("ha.example.com")
      .meta(
        docs(
          "domain of the one hosted zone every stack's records go into; a deploy needs a domain you own: the default is reserved (RFC 2606) and only plans offline",
        ),
      ),
    zoneId: z
      .string({ error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (the existing public zone of dns.zoneName)" })
      .regex(/^Z[A-Z0-9]{1,31}$/, { error: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ (the existing public zone of dns.zoneName)" })
      .optional()
      .meta(
        docs(
          "the existing public hosted zone of `dns.zoneName`, shared by every stack; a deploy requires it (the stacks never create the zone)",
          "- (offline: a stand-in zone id)",
        ),
      ),
    ttlSeconds: wholeNumber(0, 2147483647).default(DEFAULT_TTL_SECONDS).meta(docs("TTL of A records that point at an Elastic IP")),
  })
  .prefault({});

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const notifications = z
  .strictObject({
    emails: z
      .array(z.string({ error: "must be an e-mail address" }).regex(EMAIL_PATTERN, { error: "must be an e-mail address" }), {
        error: "must be a list of e-mail addresses",
      })
      .default([])
      .meta(docs("e-mail addresses subscribed to every stack's SNS topic")),
  })
  .prefault({});

const encryption = z
  .strictObject({
    customerManagedKey: relaxable(
      ["encryption", "customerManagedKey"],
      CUSTOMER_MANAGED_KEY,
      flag(),
      docs(
        "one customer-managed KMS key per stack (rotated yearly) encrypting its log groups, SNS topic and EFS file system: about 1 USD a month per key plus 0.03 USD per 10,000 requests. `false`, only with `reason`: CloudWatch Logs' own encryption, an unencrypted topic (alarms cannot publish to one under `aws/sns`), EFS under `aws/elasticfilesystem`",
      ),
      'why the stacks do without a key of their own (e.g. "a short-lived demo account; AWS-managed encryption is enough"), on every log group, topic and file system',
    ),
  })
  .prefault({});

const experiments = z
  .strictObject({
    enabled: flag()
      .default(false)
      .meta(
        docs(
          "AWS FIS experiment templates in every stack, one per failure mode it claims to survive (per AZ for the AZ faults), each with its own role and an alarm of the stack as stop condition (see [Game days](#game-days)). Templates cost nothing; an experiment costs 0.10 USD per action-minute",
        ),
      ),
  })
  .prefault({});

const recovery = z
  .strictObject({
    instanceType: instanceType(
      "a type the recover alarm can recover: a family the EC2 User Guide lists (t3, m7i, c7g, r8i, ...), no instance store; metal sizes pass with a warning (simplified automatic recovery leaves them out); `aws ec2 describe-instance-types --instance-types <type> --query 'InstanceTypes[].AutoRecoverySupported'` checks one",
    ),
    rootVolumeGb,
    metadataHopLimit: metadataHopLimit("recovery"),
    sshCidr,
    recordName: recordName("recovery", "name inside `dns.zoneName`"),
    recoverEvaluationPeriods: wholeNumber(1, Number.MAX_SAFE_INTEGER, EVALUATION_PERIODS_FIX)
      .default(DEFAULT_RECOVER_EVALUATION_PERIODS)
      .meta(docs("`StatusCheckFailed_System` periods before `ec2:recover` (AWS's advice; the book used 5)")),
    rebootEvaluationPeriods: wholeNumber(1, Number.MAX_SAFE_INTEGER, EVALUATION_PERIODS_FIX)
      .default(DEFAULT_REBOOT_EVALUATION_PERIODS)
      .meta(docs("`StatusCheckFailed_Instance` periods before `ec2:reboot`; must differ from the above")),
    alarmPeriodSeconds: minutes(ALARM_PERIOD_FIX).default(DEFAULT_ALARM_PERIOD_SECONDS).meta(docs("alarm period (status checks are 1-minute metrics)")),
  })
  .prefault({});

const multiaz = z
  .strictObject({
    instanceType: instanceType("instance type"),
    rootVolumeGb,
    metadataHopLimit: metadataHopLimit("multiaz"),
    sshCidr: sshCidr.meta(docs("as for `recovery`", "- (no SSH)")),
    recordName: recordName("multiaz", "name inside `dns.zoneName`, an A record on the Elastic IP"),
    healthCheckGracePeriodSeconds: wholeNumber(0, 7200)
      .default(DEFAULT_SERVER_GRACE_PERIOD_SECONDS)
      .meta(docs("grace before EC2 health checks count (the book: 600)")),
    amiPipeline: z
      .strictObject({
        enabled: flag().default(true).meta(docs("scheduled AMIs of the server (Data Lifecycle Manager), the newest launched by the next replacement")),
        intervalHours: numberIn(DLM_INTERVAL_HOURS, INTERVAL_HOURS_FIX)
          .default(DEFAULT_INTERVAL_HOURS)
          .meta({ ...docs("1, 2, 3, 4, 6, 8, 12 or 24; this is the RPO"), enum: [...DLM_INTERVAL_HOURS] }),
        retainCount: wholeNumber(1, 1000, RETAIN_COUNT_FIX).default(DEFAULT_RETAIN_COUNT).meta(docs("AMIs kept")),
        noReboot: z.boolean({ error: NO_REBOOT_FIX }).default(DEFAULT_NO_REBOOT).meta(docs("AMIs without rebooting the server")),
      })
      .prefault({}),
    fixedAmiId: z
      .string({ error: "must be an AMI id of the region such as ami-0123456789abcdef0, or unset to launch the pipeline's newest AMI" })
      .regex(AMI_ID_PATTERN, { error: "must be an AMI id of the region such as ami-0123456789abcdef0, or unset to launch the pipeline's newest AMI" })
      .optional()
      .meta(docs("launch this AMI instead (the book's `multiaz-ebs`); needs `amiPipeline.enabled: false`", "-")),
    efs: z.strictObject({ enabled: flag().default(false).meta(docs("state on EFS with a mount target in every AZ: RPO zero")) }).prefault({}),
    warmPool: z
      .strictObject({
        enabled: flag()
          .default(false)
          .meta(
            docs(
              "a warm pool of pre-initialised instances: shorter replacement; with the AMI pipeline it needs `efs.enabled` (a warm instance's disk is older than the newest AMI)",
            ),
          ),
        poolState: oneOf(WARM_POOL_STATES, `must be ${quoted(WARM_POOL_STATES).replace(", ", " or ")} (the launch template does not configure hibernation)`)
          .default(DEFAULT_WARM_POOL_STATE)
          .meta(docs("`Stopped` or `Running` (the launch template has no hibernation)")),
        minSize: wholeNumber(1, AZ_COUNT.max, WARM_POOL_MIN_SIZE_FIX("the number of AZs"))
          .default(DEFAULT_WARM_POOL_MIN_SIZE)
          .meta(docs("instances kept warm, 1 to the number of AZs")),
      })
      .prefault({}),
  })
  .prefault({});

const targetTracking = z.strictObject({
  mode: z.literal("target_tracking").default("target_tracking").meta(docs("`target_tracking` or `step` (the course)")),
  targetCpuPercent: z
    .number({ error: "must be a percentage above 0 and at most 100" })
    .gt(0, { error: "must be a percentage above 0 and at most 100" })
    .max(100, { error: "must be a percentage above 0 and at most 100" })
    .default(SCALING_DEFAULTS.target_tracking.targetCpuPercent)
    .meta(docs("target average CPU (target tracking)")),
  warmupSeconds: wholeNumber(0, Number.MAX_SAFE_INTEGER, "must be a whole number of seconds, 0 or more")
    .default(SCALING_DEFAULTS.target_tracking.warmupSeconds)
    .meta(docs("instance warm-up for scaling")),
});

const stepScaling = z.strictObject({
  mode: z.literal("step").meta(docs("`target_tracking` or `step` (the course)")),
  highCpuPercent: wholeNumber(1, 100).default(SCALING_DEFAULTS.step.highCpuPercent).meta(docs("step: scale out at average CPU >= this")),
  lowCpuPercent: wholeNumber(0, 99).default(SCALING_DEFAULTS.step.lowCpuPercent).meta(docs("step: scale in at average CPU <= this")),
  periodSeconds: minutes("must be a multiple of 60 seconds (60, 120, 300, ...): EC2 reports CPU once a minute")
    .default(SCALING_DEFAULTS.step.periodSeconds)
    .meta(docs("step: alarm period")),
  evaluationPeriods: wholeNumber(1, 10080).default(SCALING_DEFAULTS.step.evaluationPeriods).meta(docs("step: alarm evaluation periods")),
  warmupSeconds: wholeNumber(0, Number.MAX_SAFE_INTEGER, "must be a whole number of seconds, 0 or more")
    .default(SCALING_DEFAULTS.step.warmupSeconds)
    .meta(docs("instance warm-up for scaling")),
});

/**
 * Whether `matcher` is success codes of an HTTP health check: codes 200-499, as a code, a list
 * (`200,302`) or a range (`200-299`).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
function isHttpCodes(matcher: string): boolean {
  return matcher.split(",").every((part) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    const low = Number(m?.[1]);
    const high = m?.[2] === undefined ? low : Number(m[2]);
    return m !== null && low >= 200 && high <= 499 && high >= low;
  });
}

const MATCHER_FIX = 'must be HTTP codes from 200 to 499, as a code ("200"), a list ("200,302") or a range ("200-299")';
const HEALTH_PATH_FIX = 'must start with "/" (e.g. "/health"), at most 1024 characters without spaces';

/** An IPv4 CIDR, the fix saying what is wrong with it. */
const ipv4Cidr = (fix: string) =>
  z.string({ error: fix }).superRefine((v, ctx) => {
    const block = parseIpv4Cidr(v);
    if (typeof block === "string") ctx.addIssue({ code: "custom", message: block });
  });

const MAX_LIFETIME_FIX = "must be 0 (never) or a whole number of seconds from 86400 (a day) to 31536000 (a year), Auto Scaling's range";

const web = z
  .strictObject({
    instanceType: instanceType("instance type"),
    rootVolumeGb,
    metadataHopLimit: metadataHopLimit("web"),
    minSize: wholeNumber(1, 1000, "must be a whole number from 1 to 1000 (the load balancer needs a target)")
      .optional()
      .meta(docs("smallest group size (static stability)", "number of AZs")),
    maxSize: wholeNumber(1, 1000).optional().meta(docs("largest group size", "2 x AZs")),
    healthCheckGracePeriodSeconds: wholeNumber(0, 7200)
      .default(DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS)
      .meta(docs("grace before ELB health checks count, from the moment the instance is ready (its launch hook completed)")),
    maxInstanceLifetimeSeconds: z
      .number({ error: MAX_LIFETIME_FIX })
      .refine(isMaxInstanceLifetime, { error: MAX_LIFETIME_FIX })
      .optional()
      .meta(
        docs(
          "replace every web server after this many seconds in service (0: never; else one day, 86400, to a year, 31536000): servers that never live long, e.g. 604800 for weekly; each replacement launches first (full capacity) and boots cold from the base image",
          "- (never)",
        ),
      ),
    waitForHealthyTargets: flag()
      .default(true)
      .meta(
        docs(
          "`terraform apply` creating the group returns only once `minSize` servers are healthy behind the load balancer (`min_elb_capacity`), and fails (tainting the group) when they never are; every apply waits at most the launch hook's timeout (the recovery model's longest cold boot x 1.5) plus the healthy threshold x interval. `false`: the apply returns once the instances are InService, before the load balancer has checked them",
        ),
      ),
    healthCheck: z
      .strictObject({
        path: z
          .string({ error: HEALTH_PATH_FIX })
          .regex(/^\/\S{0,1023}$/, { error: HEALTH_PATH_FIX })
          .default(DEFAULT_HEALTH_CHECK.path)
          .meta(docs("target-group health check path")),
        healthyThreshold: wholeNumber(2, 10).default(DEFAULT_HEALTH_CHECK.healthyThreshold).meta(docs("2-10 (the course's failover exercise)")),
        unhealthyThreshold: wholeNumber(2, 10).default(DEFAULT_HEALTH_CHECK.unhealthyThreshold).meta(docs("2-10")),
        timeoutSeconds: wholeNumber(2, 120).default(DEFAULT_HEALTH_CHECK.timeoutSeconds).meta(docs("2-120, less than the interval")),
        intervalSeconds: wholeNumber(5, 300).default(DEFAULT_HEALTH_CHECK.intervalSeconds).meta(docs("5-300")),
        matcher: z
          .string({ error: MATCHER_FIX })
          .refine(isHttpCodes, { error: MATCHER_FIX })
          .default(DEFAULT_HEALTH_CHECK.matcher)
          .meta(docs("healthy HTTP codes")),
      })
      .prefault({}),
    deregistrationDelaySeconds: wholeNumber(0, 3600).default(DEFAULT_DEREGISTRATION_DELAY_SECONDS).meta(docs("connection draining, 0-3600 (the course)")),
    stickinessSeconds: wholeNumber(1, 604800).optional().meta(docs("load-balancer-cookie stickiness duration", "- (off)")),
    certificateArn: z
      .string({ error: "must be an ACM certificate ARN, or unset for HTTP only" })
      .optional()
      .meta(docs("ACM certificate: HTTPS (TLS 1.2+) and HTTP redirected", "- (HTTP only)")),
    ingressCidrs: z
      .array(ipv4Cidr("must be an IPv4 CIDR such as 0.0.0.0/0"), { error: 'must be a list of IPv4 CIDRs (["0.0.0.0/0"] for a public endpoint)' })
      .min(1, { error: 'list at least one IPv4 CIDR (["0.0.0.0/0"] for a public endpoint); with none the load balancer admits nobody' })
      .default([...DEFAULT_INGRESS_CIDRS])
      .meta(docs("CIDRs admitted to the load balancer")),
    deletionProtection: relaxable(
      ["web", "deletionProtection"],
      DELETION_PROTECTION,
      flag(),
      docs(
        "ALB deletion protection (CKV_AWS_150), and Terraform's `prevent_destroy` on the ALB; `false` only with `reason`, deployed before `cdktf destroy` (see [Destroying a stack](#destroying-a-stack))",
      ),
      'why the load balancer may be deleted (e.g. "the web stack is about to be destroyed")',
    ),
    accessLogsBucket: z
      .string({ error: `${S3_BUCKET_FIX}, or unset for no access logs` })
      .regex(S3_BUCKET_PATTERN, { error: `${S3_BUCKET_FIX}, or unset for no access logs` })
      .optional()
      .meta(docs("existing S3 bucket for ALB access logs (its policy must allow ELB log delivery); or see `accessLogs.createBucket`", "- (off)")),
    accessLogs: z
      .strictObject({
        // The prices: S3's pricing page (https://aws.amazon.com/s3/pricing/), S3 Standard's first 50 TB and PUT requests in us-east-1.
        createBucket: flag()
          .default(false)
          .meta(
            docs(
              "ALB access logs into a bucket the stack creates: SSE-S3 (the only encryption access logs support), public access blocked, TLS only, ELB's log-delivery policy for the region; output `access_logs_bucket`. Cost: S3 Standard storage of the logs (0.023 USD per GB-month in us-east-1, more in most other regions) and one PUT per load balancer node every 5 minutes (about 26,000 a month over 3 AZs, 0.13 USD); ELB charges nothing for delivery",
            ),
          ),
        expirationDays: wholeNumber(1, 36500)
          .default(DEFAULT_ACCESS_LOG_EXPIRATION_DAYS)
          .meta(docs("days a log object is kept in the created bucket before S3 expires it")),
      })
      .prefault({}),
    scaling: z.discriminatedUnion("mode", [targetTracking, stepScaling], { error: unionFix('must be one of "target_tracking", "step"') }).prefault({}),
    recordName: recordName("www", "alias record on the load balancer"),
    appBServerName: z
      .string({ error: APP_B_SERVER_NAME_FIX })
      .refine((name) => isDnsName(name.toLowerCase()), { error: APP_B_SERVER_NAME_FIX })
      .optional()
      .meta(docs("host name nginx routes to the second app", "`app-b.<dns.zoneName>`")),
    alarms: z
      .strictObject({
        elb5xxPerMinute: wholeNumber(0, Number.MAX_SAFE_INTEGER, "must be a whole number of responses, 0 or more (0 alarms on the first 5xx)")
          .default(DEFAULT_ELB_5XX_PER_MINUTE)
          .meta(docs("ALB 5xx count per minute that raises the alarm")),
        targetResponseTimeSeconds: z
          .number({ error: "must be a number of seconds above 0 (e.g. 0.5)" })
          .gt(0, { error: "must be a number of seconds above 0 (e.g. 0.5)" })
          .default(DEFAULT_TARGET_RESPONSE_TIME_SECONDS)
          .meta(docs("target response time that raises the alarm")),
      })
      .prefault({}),
    waf: z
      .strictObject({
        enabled: relaxable(
          ["web", "waf", "enabled"],
          WAF,
          flag(),
          docs(
            "AWS WAF on the load balancer with AWS's managed rule groups (IP reputation, anonymising networks, known bad inputs such as Log4j, common exploits), blocked requests logged for a year: about 9 USD a month (5 for the web ACL, 1 per rule) plus 0.60 USD per million requests (CKV2_AWS_28). `false`, only with `reason`: no WAF",
          ),
          'why the load balancer does without AWS WAF (e.g. "an internal test endpoint, admitted from the office network only")',
        ),
      })
      .prefault({}),
  })
  .prefault({});

const PROJECT_FIX = "must be 3-24 lowercase letters, digits or hyphens, starting with a letter (it prefixes resource names, some limited to 32 characters)";
const TAG_FIX = "tag keys are at most 128 characters and may not start with aws:, values are strings of at most 256";

const settings = z.strictObject({
  $schema: z.string().optional().meta(docs("the JSON Schema editors check the file against (`config/stack-config.schema.json`); ignored by synth")),
  project: z
    .string({ error: PROJECT_FIX })
    .regex(/^[a-z][a-z0-9-]{1,22}[a-z0-9]$/, { error: PROJECT_FIX })
    .default("multiaz-ref")
    .meta(docs("prefix of resource names, `Project` tag; 3-24 lowercase letters, digits, hyphens")),
  region: regionName.default(DEFAULT_REGION).meta({
    ...docs(
      "AWS region; IAM role and instance profile names end in it (IAM names are account-wide), so the same stacks deploy to several regions of one account",
    ),
    enum: [...AWS_REGIONS],
  }),
  azs: z
    .array(z.string({ error: "must be an availability zone name such as ap-northeast-2a" }), {
      error: 'must be a list of 2 to 6 availability zones, e.g. ["ap-northeast-2a", "ap-northeast-2c"]',
    })
    .default([`${DEFAULT_REGION}a`, `${DEFAULT_REGION}b`, `${DEFAULT_REGION}c`])
    .meta(docs("availability zones, explicit (no plan-time lookup): 2 to 6, unique, in `region`, letters a-h")),
  vpcCidr: ipv4Cidr("must be an IPv4 CIDR such as 10.0.0.0/16")
    .default(DEFAULT_VPC_CIDR)
    .meta(
      docs(
        "VPC block, /16 to /23, large enough for the masks: each tier reserves 8 AZ slots (the isolated tier too), so the default masks need a /16 and a /23 fits only /28 subnets",
      ),
    ),
  tags: z
    .record(z.string(), z.string({ error: "tag values are strings (of at most 256 characters); quote the value" }), {
      error: 'must be an object of tag names and string values, e.g. {"Team": "platform"}',
    })
    .default({})
    .meta(
      docs(
        "tags on every resource (provider `default_tags`, and instances launched by groups), merged with `Project`, `Stack`, `ManagedBy`; `multiaz` reads its instance tags from instance metadata, where EC2 refuses keys with spaces or `/`",
      ),
    ),
  stacks: z
    .array(stackId, { error: `must be a list of stacks from ${quoted(STACK_IDS)}` })
    .min(1, { error: `must list at least one of ${STACK_IDS.join(", ")}` })
    .default([...STACK_NAMES])
    .meta(
      docs(
        `stacks to synthesize: the base stacks, or variant stacks, each its base with one switch on under its own id (its resource names) and DNS names (\`<switch>-<recordName>\`, web's second host \`<switch>-<appBServerName>\`), so every one deploys beside the others: ${STACK_VARIANTS.map((v) => `\`${v.id}\`, ${v.base} with ${v.title}`).join("; ")}`,
      ),
    ),
  network,
  backend,
  dns,
  notifications,
  encryption,
  experiments,
  recovery,
  multiaz,
  web,
});

type Settings = z.output<typeof settings>;

/** Rules across keys; each names the key to change. */
function checkAcrossKeys(c: Settings, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

  const firstIndex = <T>(list: readonly T[], key: (v: T) => unknown) => list.map((v, i) => list.findIndex((w) => key(w) === key(v)) === i);
  firstIndex(c.stacks, (s) => s).forEach(
    (first, i) => first || issue(["stacks", i], "is listed twice; list each stack once (two stacks of one name would collide)"),
  );
  c.stacks.forEach((id, i) => {
    const needed = findVariant(id)?.requires;
    if (needed && (c[baseOf(id)] as Record<string, unknown>)[needed.key] === undefined) {
      issue(["stacks", i], `${id} ${needed.why}; set ${baseOf(id)}.${needed.key}, or name ${baseOf(id)} instead`);
    }
  });
  firstIndex(c.notifications.emails, (e) => e.toLowerCase()).forEach(
    (first, i) => first || issue(["notifications", "emails", i], "is listed twice (addresses are compared ignoring case); list each address once"),
  );

  const tagKeys = Object.keys(c.tags);
  for (const key of tagKeys) {
    const value = c.tags[key];
    if (key.length === 0 || key.length > 128 || value.length > 256 || key.toLowerCase().startsWith("aws:")) issue(["tags", key], TAG_FIX);
    else if ((COMMON_TAG_KEYS as readonly string[]).includes(key)) {
      issue(
        ["tags", key],
        `is a tag the stacks set on every resource (${COMMON_TAG_KEYS.join(", ")}: the project name, the stack, cdktf), which would replace yours; choose another key${key === "Project" ? ", or set project" : ""}`,
      );
    } else if (c.stacks.some((id) => baseOf(id) === "multiaz") && !isMetadataTagKey(key)) {
      // The group propagates the tags to the server, whose tags are in its instance metadata:
      // EC2 would refuse to launch it with a key the metadata cannot hold.
      issue(
        ["tags", key],
        `the multiaz server carries this tag and reads its tags from the instance metadata, where EC2 allows only keys of ${METADATA_TAG_KEY_RULE}; rename the tag`,
      );
    }
  }
  if (tagKeys.length + COMMON_TAG_KEYS.length > MAX_TAGS_PER_RESOURCE) {
    issue(
      ["tags"],
      `holds ${tagKeys.length} tags; with the stacks' own ${COMMON_TAG_KEYS.length}, a resource may carry at most ${MAX_TAGS_PER_RESOURCE} (AWS's limit)`,
    );
  }

  // The relaxations: a value the key refuses is its own problem, not one more.
  for (const { path, rule, value } of RELAXABLE_KEYS) {
    const r = path.reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], c) as Relaxation<never>;
    if (!value.safeParse(r.value).success) continue;
    const fix = relaxationFix(rule, r, `${path.join(".")}.reason`);
    if (fix) issue([...path, relaxes(rule, r.value) ? "value" : "reason"], fix);
  }

  checkNetwork(c, issue, firstIndex);
  checkRecovery(c, issue);
  checkDnsNames(c, issue);
  checkNatAllocations(c, issue);
  checkWeb(c, issue, firstIndex);

  const m = c.multiaz;
  if (m.fixedAmiId !== undefined && m.amiPipeline.enabled) {
    issue(
      ["multiaz", "fixedAmiId"],
      "cannot be combined with the AMI pipeline: its AMIs would never be launched, and the stack would promise an RPO of one snapshot interval that it does not have; set multiaz.amiPipeline.enabled to false to launch this AMI",
    );
  }
  if (m.warmPool.minSize > c.azs.length) issue(["multiaz", "warmPool", "minSize"], WARM_POOL_MIN_SIZE_FIX(`${c.azs.length}, the number of azs`));
  if (m.warmPool.enabled && m.amiPipeline.enabled && !m.efs.enabled) {
    issue(
      ["multiaz", "warmPool", "enabled"],
      "cannot be combined with the AMI pipeline while the state is on the instance's disk: a warm instance keeps the disk of the AMI it was launched from, older than the pipeline's newest, so a replacement from the pool would lose more than one interval; set multiaz.efs.enabled to true, or turn the warm pool or the pipeline off",
    );
  }
}

/** The recovery stack's rules across keys: a type the recover alarm heals, and the alarms' timing (constructs/recovery/ec2-recovery-alarms.ts). */
function checkRecovery(c: Settings, issue: (path: (string | number)[], message: string) => void): void {
  const r = c.recovery;
  const typeFix = recoverableTypeFix(r.instanceType);
  if (typeFix) issue(["recovery", "instanceType"], typeFix);
  const timing = new Problems();
  checkTiming(timing, r, "recovery.");
  for (const p of timing.list) issue(["recovery", p.key], p.fix);
}

/** The AZs in the region, and the subnet layout in the VPC block (each tier reserves 8 AZ slots: constructs/network/subnet-layout.ts). */
function checkNetwork(
  c: Settings,
  issue: (path: (string | number)[], message: string) => void,
  firstIndex: <T>(list: readonly T[], key: (v: T) => unknown) => boolean[],
): void {
  if (c.azs.length < AZ_COUNT.min || c.azs.length > AZ_COUNT.max) {
    issue(["azs"], 'list 2 to 6 availability zones (at least 2 for high availability; e.g. ["ap-northeast-2a", "ap-northeast-2c"])');
  }
  // An unknown region is its own problem; its AZs are not one more each.
  if (AWS_REGIONS.includes(c.region)) {
    firstIndex(c.azs, (az) => az).forEach((first, i) => {
      const letter = azLetter(c.region, c.azs[i]);
      if (!first) issue(["azs", i], "is listed twice; list each AZ once");
      else if (letter === undefined) issue(["azs", i], `is not an AZ of region ${c.region}; use names like ${c.region}a`);
      else if (letter > "h") issue(["azs", i], "AZ letters a-h are supported (each tier reserves 8 subnet slots)");
    });
  }
  const vpc = parseIpv4Cidr(c.vpcCidr);
  if (typeof vpc === "string") return;
  // A block of a size the layout cannot use is one problem, not one per mask besides.
  const prefixFix = vpcPrefixFix(vpc);
  if (prefixFix) return issue(["vpcCidr"], prefixFix);
  const masks = c.network.subnetMasks;
  const maskFixes = TIERS.map((tier) => [tier, maskFix(vpc.prefix, masks[tier])] as const).filter(([, fix]) => fix !== undefined);
  maskFixes.forEach(([tier, fix]) => issue(["network", "subnetMasks", tier], fix!));
  const blocks = maskFixes.length === 0 ? tierBlocks(vpc, masks) : undefined;
  if (typeof blocks === "string") issue(["network", "subnetMasks"], blocks);
}

/** The names the stacks put into the zone (lib/dns-names.ts); a zone name that is none is its own problem. */
function checkDnsNames(c: Settings, issue: (path: (string | number)[], message: string) => void): void {
  const zone = c.dns.zoneName;
  if (!isDnsName(zone)) return;
  for (const section of STACK_NAMES) {
    if (nameInZone(c[section].recordName, zone) === undefined) issue([section, "recordName"], recordNameFix(zone));
  }
  const endpoint = nameInZone(c.web.recordName, zone);
  if (endpoint !== undefined && c.web.appBServerName?.toLowerCase() === endpoint) {
    issue(["web", "appBServerName"], `must differ from the endpoint's name ${endpoint} (web.recordName), or every request would reach the second app`);
  }
}

/**
 * The NAT gateways' Elastic IP allocations: one per NAT gateway of the one stack that has NAT
 * gateways, each listed once. An Elastic IP is associated with one network interface at a
 * time, so two NAT gateways (of two AZs, or of two stacks) cannot share one.
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-eips.html
 */
function checkNatAllocations(c: Settings, issue: (path: (string | number)[], message: string) => void): void {
  const given = c.network.natElasticIpAllocationIds;
  if (given === undefined) return;
  const key = ["network", "natElasticIpAllocationIds"];
  const configured = c.network.natGateways;
  const withNat = c.stacks.filter((id) => natGatewayMode(baseOf(id), configured) !== "none");
  if (withNat.length === 0) {
    return issue(
      key,
      configured === "none"
        ? "names allocations for NAT gateways, and network.natGateways is none; set network.natGateways to one_per_az or single, or remove this key"
        : `names allocations for NAT gateways, and none of the stacks listed (${c.stacks.join(", ")}) has any (unset, network.natGateways gives them to web only); list web, set network.natGateways, or remove this key`,
    );
  }
  if (withNat.length > 1) {
    return issue(
      key,
      `an Elastic IP serves one NAT gateway at a time, and ${withNat.join(", ")} each create NAT gateways (network.natGateways ${configured ?? "unset"}); list only one of them in stacks, or remove this key`,
    );
  }
  const mode = natGatewayMode(baseOf(withNat[0]), configured);
  const natAzs = natGatewayAzs(mode, c.azs);
  for (const az of Object.keys(given)) {
    if (!c.azs.includes(az)) issue([...key, az], `is not one of azs (${c.azs.join(", ")}); key each allocation by the AZ name of its NAT gateway`);
    else if (!natAzs.includes(az)) issue([...key, az], `has no NAT gateway: with network.natGateways ${mode} only ${natAzs.join(", ")} has one; remove it`);
  }
  const missing = natAzs.filter((az) => !(az in given));
  if (missing.length > 0) {
    issue(
      key,
      `lacks an allocation for the NAT gateway in ${missing.join(", ")} (${withNat[0]}: network.natGateways ${mode}); give one for every NAT gateway, or remove this key`,
    );
  }
  const azsById = new Map<string, string[]>();
  for (const [az, id] of Object.entries(given)) azsById.set(id, [...(azsById.get(id) ?? []), az]);
  for (const azs of azsById.values()) {
    for (const az of azs.slice(1)) issue([...key, az], `is the allocation of ${azs[0]} too; each NAT gateway needs an Elastic IP of its own`);
  }
}

/** The web stack's rules across keys. */
function checkWeb(
  c: Settings,
  issue: (path: (string | number)[], message: string) => void,
  firstIndex: <T>(list: readonly T[], key: (v: T) => unknown) => boolean[],
): void {
  const w = c.web;
  const hc = w.healthCheck;
  if (hc.timeoutSeconds >= hc.intervalSeconds) {
    issue(
      ["web", "healthCheck", "timeoutSeconds"],
      `must be less than web.healthCheck.intervalSeconds (${hc.intervalSeconds}): a check must time out before the next one starts`,
    );
  }
  if (w.accessLogs.createBucket && w.accessLogsBucket !== undefined) {
    issue(
      ["web", "accessLogs", "createBucket"],
      `cannot be combined with web.accessLogsBucket (${w.accessLogsBucket}): the logs go to one bucket; remove web.accessLogsBucket to use the created one, or set this to false`,
    );
  }
  firstIndex(w.ingressCidrs, (cidr) => cidr).forEach((first, i) => first || issue(["web", "ingressCidrs", i], "is listed twice; list each CIDR once"));
  if (w.certificateArn !== undefined) {
    const partition = partitionOf(c.region);
    const arn = /^arn:([a-z-]+):acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(w.certificateArn);
    if (!arn) {
      issue(
        ["web", "certificateArn"],
        `must be an ACM certificate ARN such as arn:${partition}:acm:${c.region}:123456789012:certificate/<uuid>, or unset for HTTP only`,
      );
    } else if (arn[1] !== partition || arn[2] !== c.region) {
      issue(
        ["web", "certificateArn"],
        `is a certificate in ${arn[2]} (partition ${arn[1]}); a load balancer in ${c.region} (region) needs a certificate issued or imported in ${c.region}`,
      );
    }
  }
  // The group's defaults: one server per AZ at least, two per AZ at most.
  const minSize = w.minSize ?? c.azs.length;
  const maxSize = w.maxSize ?? 2 * c.azs.length;
  if (minSize > maxSize) {
    if (w.minSize === undefined) {
      issue(
        ["web", "maxSize"],
        `must be at least web.minSize (${minSize}: one per AZ by default); raise web.maxSize, or set web.minSize lower and give up a server in every AZ`,
      );
    } else {
      issue(["web", "minSize"], `must be at most maxSize (${maxSize}); raise web.maxSize or lower web.minSize`);
    }
  }
  const s = w.scaling;
  if (s.mode === "step") {
    if (s.lowCpuPercent >= s.highCpuPercent) {
      issue(["web", "scaling", "lowCpuPercent"], `must be less than web.scaling.highCpuPercent (${s.highCpuPercent}), or the group scales in and out at once`);
    }
    const limit = maxEvaluationRangeSeconds(s.periodSeconds);
    if (s.periodSeconds * s.evaluationPeriods > limit) {
      issue(
        ["web", "scaling", "evaluationPeriods"],
        `with web.scaling.periodSeconds ${s.periodSeconds} the alarm window would be ${s.periodSeconds * s.evaluationPeriods} s; CloudWatch allows at most ${limit} s`,
      );
    }
  }
}

/** The configuration schema: what a `STACK_CONFIG` file may hold, and the configuration it gives. */
export const STACK_CONFIG_SCHEMA = settings.superRefine(checkAcrossKeys).transform(({ $schema: _schema, ...config }) => ({
  ...config,
  // The default of the second app's host is the zone's: known once the zone is.
  web: { ...config.web, appBServerName: (config.web.appBServerName ?? `app-b.${config.dns.zoneName}`).toLowerCase() },
}));

/** The configuration every stack reads (the defaults filled in). */
export type StackConfig = z.output<typeof STACK_CONFIG_SCHEMA>;
export type MultiAzConfig = StackConfig["multiaz"];
export type RecoveryConfig = StackConfig["recovery"];
export type WebConfig = StackConfig["web"];

/** The defaults: the configuration without a `STACK_CONFIG` file. */
export const DEFAULT_CONFIG: StackConfig = STACK_CONFIG_SCHEMA.parse({});
