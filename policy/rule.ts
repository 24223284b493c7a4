/**
 * The shape of the project's security checks, after cdk-nag: each rule names the control,
 * the checkov and trivy ids of the same control (so a user who has those scanners can
 * compare), a severity, and a check over one resource that may look at the others.
 *
 * Rules read the same resource graph as the recovery model (`lib/resource-graph.ts`), built from a
 * synthesized `cdk.tf.json` or from a plan: in a plan, values known only after apply are
 * absent, and which resources an attribute refers to is always known.
 */
import { ResourceGraph, ResourceNode } from "../lib/resource-graph";

/** `error` fails the review; `warning` is reported and left to the reviewer. */
export type Severity = "error" | "warning";

export interface Rule {
  /** The id findings and suppressions use: the control's (first) checkov id. */
  readonly id: string;
  /** Further checkov ids that test the same control. @default - none */
  readonly checkov?: readonly string[];
  /** trivy (AVD) ids of the same control. @default - none */
  readonly trivy?: readonly string[];
  readonly severity: Severity;
  /** What a compliant resource looks like, one sentence. */
  readonly title: string;
  /** Terraform resource types the rule checks. */
  readonly resourceTypes: readonly string[];
  /**
   * The verdict on `resource`: undefined when it complies; what is wrong, phrased with the
   * fix, when it does not; {@link unknownUntilApply} when a value the rule needs is a
   * reference Terraform resolves only at apply (reported, never counted as a pass).
   */
  check(resource: ResourceNode, graph: ResourceGraph): string | Unknown | undefined;
}

/** The third verdict: the rule cannot tell before apply. */
export interface Unknown {
  readonly unknown: string;
}

export function unknownUntilApply(what: string): Unknown {
  return { unknown: `${what} is known only at apply` };
}

/** Whether a value is (or holds) a reference Terraform resolves at apply. */
export function unresolved(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) return value.some(unresolved);
  return false;
}

/** A resource the rule could not judge before apply. */
export interface UnknownVerdict {
  readonly rule: Rule;
  readonly resource: ResourceNode;
  readonly reason: string;
}

/** Every id a rule answers to: its own, then its checkov and trivy aliases. */
export function ruleIds(rule: Rule): string[] {
  return [rule.id, ...(rule.checkov ?? []), ...(rule.trivy ?? [])];
}

/** One rule's verdict on one resource. */
export interface Finding {
  readonly rule: Rule;
  readonly resource: ResourceNode;
  readonly message: string;
  /** Set when the stack accepts the finding on purpose; reported, never hidden. */
  readonly suppression?: { readonly reason: string };
}

/**
 * A boolean attribute, whichever way it was written (cdktf writes some as "true"/"false"
 * strings); undefined when unset or unknown until apply.
 */
export function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}
