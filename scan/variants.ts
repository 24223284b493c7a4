/**
 * What the scan covers, written as a `STACK_CONFIG` file would write it:
 *
 * - configuration variants, which change settings every stack shares (the defaults, isolated
 *   subnets, the S3 backend), each with every base stack;
 * - the variant stacks (modules/variants.ts: HTTPS, step scaling, EFS, EFS and a warm pool), each
 *   an ordinary stack of its own, with the defaults and the values a deploy would give the keys
 *   they require.
 */
import { STACK_NAMES, StackId } from "../config/schema";
import { STACK_VARIANTS } from "../modules/variants";

export interface ScanVariant {
  /** Short name, shown in the scan's table as `<stack>/<variant>`. */
  readonly name: string;
  /** What it switches on, for the README and the table's legend. */
  readonly title: string;
  /** Overrides of the defaults, as in a `STACK_CONFIG` file. */
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly stacks: readonly StackId[];
}

/** A syntactically valid hosted zone id, the existing zone a deploy requires (`dns.zoneId`): synth never looks it up. */
export const SCAN_ZONE_ID = "Z0SCANNEDZONE0000000";

/** A syntactically valid ACM certificate ARN: the offline plan never looks it up. */
export const SCAN_CERTIFICATE_ARN = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0b5d3a8e-1c2f-4d6e-9a7b-3c4d5e6f7a8b";

/** The scan's value for each key a variant stack may require (`StackVariant.requires`), by section and key. */
const REQUIRED_VALUES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = { web: { certificateArn: SCAN_CERTIFICATE_ARN } };

/** The configuration variants: settings every stack shares, so every base stack is scanned with each. */
export const CONFIGURATION_VARIANTS: readonly ScanVariant[] = [
  { name: "defaults", title: "the documented defaults", overrides: {}, stacks: [...STACK_NAMES] },
  {
    name: "isolated",
    title: "`network.isolatedSubnets`: a third subnet tier with no route out",
    overrides: { network: { isolatedSubnets: true } },
    stacks: [...STACK_NAMES],
  },
  {
    name: "experiments",
    title: "`experiments.enabled`: AWS FIS experiment templates with their roles",
    overrides: { experiments: { enabled: true } },
    stacks: [...STACK_NAMES],
  },
  {
    name: "access-logs",
    title: "`web.accessLogs.createBucket`: the load balancer's access-log bucket",
    overrides: { web: { accessLogs: { createBucket: true } } },
    stacks: ["web"],
  },
  {
    name: "s3-backend",
    title: "`backend.type: s3`: state in S3 with S3-native locking",
    overrides: { backend: { type: "s3", bucket: "multiaz-ref-scan-state" } },
    stacks: [...STACK_NAMES],
  },
];

/** Each variant stack with the defaults, and the scan's value for the key it requires. */
export const VARIANT_STACKS: readonly ScanVariant[] = STACK_VARIANTS.map((v) => {
  const required: { readonly key: string } | undefined = "requires" in v ? v.requires : undefined;
  return {
    name: "defaults",
    title: `${v.base} with ${v.title}`,
    overrides: required ? { [v.base]: { [required.key]: REQUIRED_VALUES[v.base][required.key] } } : {},
    stacks: [v.id],
  };
});

export const SCAN_VARIANTS: readonly ScanVariant[] = [...CONFIGURATION_VARIANTS, ...VARIANT_STACKS];
