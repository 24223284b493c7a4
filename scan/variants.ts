/**
 * The configurations the scan covers: the defaults, and each switch that adds or changes
 * resources, written as a `STACK_CONFIG` file would write it. Each variant names the stacks
 * it changes; the others would repeat the defaults' resources.
 */
import { STACK_NAMES, StackName } from "../config/schema";

export interface ScanVariant {
  /** Short name, shown in the scan's table as `<stack>/<variant>`. */
  readonly name: string;
  /** What it switches on, for the README and the table's legend. */
  readonly title: string;
  /** Overrides of the defaults, as in a `STACK_CONFIG` file. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly stacks: readonly StackName[];
}

/** A syntactically valid ACM certificate ARN: the offline plan never looks it up. */
/** A syntactically valid hosted zone id, the existing zone a deploy requires (`dns.zoneId`): synth never looks it up. */
export const SCAN_ZONE_ID = "Z0SCANNEDZONE0000000";

export const SCAN_CERTIFICATE_ARN = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0b5d3a8e-1c2f-4d6e-9a7b-3c4d5e6f7a8b";

export const SCAN_VARIANTS: readonly ScanVariant[] = [
  { name: "defaults", title: "the documented defaults", overrides: {}, stacks: [...STACK_NAMES] },
  { name: "https", title: "`web.certificateArn` set: HTTPS, HTTP redirected", overrides: { web: { certificateArn: SCAN_CERTIFICATE_ARN } }, stacks: ["web"] },
  {
    name: "step-scaling",
    title: "`web.scaling.mode: step`: the course's CPU step policies",
    overrides: { web: { scaling: { mode: "step" } } },
    stacks: ["web"],
  },
  { name: "efs", title: "`multiaz.efs.enabled`: the server's state on EFS", overrides: { multiaz: { efs: { enabled: true } } }, stacks: ["multiaz"] },
  {
    name: "efs-warm-pool",
    title: "`multiaz.efs.enabled` and `multiaz.warmPool.enabled`",
    overrides: { multiaz: { efs: { enabled: true }, warmPool: { enabled: true } } },
    stacks: ["multiaz"],
  },
  {
    name: "isolated",
    title: "`network.isolatedSubnets`: a third subnet tier with no route out",
    overrides: { network: { isolatedSubnets: true } },
    stacks: [...STACK_NAMES],
  },
  {
    name: "s3-backend",
    title: "`backend.type: s3`: state in S3 with S3-native locking",
    overrides: { backend: { type: "s3", bucket: "multiaz-ref-scan-state" } },
    stacks: [...STACK_NAMES],
  },
];
