/**
 * The modelled recovery of a stack as Terraform outputs, as data: a name, a description and a
 * pure function of the assessment. The analysis at synth adds them to every stack, their values
 * computed from its own JSON (lib/synth-analysis.ts), so they cannot drift from the resources:
 * change an alarm, a health check or the AMI interval and the outputs follow. `recovery` holds,
 * per failure mode, the figures a CI gate compares (`figures.ts`); `recovery_summary` one
 * readable line per mode.
 */
import { modeFigures } from "./figures";
import { formatOutcome, formatRpo, formatRto } from "./format";
import { FAILURE_MODES, FailureMode, ModeAssessment, RecoveryAssessment } from "./types";

/** The outputs' names. */
export const RECOVERY_OUTPUT = "recovery";
export const RECOVERY_SUMMARY_OUTPUT = "recovery_summary";

/** A mode's key in the outputs: `host`, `guest_os`, `app_crash`, ... (Terraform-style names). */
export function outputKey(mode: FailureMode): string {
  return mode.replace(/-/g, "_");
}

/** One Terraform output of the model. */
export interface RecoveryOutput {
  readonly name: string;
  readonly description: string;
  /** The output's value for a stack's assessment. */
  value(assessment: RecoveryAssessment): Record<string, unknown>;
}

function perMode<T>(a: RecoveryAssessment, value: (m: ModeAssessment) => T): Record<string, T> {
  return Object.fromEntries(FAILURE_MODES.map((mode) => [outputKey(mode), value(a.modes[mode])]));
}

/**
 * `recovery` ({ <mode>: { outcome, survives, mechanism, rto_p50_seconds, rto_p90_seconds,
 * rto_p99_seconds, rto_min_seconds, rto_max_seconds, dominant_term, rpo_kind, rpo_seconds,
 * rpo_bounded } }) and `recovery_summary` ({ <mode>: "healed: P50 ... (hull ...); RPO ...; by ..." }).
 */
export const RECOVERY_OUTPUTS: readonly RecoveryOutput[] = [
  {
    name: RECOVERY_OUTPUT,
    description:
      "Modelled recovery per failure mode, for comparisons: outcome, survives, mechanism, RTO percentiles and hull in seconds " +
      "(null when not healed), dominant_term, rpo_kind, rpo_seconds (null when unbounded) and rpo_bounded; see model/figures.ts.",
    value: (a) => perMode(a, (m) => withTerraformNulls(modeFigures(m))),
  },
  {
    name: RECOVERY_SUMMARY_OUTPUT,
    description: "Modelled recovery per failure mode as text: outcome, RTO percentiles and hull, RPO, mechanism; see model/.",
    value: (a) =>
      perMode(
        a,
        (m) =>
          `${formatOutcome(m.outcome)}: ${m.outcome === "healed" ? `${formatRto(m)}; ` : ""}RPO ${formatRpo(m.rpo)}${m.outcome === "not-applicable" ? "" : `; ${m.mechanism}`}`,
      ),
  },
];

/**
 * Terraform's null as a template of one interpolation, which evaluates to the value itself:
 * cdktf 0.21's HCL renderer (`cdktf synth --hcl`) fails on a literal null inside an object.
 */
export const TERRAFORM_NULL = "${null}";

function withTerraformNulls(figures: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v === null ? TERRAFORM_NULL : v]));
}
