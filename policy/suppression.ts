/**
 * How a suppression is recorded: in the resource's `//` comment object of the synthesized
 * configuration, keyed by rule id, e.g.
 * `"//": { "suppressions": { "CKV_AWS_88": "the server is its own public endpoint ..." } }`.
 * Terraform ignores `//` keys, so a suppression changes nothing that is deployed. Keyed by
 * rule id, a second suppression of another rule merges instead of replacing the first.
 */

/** A finding a stack accepts on purpose, with the reason a reviewer reads. */
export interface Suppression {
  /** The rule's id (`CKV_AWS_88`) or any of its checkov/trivy aliases. */
  readonly ruleId: string;
  readonly reason: string;
}

/** Key under `//` that holds the suppressions. */
export const SUPPRESSIONS_KEY = "suppressions";

/** The suppressions recorded in one resource body of `cdk.tf.json`. */
export function suppressionsOf(body: Readonly<Record<string, unknown>>): Suppression[] {
  const comment = body["//"];
  if (typeof comment !== "object" || comment === null) return [];
  const recorded = (comment as Record<string, unknown>)[SUPPRESSIONS_KEY];
  if (typeof recorded !== "object" || recorded === null) return [];
  return Object.entries(recorded)
    .filter((e): e is [string, string] => typeof e[1] === "string")
    .map(([ruleId, reason]) => ({ ruleId, reason }));
}
