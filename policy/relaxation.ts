/**
 * A deliberate relaxation of a secure default: a setting whose stricter value is the default
 * and whose laxer values are accepted only together with a reason, which the construct that
 * applies it records as the suppression of the rule the value breaks (`suppress()`), so the
 * plan review and `npm run scan` show the exception next to the finding, with the reason.
 * The configuration schema and the constructs check a relaxation with the same
 * {@link relaxationFix}.
 */
import { MIN_REASON_LENGTH } from "./suppress";

/** A setting with the reason for a value that breaks a rule. */
export interface Relaxation<T> {
  readonly value: T;
  /** Why the value breaks the rule: required when it does, refused when it does not. @default - none */
  readonly reason?: string;
}

/** What a relaxation of one rule is: the strict value and the rule a laxer one breaks. */
export interface RelaxationRule<T> {
  /** The rule a laxer value breaks (a policy/rules id). */
  readonly ruleId: string;
  /** The default, which breaks no rule. */
  readonly strict: T;
  /** What the setting is, for the fix ("the IMDS hop limit"). */
  readonly what: string;
  /** Why a laxer value is a risk, for the fix. */
  readonly risk: string;
}

/** The reason as a suppression records it: trimmed, whitespace collapsed. */
const normalized = (reason: string | undefined) => (reason ?? "").trim().replace(/\s+/g, " ");

/**
 * What is wrong with `r` as a relaxation of `rule`, phrased as the fix, or undefined when
 * nothing is: a laxer value needs a reason of at least MIN_REASON_LENGTH characters; a reason
 * beside the strict value would explain nothing and go stale. `reasonKey` names the reason's
 * setting in the fix.
 */
export function relaxationFix<T>(rule: RelaxationRule<T>, r: Relaxation<T>, reasonKey: string): string | undefined {
  const relaxed = r.value !== rule.strict;
  const reason = normalized(r.reason);
  if (relaxed && reason.length < MIN_REASON_LENGTH) {
    return (
      `relaxes ${rule.what} from ${JSON.stringify(rule.strict)} (${rule.ruleId}: ${rule.risk}) ` +
      `${r.reason === undefined ? "without a reason" : `with too short a reason (${JSON.stringify(r.reason)})`}; ` +
      `say in ${reasonKey}, in at least ${MIN_REASON_LENGTH} characters, why the servers need it (it is recorded as the ${rule.ruleId} suppression the plan review shows), ` +
      `or set it back to ${JSON.stringify(rule.strict)}`
    );
  }
  if (!relaxed && r.reason !== undefined) {
    return `gives a reason, but ${rule.what} is ${JSON.stringify(rule.strict)}, the default, which breaks no rule; remove ${reasonKey}`;
  }
  return undefined;
}

/** The reason to record as `rule`'s suppression, or undefined when `r` relaxes nothing. */
export function relaxationReason<T>(rule: RelaxationRule<T>, r: Relaxation<T> | undefined): string | undefined {
  return r !== undefined && r.value !== rule.strict ? normalized(r.reason) : undefined;
}
