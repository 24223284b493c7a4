/**
 * The recovery model: the notes' RTO/RPO comparison computed from what a stack emits.
 * Give it a synthesized `cdk.tf.json` or a `terraform show -json` plan; it finds the recovery
 * mechanisms and assesses each failure mode. See `types.ts` for the vocabulary.
 */
import { assessGraph } from "./assess";
import { ResourceGraph } from "../lib/resource-graph";
import { AssumptionOverrides, RecoveryAssessment, RecoveryModelApi } from "./types";
import { formatDuration, formatRange, formatRpo, formatRto } from "./format";

export * from "./types";
export { DEFAULT_ASSUMPTIONS, resolveAssumptions } from "./assumptions";
export { formatDuration, formatRange, formatRpo, formatRto };
export { type ModeFigures, modeFigures } from "./figures";

/** Assesses a synthesized `cdk.tf.json` (`{ resource: { type: { name: {...} } } }`). */
export function assessTerraformJson(stack: string, tf: object, assumptions?: AssumptionOverrides): RecoveryAssessment {
  return assessGraph(stack, ResourceGraph.fromTerraformJson(tf), assumptions);
}

/** Assesses the JSON of `terraform show -json <planfile>`. */
export function assessPlanJson(stack: string, plan: object, assumptions?: AssumptionOverrides): RecoveryAssessment {
  return assessGraph(stack, ResourceGraph.fromPlanJson(plan), assumptions);
}

// Compile-time proof that this module implements the API `types.ts` promises.
({ assessTerraformJson, assessPlanJson, formatDuration, formatRange, formatRpo }) satisfies RecoveryModelApi;
