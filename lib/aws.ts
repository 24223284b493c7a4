/**
 * Facts about AWS names that the stacks compute locally instead of asking AWS at plan time
 * (a plan-time data source would make an offline plan impossible).
 */
import * as crypto from "crypto";

/**
 * The ARN partition of a region: `aws`, `aws-cn` or `aws-us-gov`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** DNS suffix of service endpoints and principals in the region's partition. */
export function dnsSuffixOf(region: string): string {
  return region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The AZ letter (`a` in `ap-northeast-2a`), or undefined when `az` is not an AZ of
 * `region`. Local and Wavelength zones (`us-east-1-bos-1a`) are not accepted: they lack
 * NAT gateways and most of the services the stacks use.
 */
export function azLetter(region: string, az: string): string | undefined {
  const m = /^(.*)([a-z])$/.exec(az);
  return m && m[1] === region ? m[2] : undefined;
}

/** Zero-based position of an AZ letter: a -> 0, b -> 1. Subnets are numbered by it. */
export function azIndex(region: string, az: string): number {
  const letter = azLetter(region, az);
  if (letter === undefined) throw new RangeError(`${az} is not an availability zone of ${region}`);
  return letter.charCodeAt(0) - "a".charCodeAt(0);
}

/** Graviton families (`t4g`, `m7g`, `c6gn`) run arm64 images; the others x86_64. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  const family = instanceType.split(".")[0] ?? "";
  return /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

/**
 * The public SSM parameter holding the newest Amazon Linux 2023 AMI for the architecture;
 * launch templates read it with `resolve:ssm:` at launch, so no AMI lookup runs at plan time.
 * @see https://docs.aws.amazon.com/linux/al2023/ug/ec2.html
 */
export function amazonLinux2023Parameter(instanceType: string): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architectureOf(instanceType)}`;
}

/** `t3.micro`-style instance type names, sizes like `metal-24xl` included. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/;

/**
 * EventBridge's limit on a rule's name.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export const EVENT_RULE_NAME_MAX = 64;

/**
 * `name` followed by `end`, or, when that is longer than `max` characters (a resource type's
 * limit), the start of `name`, 8 hex digits of a hash of the whole and `end` kept as it is:
 * deterministic, and unique where the full names are.
 */
export function nameWithin(name: string, max: number, end = ""): string {
  const full = `${name}${end}`;
  if (full.length <= max) return full;
  const hash = crypto.createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${name.slice(0, max - end.length - hash.length - 1).replace(/-+$/, "")}-${hash}${end}`;
}
