/**
 * A deliberate relaxation of a secure default: a setting whose stricter value is the default
 * and whose laxer values are accepted only together with a reason, which the construct that
 * applies it records as the suppression of the rules the value breaks (`suppress()`), on the
 * resources that break them, so the plan review and `npm run scan` show the exception next to
 * the finding, with the reason. The configuration schema and the constructs check a
 * relaxation with the same {@link relaxationFix}.
 */
import { IConstruct } from "constructs";
import { Problems } from "../lib/validation";
import { MIN_REASON_LENGTH } from "./suppress";

/** A setting with the reason for a value that breaks a rule. */
export interface Relaxation<T> {
  readonly value: T;
  /** Why the value breaks the rule: required when it does, refused when it does not. @default - none */
  readonly reason?: string;
}

/** What a relaxation is: the strict value, which values relax it and the rules they break. */
export interface RelaxationRule<T> {
  /** The rules a laxer value breaks (policy/rules ids), each suppressed with the reason. */
  readonly ruleIds: readonly string[];
  /** The default, which breaks no rule. */
  readonly strict: T;
  /** Whether `value` breaks the rules. @default - any value but `strict` */
  readonly relaxes?: (value: T) => boolean;
  /** What the setting is, for the fix ("the IMDS hop limit"). */
  readonly what: string;
  /** Why a laxer value is a risk, for the fix. */
  readonly risk: string;
  /** What the reason says, for the fix ("why the servers need it"). */
  readonly why: string;
}

/** The reason as a suppression records it: trimmed, whitespace collapsed. */
const normalized = (reason: string | undefined) => (reason ?? "").trim().replace(/\s+/g, " ");

/** Whether `value` relaxes `rule`. */
export const relaxes = <T>(rule: RelaxationRule<T>, value: T): boolean => (rule.relaxes ? rule.relaxes(value) : value !== rule.strict);

/** The rules' ids as a fix names them ("CKV_AWS_158, CKV_AWS_26 and CKV_AWS_184"). */
const ids = (rule: Pick<RelaxationRule<unknown>, "ruleIds">) => rule.ruleIds.join(", ").replace(/, ([^,]*)$/, " and $1");

/**
 * What is wrong with `r` as a relaxation of `rule`, phrased as the fix, or undefined when
 * nothing is: a laxer value needs a reason of at least MIN_REASON_LENGTH characters; a reason
 * beside a value that relaxes nothing would explain nothing and go stale. `reasonKey` names
 * the reason's setting in the fix.
 */
export function relaxationFix<T>(rule: RelaxationRule<T>, r: Relaxation<T>, reasonKey: string): string | undefined {
  const relaxed = relaxes(rule, r.value);
  const reason = normalized(r.reason);
  if (relaxed && reason.length < MIN_REASON_LENGTH) {
    return (
      `relaxes ${rule.what} from ${JSON.stringify(rule.strict)} (${ids(rule)}: ${rule.risk}) ` +
      `${r.reason === undefined ? "without a reason" : `with too short a reason (${JSON.stringify(r.reason)})`}; ` +
      `say in ${reasonKey}, in at least ${MIN_REASON_LENGTH} characters, ${rule.why} (it is recorded as the ${ids(rule)} suppression${rule.ruleIds.length > 1 ? "s" : ""} the plan review shows), ` +
      `or set it back to ${JSON.stringify(rule.strict)}`
    );
  }
  if (!relaxed && r.reason !== undefined) {
    const value = r.value === rule.strict ? `${JSON.stringify(rule.strict)}, the default,` : `${JSON.stringify(r.value)},`;
    return `gives a reason, but ${rule.what} is ${value} which breaks no rule; remove ${reasonKey}`;
  }
  return undefined;
}

/**
 * Adds `r`'s problem under `key` (`key.value` for a relaxation without a reason, `key.reason`
 * for a reason beside a value that relaxes nothing), as a construct checks its props.
 */
export function checkRelaxation<T>(p: Problems, key: string, rule: RelaxationRule<T>, r: Relaxation<T> | undefined): void {
  if (r === undefined) return;
  const fix = relaxationFix(rule, r, `${key}.reason`);
  if (fix && relaxes(rule, r.value)) p.add(`${key}.value`, r.value, fix);
  else if (fix) p.add(`${key}.reason`, r.reason, fix);
}

/** The reason to record as `rule`'s suppressions, or undefined when `r` relaxes nothing. */
export function relaxationReason<T>(rule: RelaxationRule<T>, r: Relaxation<T> | undefined): string | undefined {
  return r !== undefined && relaxes(rule, r.value) ? normalized(r.reason) : undefined;
}

/**
 * For a construct that either builds what a setting asks for or records its relaxation: checks
 * `r` under `key` (a programmer error thrown at `scope`'s path) and returns the reason to record,
 * or undefined when `r` relaxes nothing.
 */
export function checkedRelaxationReason<T>(scope: IConstruct, key: string, rule: RelaxationRule<T>, r: Relaxation<T> | undefined): string | undefined {
  const p = new Problems();
  checkRelaxation(p, key, rule, r);
  p.throwIfAnyAt(scope);
  return relaxationReason(rule, r);
}
