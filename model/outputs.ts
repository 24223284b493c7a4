/**
 * The modelled RTO and RPO of a stack as Terraform outputs: for each failure mode readable
 * strings (`rto_<mode>`, `rpo_<mode>`) and an object of numbers and booleans for a CI gate
 * (`recovery_<mode>`, see `figures.ts`). A pure function of the assessment: the stacks add
 * these outputs with their values computed at synth from their own JSON
 * (modules/recovery-outputs.ts), so they cannot drift from the resources.
 */
import { modeFigures } from "./figures";
import { formatRpo, formatRto } from "./format";
import { FAILURE_MODES, FailureMode, RecoveryAssessment } from "./types";

/** Output name suffix and description wording per failure mode. */
const MODE_OUTPUTS: Readonly<Record<FailureMode, { suffix: string; what: string }>> = {
  instance: { suffix: "instance_failure", what: "an instance (or its host) fails" },
  az: { suffix: "az_outage", what: "its Availability Zone fails" },
};

/** One Terraform output of the model. */
export interface RecoveryOutput {
  readonly name: string;
  readonly description: string;
  /** Whether the value is a string (else an object). */
  readonly kind: "string" | "object";
  /** The output's value for a stack's assessment. */
  value(assessment: RecoveryAssessment): string | Record<string, unknown>;
}

/**
 * For each failure mode, `rto_<mode>` and `rpo_<mode>` ("3-10 min", "0 (EBS kept)",
 * "not survived") and `recovery_<mode>` ({ survives, rto_min_seconds, rto_max_seconds,
 * rpo_kind, rpo_seconds, rpo_bounded }).
 */
export const RECOVERY_OUTPUTS: readonly RecoveryOutput[] = FAILURE_MODES.flatMap((mode): RecoveryOutput[] => {
  const { suffix, what } = MODE_OUTPUTS[mode];
  return [
    {
      name: `rto_${suffix}`,
      description: `Modelled time until the service answers again when ${what} ("not survived" when nothing recovers it); see model/.`,
      kind: "string",
      value: (a) => formatRto(a.modes[mode]),
    },
    {
      name: `rpo_${suffix}`,
      description: `Modelled data loss, in time, when ${what}; see model/.`,
      kind: "string",
      value: (a) => formatRpo(a.modes[mode].rpo),
    },
    {
      name: `recovery_${suffix}`,
      description:
        `Modelled recovery when ${what}, for comparisons: survives (bool), rto_min_seconds/rto_max_seconds (null when not survived), ` +
        `rpo_kind, rpo_seconds (null when unbounded) and rpo_bounded; see model/figures.ts.`,
      kind: "object",
      value: (a) => withTerraformNulls(modeFigures(a.modes[mode])),
    },
  ];
});

/** Names of the readable outputs (strings). */
export const RECOVERY_OUTPUT_NAMES: readonly string[] = RECOVERY_OUTPUTS.filter((o) => o.kind === "string").map((o) => o.name);

/** Names of the machine-readable outputs, by failure mode: `recovery_instance_failure`, `recovery_az_outage`. */
export const RECOVERY_FIGURES_OUTPUT_NAMES: Readonly<Record<FailureMode, string>> = Object.fromEntries(
  FAILURE_MODES.map((mode) => [mode, `recovery_${MODE_OUTPUTS[mode].suffix}`]),
) as Record<FailureMode, string>;

/**
 * Terraform's null as a template of one interpolation, which evaluates to the value itself:
 * cdktf 0.21's HCL renderer (`cdktf synth --hcl`) fails on a literal null inside an object.
 */
export const TERRAFORM_NULL = "${null}";

function withTerraformNulls(figures: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v === null ? TERRAFORM_NULL : v]));
}
