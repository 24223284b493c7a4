/**
 * The model's conclusion for a failure mode as numbers and booleans, for a CI gate to compare
 * (the Terraform outputs `recovery_<mode>`), beside the readable text of `format.ts`.
 */
import { ModeAssessment, RpoKind } from "./types";

export interface ModeFigures {
  /** Whether the service comes back without an operator. */
  readonly survives: boolean;
  /** Shortest modelled RTO in whole seconds (rounded down); null when not survived. */
  readonly rto_min_seconds: number | null;
  /** Longest modelled RTO in whole seconds (rounded up, never promising more); null when not survived. */
  readonly rto_max_seconds: number | null;
  /** `zero`, `interval`, `everything` or `stateless`. */
  readonly rpo_kind: RpoKind;
  /**
   * Longest modelled data loss in seconds: 0 for `zero` and `stateless`, the interval for
   * `interval`; null for `everything`, which has no bound. A gate must treat null as failing.
   */
  readonly rpo_seconds: number | null;
  /** Whether the data loss has a bound (`rpo_seconds` is a number). */
  readonly rpo_bounded: boolean;
}

export function modeFigures(mode: ModeAssessment): ModeFigures {
  const rto = mode.survives && mode.rto ? mode.rto : undefined;
  const rpo = mode.rpo;
  const rpoSeconds = rpo.kind === "interval" ? Math.ceil(rpo.seconds) : rpo.kind === "everything" ? null : 0;
  return {
    survives: mode.survives,
    rto_min_seconds: rto ? Math.floor(rto.min) : null,
    rto_max_seconds: rto ? Math.ceil(rto.max) : null,
    rpo_kind: rpo.kind,
    rpo_seconds: rpoSeconds,
    rpo_bounded: rpoSeconds !== null,
  };
}
