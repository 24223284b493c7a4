/**
 * The model's conclusion for a failure mode as numbers and booleans, for a CI gate to compare
 * (the Terraform output `recovery`, one object per mode), beside the readable text of `format.ts`.
 */
import { ModeAssessment, Outcome, RpoKind } from "./types";

export interface ModeFigures {
  /** `healed`, `alarmed`, `not-survived` or `not-applicable`. */
  readonly outcome: Outcome;
  /** Whether the service comes back without an operator. */
  readonly survives: boolean;
  /** The healing mechanism, or what tells the operator. */
  readonly mechanism: string;
  /** Percentiles of the modelled RTO in whole seconds (rounded up); null when not healed. */
  readonly rto_p50_seconds: number | null;
  readonly rto_p90_seconds: number | null;
  readonly rto_p99_seconds: number | null;
  /** The hull: shortest (rounded down) and longest (rounded up) modelled RTO; null when not healed. */
  readonly rto_min_seconds: number | null;
  readonly rto_max_seconds: number | null;
  /** The term contributing the most time; null when not healed. */
  readonly dominant_term: string | null;
  readonly rpo_kind: RpoKind;
  /**
   * Longest modelled data loss in seconds: 0 for `zero`, `stateless` and `unavailable` (nothing
   * lost, but out of reach), the bound for `bounded`; null for `everything` and `growing`,
   * which have none. A gate must treat null as failing.
   */
  readonly rpo_seconds: number | null;
  readonly rpo_bounded: boolean;
}

export function modeFigures(mode: ModeAssessment): ModeFigures {
  const rto = mode.outcome === "healed" ? mode.rto : undefined;
  const rpo = mode.rpo;
  const rpoSeconds = rpo.kind === "bounded" ? Math.ceil(rpo.estimate.hull.max) : rpo.kind === "everything" || rpo.kind === "growing" ? null : 0;
  const up = (v: number | undefined) => (v === undefined ? null : Math.ceil(v));
  return {
    outcome: mode.outcome,
    survives: mode.survives,
    mechanism: mode.mechanism,
    rto_p50_seconds: up(rto?.p50),
    rto_p90_seconds: up(rto?.p90),
    rto_p99_seconds: up(rto?.p99),
    rto_min_seconds: rto ? Math.floor(rto.hull.min) : null,
    rto_max_seconds: up(rto?.hull.max),
    dominant_term: rto?.dominant.label ?? null,
    rpo_kind: rpo.kind,
    rpo_seconds: rpoSeconds,
    rpo_bounded: rpoSeconds !== null,
  };
}
