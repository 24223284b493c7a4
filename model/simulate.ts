/**
 * The Monte Carlo behind every percentile the model gives. A failure mode is healed by the
 * first of several independent routes to finish (a race: a recover alarm or simplified
 * automatic recovery, the load balancer's check or the group's own); a route is a sequence of
 * terms, some of which run side by side (the Elastic IP takeover while the instance boots).
 * Each draw samples every term from its prior, and the draws are summarised as P50, P90 and
 * P99, the hull (the exact smallest and largest outcome) and the dominant term: the one that
 * contributes the most time to the winning route on average.
 *
 * The draws are deterministic: xoroshiro128+ (the `pure-rand` package) started from the same
 * state for every estimate, so the same stack always gives the same figures.
 */
import { unsafeUniformIntDistribution, xoroshiro128plus } from "pure-rand";
import { Distribution, quantile, support } from "./distributions";
import { SecondsRange } from "./types";

/** Whose API a term needs: `control` terms fail when the control plane is impaired (REL11-BP04). */
export type Plane = "data" | "control";

/** One addend of a recovery: a detection derived from the stack, or an action time from the assumptions. */
export interface Term {
  /** What happens during this time, for humans ("recover alarm: 2 x 60 s periods"). */
  readonly label: string;
  readonly distribution: Distribution;
  /** Where the prior comes from: the Terraform attributes it is computed from, or an assumption's source. */
  readonly source: string;
  /** @default "data" */
  readonly plane?: Plane;
}

/** Steps that run side by side; the step ends when the slowest branch ends. */
export interface Together {
  readonly together: readonly (readonly Step[])[];
}

export type Step = Term | Together;

/** One way a failure gets healed: the mechanism and the steps it takes. */
export interface Route {
  /** The healing mechanism, for humans ("recover alarm -> EC2 recovery"). */
  readonly mechanism: string;
  readonly steps: readonly Step[];
}

/** A summary of the outcomes of a race between routes. */
export interface Estimate {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly mean: number;
  /** The exact smallest and largest outcome: the sum of the terms' bounds along the race. */
  readonly hull: SecondsRange;
  /** The term with the largest mean contribution to the winning route, and that contribution's share of the mean. */
  readonly dominant: { readonly label: string; readonly share: number };
  /** How often each route wins, by mechanism, most frequent first. */
  readonly winners: readonly { readonly mechanism: string; readonly share: number }[];
}

/** Draws per estimate: the P99 of 4000 draws moves by well under a check interval between starting states. */
export const DRAWS = 4000;

/** The fixed starting state of the generator (any constant will do; this one is the date the model was written). */
const GENERATOR_START = 20261202;

const isTogether = (s: Step): s is Together => "together" in s;

/** The terms of a route, in order, branches flattened. */
export function termsOf(steps: readonly Step[]): Term[] {
  return steps.flatMap((s) => (isTogether(s) ? s.together.flatMap(termsOf) : [s]));
}

/** Whether a route needs no control-plane call. */
export function isDataPlane(route: Route): boolean {
  return termsOf(route.steps).every((t) => (t.plane ?? "data") === "data");
}

function stepsHull(steps: readonly Step[]): SecondsRange {
  return steps.reduce(
    (sum, s) => {
      const r = isTogether(s)
        ? s.together.map(stepsHull).reduce((a, b) => ({ min: Math.max(a.min, b.min), max: Math.max(a.max, b.max) }))
        : support(s.distribution);
      return { min: sum.min + r.min, max: sum.max + r.max };
    },
    { min: 0, max: 0 },
  );
}

/** The hull of a race: it ends with its first route, so at least the smallest minimum and at most the smallest maximum. */
export function raceHull(routes: readonly Route[]): SecondsRange {
  const hulls = routes.map((r) => stepsHull(r.steps));
  return { min: Math.min(...hulls.map((h) => h.min)), max: Math.min(...hulls.map((h) => h.max)) };
}

type Draw = () => number;

