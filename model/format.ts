/**
 * Durations, RTO ranges and RPOs as people read them in a table or a Terraform output:
 * "45 s", "3-10 min", "24 h", "0 (EBS kept)".
 */
import { ModeAssessment, Rpo, SecondsRange } from "./types";

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

/** "0 (EBS kept)", "24 h (newest pipeline AMI)", "everything (...)", "none (stateless servers)". */
export function formatRpo(rpo: Rpo): string {
  switch (rpo.kind) {
    case "zero":
      return `0 (${rpo.reason})`;
    case "interval":
      return `${formatDuration(rpo.seconds)} (${rpo.reason})`;
    case "everything":
      return `everything (${rpo.reason})`;
    case "stateless":
      return `none (${rpo.reason})`;
  }
}

/** The RTO of a failure mode: its range, or "not survived". */
export function formatRto(mode: ModeAssessment): string {
  return mode.survives && mode.rto ? formatRange(mode.rto) : "not survived";
}
