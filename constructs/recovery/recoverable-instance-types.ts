/**
 * Which EC2 instance types EC2 recovery can move to new hardware. Both mechanisms, the alarm
 * action `ec2:recover` and simplified automatic recovery, need a supported family, EBS-only
 * storage and a virtualized (not bare metal) instance; on any other type the recover alarm
 * protects nothing.
 *
 * The families are the ones the EC2 User Guide lists under "Requirements" of "Recover your
 * instance" (awsdocs/amazon-ec2-user-guide, doc_source/ec2-instance-recover.md, its last
 * published version). Newer families may have joined since; check a type with
 * `aws ec2 describe-instance-types --instance-types <type> --query "InstanceTypes[].AutoRecoverySupported"`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-recover.html
 */

/** Families that support EC2 recovery whatever their size (apart from `.metal` sizes). */
export const RECOVERABLE_FAMILIES: readonly string[] = [
  // General purpose
  "a1", "m4", "m5", "m5a", "m5n", "m5zn", "m6a", "m6g", "m6i", "t1", "t2", "t3", "t3a", "t4g",
  // Compute optimized
  "c4", "c5", "c5a", "c5n", "c6a", "c6g", "c6gn", "c6i", "c7g", "hpc6a",
  // Memory optimized (the virtualized high-memory `u-*` types are matched separately)
  "r4", "r5", "r5a", "r5b", "r5n", "r6a", "r6g", "r6i",
  // Accelerated computing
  "g3", "g5g", "inf1", "p2", "p3", "vt1",
];

/**
 * Previous-generation families AWS supports only when the instance has no instance store
 * volume. The launch template maps none, but the image's own block device mapping can add
 * one, so the stack does not offer them.
 */
export const RECOVERABLE_WITHOUT_INSTANCE_STORE: readonly string[] = ["c3", "m3", "r3", "x1", "x1e"];

/** Storage optimized families: every size comes with instance store volumes. */
const STORAGE_OPTIMIZED_PREFIXES = ["d", "h", "i", "im", "is"];

/** Types to suggest instead: EBS-only, supported, x86_64 and arm64. */
export const RECOVERABLE_EXAMPLES = "t3.micro, t4g.small, m5.large or c5.large";

/**
 * Why EC2 recovery cannot heal an instance of `instanceType`, or `undefined` when it can.
 * The reason reads as the rest of a sentence about the type.
 */
export function recoveryUnsupportedReason(instanceType: string): string | undefined {
  const [family, size] = instanceType.toLowerCase().split(".");
  if (size?.startsWith("metal")) return "is a bare metal type, which EC2 recovery does not support";
  // u-6tb1.112xlarge: high memory, supported when virtualized (metal sizes are caught above).
  if (family.startsWith("u-")) return undefined;
  if (RECOVERABLE_FAMILIES.includes(family)) return undefined;

  const parts = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family);
  // The attribute letters after the generation: `d` marks local NVMe instance store (m5d, c6gd, r5dn).
  const hasInstanceStore = parts !== null && (STORAGE_OPTIMIZED_PREFIXES.includes(parts[1]) || parts[3].includes("d"));
  if (hasInstanceStore) return `has instance store volumes (the ${family} family), which EC2 recovery does not support`;
  if (RECOVERABLE_WITHOUT_INSTANCE_STORE.includes(family)) {
    return `is supported by EC2 recovery only without instance store volumes, which the ${family} family's image mappings can add`;
  }
  return `is not of a family that supports EC2 recovery (the ${family} family is not among those the EC2 User Guide lists)`;
}