/** A route prepared for sampling: each distinct term has an index into per-draw value arrays. */
interface Compiled {
  readonly route: Route;
  readonly index: ReadonlyMap<Term, number>;
  readonly values: Float64Array;
  /** Per `together` step, the value indices of each branch's terms. */
  readonly branches: ReadonlyMap<Together, readonly number[][]>;
}

function compile(route: Route): Compiled {
  const index = new Map<Term, number>();
  for (const t of termsOf(route.steps)) if (!index.has(t)) index.set(t, index.size);
  const branches = new Map<Together, number[][]>();
  const visit = (steps: readonly Step[]): void => {
    for (const s of steps) {
      if (!isTogether(s)) continue;
      branches.set(
        s,
        s.together.map((b) => termsOf(b).map((t) => index.get(t)!)),
      );
      s.together.forEach(visit);
    }
  };
  visit(route.steps);
  return { route, index, values: new Float64Array(index.size), branches };
}

/** Samples steps into `c.values`; of a `together`, only the slowest branch keeps its values. */
function sampleSteps(steps: readonly Step[], draw: Draw, c: Compiled): number {
  let total = 0;
  for (const step of steps) {
    if (isTogether(step)) {
      let slowest = -1;
      let slowestBranch = 0;
      for (let b = 0; b < step.together.length; b++) {
        const t = sampleSteps(step.together[b], draw, c);
        if (t > slowest) {
          slowest = t;
          slowestBranch = b;
        }
      }
      const indices = c.branches.get(step)!;
      for (let b = 0; b < indices.length; b++) if (b !== slowestBranch) for (const k of indices[b]) c.values[k] = 0;
      total += slowest;
    } else {
      const v = quantile(step.distribution, draw());
      c.values[c.index.get(step)!] = v;
      total += v;
    }
  }
  return total;
}

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];

/** Races `routes` {@link DRAWS} times. */
export function estimate(routes: readonly Route[], draws: number = DRAWS): Estimate {
  if (routes.length === 0) throw new Error("estimate: a race needs at least one route");
  const rng = xoroshiro128plus(GENERATOR_START);
  // An integer below 2^32 - 1 over 2^32 - 1: u in [0, 1). (The unsafe form advances rng in place.)
  const draw: Draw = () => unsafeUniformIntDistribution(0, 0xfffffffe, rng) / 0xffffffff;
  const totals = new Float64Array(draws);
  const compiled = routes.map(compile);
  const contributions = compiled.map((c) => new Float64Array(c.values.length));
  const wins = new Float64Array(routes.length);
  for (let i = 0; i < draws; i++) {
    let best = Number.POSITIVE_INFINITY;
    let winner = 0;
    for (let r = 0; r < compiled.length; r++) {
      const c = compiled[r];
      c.values.fill(0);
      const t = sampleSteps(c.route.steps, draw, c);
      if (t < best) {
        best = t;
        winner = r;
      }
    }
    totals[i] = best;
    const values = compiled[winner].values;
    for (let k = 0; k < values.length; k++) contributions[winner][k] += values[k];
    wins[winner] += 1;
  }
  const contribution = new Map<string, number>();
  compiled.forEach((c, r) => {
    for (const [term, k] of c.index) contribution.set(term.label, (contribution.get(term.label) ?? 0) + contributions[r][k]);
  });
  const sum = totals.reduce((a, b) => a + b, 0);
  totals.sort();
  const [label, most] = [...contribution.entries()].reduce((a, b) => (b[1] > a[1] ? b : a), ["", -1]);
  return {
    p50: percentile(totals, 0.5),
    p90: percentile(totals, 0.9),
    p99: percentile(totals, 0.99),
    mean: sum / draws,
    hull: raceHull(routes),
    dominant: { label, share: sum > 0 ? most / sum : 0 },
    winners: routes.map((r, i) => ({ mechanism: r.mechanism, share: wins[i] / draws })).sort((a, b) => b.share - a.share),
  };
}
