/**
 * Adds the recovery model's outputs (model/outputs.ts) to a stack, their values computed at
 * synth from the stack's own synthesized JSON: change an alarm, a health check or the AMI
 * interval and the outputs follow. The model reads JSON only; this is where a stack hands it
 * its own.
 */
import { Lazy } from "cdktf";
import { assessTerraformJson } from "../model";
import { RECOVERY_OUTPUTS, RecoveryOutput } from "../model/outputs";
import { RecoveryAssessment } from "../model/types";
import { ReferenceStack } from "./reference-stack";

/** Call it last in the stack's constructor; resources added later are still seen, since the values are computed at synth. */
export function addRecoveryOutputs(stack: ReferenceStack): void {
  const model = new SelfAssessment(stack);
  for (const output of RECOVERY_OUTPUTS) {
    const value =
      output.kind === "string"
        ? Lazy.stringValue({ produce: () => model.value(output) as string | undefined })
        : Lazy.anyValue({ produce: () => model.value(output) });
    stack.output(output.name, value, output.description);
  }
}

/**
 * Assesses a stack from its own `toTerraform()`, which resolves these very outputs again.
 * The assessment is kept for the rest of the synchronous synth that asked for it (all the
 * outputs share one), and dropped at the next microtask so a later synth sees later changes.
 */
class SelfAssessment {
  private assessing = false;
  private cached: RecoveryAssessment | undefined;

  constructor(private readonly stack: ReferenceStack) {}

  value(output: RecoveryOutput): unknown {
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
    return output.value(this.cached);
  }
}
