/**
 * The modelled RTO and RPO of a stack as Terraform outputs. Their values are computed at synth
 * time from the stack's own synthesized JSON, so they cannot drift from the resources: change
 * an alarm, a health check or the AMI interval and the outputs follow. Each failure mode gets
 * readable strings (`rto_<mode>`, `rpo_<mode>`) and an object of numbers and booleans for a CI
 * gate (`recovery_<mode>`, see `figures.ts`).
 */
import { Lazy } from "cdktf";
import { ReferenceStack } from "../modules/reference-stack";
import { modeFigures } from "./figures";
import { formatRpo, formatRto } from "./format";
import { assessTerraformJson } from "./index";
import { FAILURE_MODES, FailureMode, RecoveryAssessment } from "./types";

/** Output name suffix and description wording per failure mode. */
const MODE_OUTPUTS: Readonly<Record<FailureMode, { suffix: string; what: string }>> = {
  instance: { suffix: "instance_failure", what: "an instance (or its host) fails" },
  az: { suffix: "az_outage", what: "its Availability Zone fails" },
};

/** Names of the readable outputs `addRecoveryOutputs` adds (strings). */
export const RECOVERY_OUTPUT_NAMES: readonly string[] = FAILURE_MODES.flatMap((mode) => [
  `rto_${MODE_OUTPUTS[mode].suffix}`,
  `rpo_${MODE_OUTPUTS[mode].suffix}`,
]);

/** Names of the machine-readable outputs, by failure mode: `recovery_instance_failure`, `recovery_az_outage`. */
export const RECOVERY_FIGURES_OUTPUT_NAMES: Readonly<Record<FailureMode, string>> = Object.fromEntries(
  FAILURE_MODES.map((mode) => [mode, `recovery_${MODE_OUTPUTS[mode].suffix}`]),
) as Record<FailureMode, string>;

/**
 * Adds, for each failure mode, `rto_<mode>` and `rpo_<mode>` ("3-10 min", "0 (EBS kept)",
 * "not survived") and `recovery_<mode>` ({ survives, rto_min_seconds, rto_max_seconds,
 * rpo_kind, rpo_seconds, rpo_bounded }). Call it last in the stack's constructor; resources
 * added later are still seen, since the values are computed at synth.
 */
export function addRecoveryOutputs(stack: ReferenceStack): void {
  const model = new SelfAssessment(stack);
  for (const mode of FAILURE_MODES) {
    const { suffix, what } = MODE_OUTPUTS[mode];
    stack.output(
      `rto_${suffix}`,
      Lazy.stringValue({ produce: () => model.format(mode, formatRto) }),
      `Modelled time until the service answers again when ${what} ("not survived" when nothing recovers it); see model/.`,
    );
    stack.output(
      `rpo_${suffix}`,
      Lazy.stringValue({ produce: () => model.format(mode, (m) => formatRpo(m.rpo)) }),
      `Modelled data loss, in time, when ${what}; see model/.`,
    );
    stack.output(
      RECOVERY_FIGURES_OUTPUT_NAMES[mode],
      Lazy.anyValue({ produce: () => model.format(mode, (m) => withTerraformNulls(modeFigures(m))) }),
      `Modelled recovery when ${what}, for comparisons: survives (bool), rto_min_seconds/rto_max_seconds (null when not survived), ` +
        `rpo_kind, rpo_seconds (null when unbounded) and rpo_bounded; see model/figures.ts.`,
    );
  }
}

/**
 * Terraform's null as a template of one interpolation, which evaluates to the value itself:
 * cdktf 0.21's HCL renderer (`cdktf synth --hcl`) fails on a literal null inside an object.
 */
export const TERRAFORM_NULL = "${null}";

function withTerraformNulls(figures: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v === null ? TERRAFORM_NULL : v]));
}

/**
 * Assesses a stack from its own `toTerraform()`, which resolves these very outputs again.
 * The assessment is kept for the rest of the synchronous synth that asked for it (all four
 * outputs share one), and dropped at the next microtask so a later synth sees later changes.
 */
class SelfAssessment {
  private assessing = false;
  private cached: RecoveryAssessment | undefined;

  constructor(private readonly stack: ReferenceStack) {}

  format<T>(mode: FailureMode, text: (m: RecoveryAssessment["modes"][FailureMode]) => T): T | undefined {
    // The nested toTerraform() resolves the outputs too; they stay empty there, and the model
    // reads no outputs.
    if (this.assessing) return undefined;
    if (!this.cached) {
      this.assessing = true;
      try {
        this.cached = assessTerraformJson(this.stack.stackName, this.stack.toTerraform());
      } finally {
        this.assessing = false;
      }
      queueMicrotask(() => (this.cached = undefined));
    }
    return text(this.cached.modes[mode]);
  }
}
