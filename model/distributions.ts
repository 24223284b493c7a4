/**
 * The priors of the recovery model: how each term's duration is distributed, and how to draw
 * from it. Check phases (a failure falls anywhere inside a check cycle) are uniform; action
 * times, known only as a stated low and high, are triangular, skewed towards the low end;
 * times measured in a game day replace a prior by their own samples.
 */
import { SecondsRange } from "./types";

export type Distribution =
  /** Always this many seconds. */
  | { readonly kind: "fixed"; readonly value: number }
  /** Any value between `min` and `max` equally likely: where a failure falls in a check cycle. */
  | { readonly kind: "uniform"; readonly min: number; readonly max: number }
  /** Rising linearly from `min` to the most likely `mode`, falling to `max`. */
  | { readonly kind: "triangular"; readonly min: number; readonly mode: number; readonly max: number }
  /** Measured times, each equally likely (resampled). */
  | { readonly kind: "empirical"; readonly samples: readonly number[] };

/**
 * Where the most likely value of an action time lies between its stated low and high when the
 * source names none: a third of the way up. AWS's operations mostly complete near their fast
 * end, and the high end stands for the slow tail (a busy host, a slow package mirror), so the
 * prior is right-skewed; its mean is (2 low + high) / 3 + (high - low) / 9.
 */
export const DEFAULT_MODE_FRACTION = 1 / 3;

export const fixed = (value: number): Distribution => ({ kind: "fixed", value });
export const uniform = (min: number, max: number): Distribution => (min === max ? fixed(min) : { kind: "uniform", min, max });

/** The skewed prior fitted to a stated low and high (and, optionally, the most likely value). */
export function skewed(low: number, high: number, typical?: number): Distribution {
  if (low === high) return fixed(low);
  return { kind: "triangular", min: low, mode: typical ?? low + (high - low) * DEFAULT_MODE_FRACTION, max: high };
}

/** The smallest and largest value a distribution can give. */
export function support(d: Distribution): SecondsRange {
  switch (d.kind) {
    case "fixed":
      return { min: d.value, max: d.value };
    case "uniform":
    case "triangular":
      return { min: d.min, max: d.max };
    case "empirical":
      return { min: Math.min(...d.samples), max: Math.max(...d.samples) };
  }
}

/** A value of `d` for a uniform draw `u` in [0, 1): the inverse of its distribution function. */
export function quantile(d: Distribution, u: number): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "uniform":
      return d.min + u * (d.max - d.min);
    case "triangular": {
      const { min: a, mode: c, max: b } = d;
      const split = (c - a) / (b - a);
      return u < split ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
    }
    case "empirical":
      return d.samples[Math.min(d.samples.length - 1, Math.floor(u * d.samples.length))];
  }
}

/** "uniform 60-120 s", "triangular 60-180 s (most likely 100 s)", "measured (12 samples)". */
export function describe(d: Distribution): string {
  switch (d.kind) {
    case "fixed":
      return `fixed ${d.value} s`;
    case "uniform":
      return `uniform ${d.min}-${d.max} s`;
    case "triangular":
      return `triangular ${d.min}-${d.max} s, most likely ${Math.round(d.mode)} s`;
    case "empirical":
      return `measured, ${d.samples.length} sample(s) ${Math.min(...d.samples)}-${Math.max(...d.samples)} s`;
  }
}
