/**
 * Durations, percentiles and RPOs as people read them in a table or a Terraform output:
 * "45 s", "P50 4 min / P90 6 min / P99 8 min", "up to 26 h", "0 (EBS kept)".
 */
import { Estimate, ModeAssessment, Outcome, Rpo, SecondsRange } from "./types";

type Unit = { readonly seconds: number; readonly symbol: string };

const SECOND: Unit = { seconds: 1, symbol: "s" };
const MINUTE: Unit = { seconds: 60, symbol: "min" };
const HOUR: Unit = { seconds: 3600, symbol: "h" };
const DAY: Unit = { seconds: 86400, symbol: "d" };

/** Seconds below 2 min, minutes below 1 h, hours below 2 d, then days: "90 s", "7 min", "1 h 30 min", "3 d". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 2 * MINUTE.seconds) return `${s} s`;
  if (s < HOUR.seconds) return `${Math.round(s / MINUTE.seconds)} min`;
  const [big, small] = s < 2 * DAY.seconds ? [HOUR, MINUTE] : [DAY, HOUR];
  const whole = Math.floor(s / big.seconds);
  const rest = Math.round((s - whole * big.seconds) / small.seconds);
  return rest === 0 ? `${whole} ${big.symbol}` : `${whole} ${big.symbol} ${rest} ${small.symbol}`;
}

/**
 * A range in one unit chosen by its maximum, the minimum rounded down and the maximum up so
 * the text never promises more than the model: "7-12 s", "3-10 min"; one number when they meet.
 */
export function formatRange(range: SecondsRange): string {
  const unit = range.max < 2 * MINUTE.seconds ? SECOND : range.max < 2 * HOUR.seconds ? MINUTE : HOUR;
  const min = Math.floor(range.min / unit.seconds);
  const max = Math.ceil(range.max / unit.seconds);
  return min === max ? `${max} ${unit.symbol}` : `${min}-${max} ${unit.symbol}`;
}

/** "P50 4 min / P90 6 min / P99 8 min". */
export function formatPercentiles(e: Estimate): string {
  return `P50 ${formatDuration(e.p50)} / P90 ${formatDuration(e.p90)} / P99 ${formatDuration(e.p99)}`;
}

/** "0 (EBS kept)", "up to 26 h (P50 15 h; since the newest AMI ...)", "everything (...)", "none (stateless servers)". */
export function formatRpo(rpo: Rpo): string {
  switch (rpo.kind) {
    case "zero":
      return `0 (${rpo.reason})`;
    case "bounded":
      return `up to ${formatDuration(rpo.estimate.hull.max)} (P50 ${formatDuration(rpo.estimate.p50)}; ${rpo.reason})`;
    case "unavailable":
      return `0 lost, unavailable until the AZ returns (${rpo.reason})`;
    case "growing":
      return `growing${rpo.alarmAtSeconds !== undefined ? `, alarmed at ${formatDuration(rpo.alarmAtSeconds)}` : ", unnoticed"} (${rpo.reason})`;
    case "everything":
      return `everything (${rpo.reason})`;
    case "stateless":
      return `none (${rpo.reason})`;
  }
}

const OUTCOME_TEXT: Readonly<Record<Outcome, string>> = {
  healed: "healed",
  alarmed: "alarmed",
  "not-survived": "not survived",
  "not-applicable": "does not apply",
};

export function formatOutcome(outcome: Outcome): string {
  return OUTCOME_TEXT[outcome];
}

/** The RTO of a failure mode: its percentiles and hull, or the outcome when not healed. */
export function formatRto(mode: Pick<ModeAssessment, "outcome" | "rto">): string {
  return mode.outcome === "healed" && mode.rto ? `${formatPercentiles(mode.rto)} (hull ${formatRange(mode.rto.hull)})` : formatOutcome(mode.outcome);
}
