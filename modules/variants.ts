/**
 * The variant stacks: a base stack (`recovery`, `multiaz`, `web`) with one switch of its section
 * on, each an ordinary stack with an id of its own (its directory, resource prefix, `Stack` tag,
 * state file and DNS name), which an app synthesizes like any other and `stacks` may name. The
 * plan review compares the `compared` ones beside the base stacks; the scan checks all of them.
 *
 * These are stack variants: each changes one stack's section. The scan's configuration variants
 * (isolated subnets, the S3 backend: scan/variants.ts) change settings every stack shares, so they
 * are configurations, not stacks.
 */
import type { StackName } from "../config/schema";

export interface StackVariant {
  /** The stack's id, `<base>-<switch>`. */
  readonly id: string;
  /** The stack it varies, whose section it reads. */
  readonly base: StackName;
  /** What it switches on, after its base's title in the review and the scan ("the state on EFS"). */
  readonly title: string;
  /**
   * Keys of the base's section, as a `STACK_CONFIG` file writes them under it: each replaces the
   * configured key (its keys not given take their defaults).
   */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** A key of the base's section the variant needs set, and why. @default - none */
  readonly requires?: { readonly key: string; readonly why: string };
  /** Whether the plan review compares it with the base stacks. */
  readonly compared: boolean;
}

export const STACK_VARIANTS = [
  {
    id: "multiaz-efs",
    base: "multiaz",
    title: "the state on EFS (`multiaz.efs.enabled`)",
    overrides: { efs: { enabled: true } },
    compared: true,
  },
  {
    // With the AMI pipeline on, the stack accepts a warm pool only with the state on EFS.
    id: "multiaz-efs-warm-pool",
    base: "multiaz",
    title: "the state on EFS and a warm pool (`multiaz.warmPool.enabled`)",
    overrides: { efs: { enabled: true }, warmPool: { enabled: true } },
    compared: true,
  },
  {
    id: "web-https",
    base: "web",
    title: "HTTPS (the certificate of `web.certificateArn`), HTTP redirected",
    overrides: {},
    requires: { key: "certificateArn", why: "serves HTTPS with the certificate of web.certificateArn" },
    compared: false,
  },
  {
    id: "web-step-scaling",
    base: "web",
    title: "the course's CPU step policies (`web.scaling.mode: step`)",
    overrides: { scaling: { mode: "step" } },
    compared: false,
  },
] as const satisfies readonly StackVariant[];

export type VariantId = (typeof STACK_VARIANTS)[number]["id"];

/** The variant of id `id`, if it is one. */
export function findVariant(id: string): StackVariant | undefined {
  return (STACK_VARIANTS as readonly StackVariant[]).find((v) => v.id === id);
}

/** The stack class a stack id builds: the variant's base, else the id itself. */
export function baseOf(id: string): StackName {
  return findVariant(id)?.base ?? (id as StackName);
}
