/**
 * How a suppression is recorded: in the resource's `//` comment object of the synthesized
 * configuration, keyed by rule id, e.g.
 * `"//": { "suppressions": { "CKV_AWS_88": "the server is its own public endpoint ..." } }`.
 * Terraform ignores `//` keys, so a suppression changes nothing that is deployed, and a plan
 * does not carry it: the review reads suppressions from the `cdk.tf.json` the plan was made
 * from. Keyed by rule id, a second suppression of another rule merges with the first.
 */

/** A finding a stack accepts on purpose, with the reason a reviewer reads. */
export interface Suppression {
  /** The rule's id (`CKV_AWS_88`) or any of its checkov/trivy aliases. */
  readonly ruleId: string;
  readonly reason: string;
}

/** Suppressions by resource address (`type.name`). */
export type Suppressions = ReadonlyMap<string, readonly Suppression[]>;

/** Key under `//` that holds the suppressions. */
export const SUPPRESSIONS_KEY = "suppressions";

/** The suppressions recorded in a synthesized `cdk.tf.json`, by resource address. */
export function suppressionsOf(tf: { readonly resource?: Record<string, Record<string, unknown>> }): Suppressions {
  const out = new Map<string, Suppression[]>();
  for (const [type, byName] of Object.entries(tf.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const recorded = (body as { "//"?: Record<string, unknown> })["//"]?.[SUPPRESSIONS_KEY];
      if (typeof recorded !== "object" || recorded === null) continue;
      const list = Object.entries(recorded)
        .filter((e): e is [string, string] => typeof e[1] === "string")
        .map(([ruleId, reason]) => ({ ruleId, reason }));
      if (list.length > 0) out.set(`${type}.${name}`, list);
    }
  }
  return out;
}
