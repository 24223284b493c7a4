/**
 * The recovery model: what a stack does about each failure mode, computed from what it emits.
 * Give it a synthesized `cdk.tf.json` or a `terraform show -json` plan; it finds the recovery
 * mechanisms and assesses each mode. See `types.ts` for the vocabulary.
 */
import { assessGraph } from "./assess";
import { ResourceGraph } from "../lib/resource-graph";
import { AssumptionOverrides, RecoveryAssessment } from "./types";

export * from "./types";
export { DEFAULT_ASSUMPTIONS, resolveAssumptions } from "./assumptions";
export { formatDuration, formatOutcome, formatPercentiles, formatRange, formatRpo, formatRto } from "./format";
export { type ModeFigures, modeFigures } from "./figures";
export { MODE_INFO } from "./modes";
export { mergeMeasurements, parseMeasurements } from "./measurements";

/** Assesses a synthesized `cdk.tf.json` (`{ resource: { type: { name: {...} } } }`). */
export function assessTerraformJson(stack: string, tf: object, assumptions?: AssumptionOverrides): RecoveryAssessment {
  return assessGraph(stack, ResourceGraph.fromTerraformJson(tf), assumptions);
}

/** Assesses the JSON of `terraform show -json <planfile>`. */
export function assessPlanJson(stack: string, plan: object, assumptions?: AssumptionOverrides): RecoveryAssessment {
  return assessGraph(stack, ResourceGraph.fromPlanJson(plan), assumptions);
}
