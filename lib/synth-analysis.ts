/**
 * The one analysis hook at synth: every stack the atomic synth writes goes through
 * {@link analyzeStack} on its Terraform JSON (`toTerraform()`, what `cdk.tf.json` holds) once all
 * stacks are built and before anything is written. The analysis is pure functions of that JSON
 * (model/, policy/: no import of modules/ or constructs/); this is where a stack hands it its own
 * and takes back:
 *
 * - the recovery model's outputs (model/outputs.ts), added to the stack with values computed from
 *   its resources, so they cannot drift from them: change an alarm, a health check or the AMI
 *   interval and the outputs follow;
 * - the security checks (policy/synth-check.ts): an error no construct suppressed cancels the
 *   synth (so `cdktf synth`, `diff` and `deploy` cannot bypass it), warnings and verdicts known
 *   only at apply are notes for stderr.
 *
 * The review runs the same analysis again on the planned JSON (review/).
 */
import { TerraformOutput, TerraformStack } from "cdktf";
import { assessTerraformJson } from "../model";
import { RECOVERY_OUTPUTS } from "../model/outputs";
import { checkConfiguration } from "../policy/synth-check";
import { Problem } from "./validation";

/** What the security checks said of a stack. */
export interface StackAnalysis {
  /** One per open error: key `<stack>: <address>`, value the rule id, fix the finding. */
  readonly problems: readonly Problem[];
  /** Lines for stderr: open warnings and unknown verdicts. */
  readonly notes: readonly string[];
}

const analyzed = new WeakSet<TerraformStack>();

/** Runs the analysis on `stack`, adding the model's outputs to it; once per stack, after its last resource. */
export function analyzeStack(stack: TerraformStack): StackAnalysis {
  if (analyzed.has(stack)) throw new Error(`${stack.node.path}: analyzed twice; its recovery outputs are already added`);
  analyzed.add(stack);
  const id = stack.node.id;
  const tf = stack.toTerraform();
  const assessment = assessTerraformJson(id, tf);
  for (const output of RECOVERY_OUTPUTS) {
    new TerraformOutput(stack, output.name, { value: output.value(assessment), description: output.description }).overrideLogicalId(output.name);
  }
  const { problems, notes } = checkConfiguration(id, tf);
  return { problems, notes };
}
