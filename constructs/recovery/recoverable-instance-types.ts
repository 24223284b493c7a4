/**
 * Which EC2 instance types EC2 recovery can move to new hardware, by its two mechanisms:
 * CloudWatch action based recovery (the `ec2:recover` alarm action, the stack's first line)
 * and simplified automatic recovery (on by default, the second line). A type the alarm cannot
 * recover is rejected: the recover alarm would protect nothing. A type only the alarm covers
 * (metal sizes, instance store volumes) is accepted with a synth warning.
 *
 * The lists are the EC2 User Guide's, "Automatic instance recovery": "Requirements for enabling
 * CloudWatch action based recovery" and "Requirements for enabling simplified automatic
 * recovery" (read 2026-12-01). AWS adds families over time; a type's support can always be
 * checked with {@link checkCommand}.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/cloudwatch-recovery.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-configuration-recovery.html
 */
import { comesWithInstanceStore } from "../../lib/instance-store";

/** Families both mechanisms support (simplified automatic recovery: not their metal sizes, nor with instance store). */
export const RECOVERABLE_FAMILIES: readonly string[] = [
  // General purpose
  "a1",
  "m3",
  "m4",
  "m5",
  "m5a",
  "m5n",
  "m5zn",
  "m6a",
  "m6g",
  "m6i",
  "m6in",
  "m7a",
  "m7g",
  "m7i",
  "m7i-flex",
  "m8a",
  "m8azn",
  "m8g",
  "m8gb",
  "m8gn",
  "m8i",
  "m8i-flex",
  "t1",
  "t2",
  "t3",
  "t3a",
  "t4g",
  // Compute optimized
  "c3",
  "c4",
  "c5",
  "c5a",
  "c5n",
  "c6a",
  "c6g",
  "c6gn",
  "c6i",
  "c6in",
  "c7a",
  "c7g",
  "c7gn",
  "c7i",
  "c7i-flex",
  "c8a",
  "c8g",
  "c8gb",
  "c8gn",
  "c8i",
  "c8i-flex",
  // Memory optimized, high memory included
  "r3",
  "r4",
  "r5",
  "r5a",
  "r5b",
  "r5n",
  "r6a",
  "r6g",
  "r6i",
  "r6in",
  "r7a",
  "r7g",
  "r7i",
  "r7iz",
  "r8a",
  "r8g",
  "r8gb",
  "r8gn",
  "r8i",
  "r8i-flex",
  "u-3tb1",
  "u-6tb1",
  "u-9tb1",
  "u-12tb1",
  "u-18tb1",
  "u-24tb1",
  "u7i-6tb",
  "u7i-8tb",
  "u7i-12tb",
  "u7in-16tb",
  "u7in-24tb",
  "u7in-32tb",
  "u7inh-32tb",
  "x1",
  "x1e",
  "x2iezn",
  "x8g",
  "x8i",
  // Accelerated computing
  "g3",
  "g5g",
  "inf1",
  "p3",
  "vt1",
  // High-performance computing
  "hpc6a",
  "hpc7a",
  "hpc7g",
  "hpc8a",
];

/** Families only the recover alarm supports: every size has instance store volumes. */
export const ALARM_ONLY_FAMILIES: readonly string[] = ["x2idn", "x2iedn"];

/** Families the recover alarm still recovers with instance store volumes (their data is lost). */
export const INSTANCE_STORE_TOLERATED: readonly string[] = ["m3", "c3", "r3", "x1", "x1e", "x2idn", "x2iedn"];

/** Types to suggest instead: EBS-only, supported by both mechanisms, x86_64 and arm64. */
export const RECOVERABLE_EXAMPLES = "t3.micro, t4g.small, m7i.large or c7g.large";

export interface RecoverySupport {
  /** Why the recover alarm cannot heal the type (the rest of a sentence about it); undefined when it can. */
  readonly unsupported?: string;
  /** Why simplified automatic recovery does not cover a type the alarm heals; undefined when it does. */
  readonly alarmOnly?: string;
}

/** The AWS CLI command that tells whether EC2 recovery supports `instanceType`. */
export function checkCommand(instanceType: string): string {
  return `aws ec2 describe-instance-types --instance-types ${instanceType} --query 'InstanceTypes[].AutoRecoverySupported'`;
}

/**
 * Why the recover alarm cannot heal `instanceType` and what to choose instead, or undefined
 * when it can: the schema's fix for `recovery.instanceType`, which RecoverableInstance refuses too.
 */
export function recoverableTypeFix(instanceType: string): string | undefined {
  const { unsupported } = recoverySupport(instanceType);
  if (unsupported === undefined) return undefined;
  return (
    `${instanceType} ${unsupported}; choose an EBS-only type of a supported family such as ${RECOVERABLE_EXAMPLES}. ` +
    `Check a type with \`${checkCommand(instanceType)}\`: [true] for a family newer than the project's list means it belongs in constructs/recovery/recoverable-instance-types.ts`
  );
}

/** What EC2 recovery can do for an instance of `instanceType`. */
export function recoverySupport(instanceType: string): RecoverySupport {
  const [family, size = ""] = instanceType.toLowerCase().split(".");
  const metal = size.startsWith("metal");
  if (RECOVERABLE_FAMILIES.includes(family)) {
    if (metal) return { alarmOnly: "simplified automatic recovery leaves out metal sizes" };
    if (INSTANCE_STORE_TOLERATED.includes(family)) {
      return {
        alarmOnly: `simplified automatic recovery leaves out ${family} instances with instance store volumes, which the image's block device mapping can add`,
      };
    }
    return {};
  }
  if (ALARM_ONLY_FAMILIES.includes(family)) {
    return { alarmOnly: `the ${family} family has instance store volumes, which simplified automatic recovery leaves out and whose data a recovery loses` };
  }

  if (comesWithInstanceStore(instanceType)) return { unsupported: `has instance store volumes (the ${family} family), which EC2 recovery does not support` };
  return { unsupported: `is not of a family the EC2 User Guide lists for EC2 recovery (the ${family} family)` };
}
