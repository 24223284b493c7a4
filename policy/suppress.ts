/**
 * The construct-side way to accept a finding on purpose: `suppress(resource, ruleId, reason)`
 * records the reason in the resource's `//` metadata of `cdk.tf.json` (see suppression.ts),
 * where the review reads it and reports the finding as suppressed, with the reason.
 * `Testing.synth` strips `//`; the real synth (and `Testing.fullSynth`) keeps it.
 */
import { TerraformResource } from "cdktf";
import { RULES, findRule } from "./index";
import { SUPPRESSIONS_KEY } from "./suppression";

/** Reasons shorter than this say nothing a reviewer can check ("n/a", "ok", "legacy"). */
export const MIN_REASON_LENGTH = 20;

/**
 * Accepts `ruleId`'s finding on `resource` because of `reason`. Fails for an unknown rule
 * id (a typo would silently suppress nothing) and for a reason too short to be one.
 */
export function suppress(resource: TerraformResource, ruleId: string, reason: string): void {
  if (!findRule(ruleId)) {
    throw new Error(`suppress(${resource.node.path}): unknown rule id ${JSON.stringify(ruleId)}; use one of ${RULES.map((r) => r.id).join(", ")}`);
  }
  const text = (reason ?? "").trim().replace(/\s+/g, " ");
  if (text.length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppress(${resource.node.path}, ${ruleId}): the reason ${JSON.stringify(reason)} is too short; say why this resource may break the rule (at least ${MIN_REASON_LENGTH} characters)`,
    );
  }
  resource.addOverride(`//.${SUPPRESSIONS_KEY}.${ruleId}`, text);
}
