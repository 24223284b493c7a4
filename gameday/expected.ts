/**
 * What the model expects of one experiment on one stack: the experiment's expectation
 * (`model/experiments.ts`) made concrete with the stack's assessment. A claim of a healed mode
 * gives the percentiles, the hull and the band (`model/claims.ts`); an alarmed mode the alarm's
 * time; a mode not survived (or recovery's terminate) that the endpoint stays down; the
 * `terms` expectation (recovery's reboot) the race of those priors alone.
 */
import { AssumptionLedger } from "../model/assess";
import { resolveAssumptions } from "../model/assumptions";
import { Expectation } from "../model/experiments";
import { MODE_INFO } from "../model/modes";
import { estimate } from "../model/simulate";
import { AssumptionKey, AssumptionOverrides, Estimate, FailureMode, RecoveryAssessment, Rpo } from "../model/types";

export type Expected =
  /** The endpoint comes back by itself; the claim's band is the hull's maximum. */
  | {
      readonly kind: "healed";
      readonly estimate: Estimate;
      readonly bandSeconds: number;
      readonly band: string;
      readonly mechanism: string;
      readonly rpo: Rpo;
      /** The model terms it adds up (assumption keys), for naming the one that was off. */
      readonly source: string;
    }
  /** An alarm tells the topic (within `withinSeconds` when the claim says); nothing recovers the endpoint. */
  | { readonly kind: "alarmed"; readonly withinSeconds?: number; readonly band: string; readonly mechanism: string; readonly rpo: Rpo; readonly source: string }
  /** Nothing recovers the endpoint. */
  | { readonly kind: "down"; readonly band: string; readonly reason: string; readonly rpo?: Rpo; readonly source: string };

/** The claim of `mode` in the stack's assessment. */
function fromMode(assessment: RecoveryAssessment, mode: FailureMode, note?: string): Expected {
  const m = assessment.modes[mode];
  const source = `the claim of ${MODE_INFO[mode].title} (model/claims.ts)${note ? `; ${note}` : ""}`;
  switch (m.outcome) {
    case "healed":
      return { kind: "healed", estimate: m.rto!, bandSeconds: m.claim.withinSeconds!, band: m.claim.band, mechanism: m.mechanism, rpo: m.rpo, source };
    case "alarmed":
      return { kind: "alarmed", withinSeconds: m.claim.withinSeconds, band: m.claim.band, mechanism: m.mechanism, rpo: m.rpo, source };
    case "not-survived":
    case "not-applicable":
      return { kind: "down", band: m.claim.band, reason: m.explanation, rpo: m.rpo, source };
  }
}

/** The race of `terms` alone (in sequence), with the priors of `overrides`. */
function fromTerms(terms: readonly AssumptionKey[], reason: string, overrides?: AssumptionOverrides): Expected {
  const ledger = new AssumptionLedger(resolveAssumptions(overrides));
  const e = estimate([{ mechanism: reason, steps: terms.map((k) => ledger.term(k)) }]);
  const bandSeconds = Math.ceil(e.hull.max);
  return {
    kind: "healed",
    estimate: e,
    bandSeconds,
    band: `last failed probe within ${bandSeconds} s of the injection (the sum of the priors ${terms.join(" + ")})`,
    mechanism: reason,
    rpo: { kind: "zero", reason: "a reboot keeps the disk" },
    source: `the priors ${terms.join(", ")} (model/assumptions.ts)`,
  };
}

export function expectedOf(expectation: Expectation, assessment: RecoveryAssessment, overrides?: AssumptionOverrides): Expected {
  switch (expectation.kind) {
    case "claim":
      return fromMode(assessment, expectation.mode, expectation.note);
    case "not-healed":
      return { kind: "down", band: "the endpoint stays down until an operator acts", reason: expectation.reason, source: "model/experiments.ts" };
    case "terms":
      return fromTerms(expectation.terms, expectation.reason, overrides);
  }
}
