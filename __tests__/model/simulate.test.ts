import { quantile, skewed, support, uniform } from "../../model/distributions";
import { Term, estimate, raceHull } from "../../model/simulate";

const term = (label: string, min: number, max: number, kind: "uniform" | "skewed" = "uniform"): Term => ({
  label,
  distribution: kind === "uniform" ? uniform(min, max) : skewed(min, max),
  source: "test",
});

describe("priors", () => {
  test("the skewed prior is triangular with its mode a third of the way up, inside its bounds", () => {
    const d = skewed(60, 180);
    expect(d).toEqual({ kind: "triangular", min: 60, mode: 100, max: 180 });
    expect(quantile(d, 0)).toBe(60);
    expect(quantile(d, 0.999999)).toBeCloseTo(180, 0);
    // A third of the mass lies below the mode: (mode - min) / (max - min).
    expect(quantile(d, 1 / 3)).toBeCloseTo(100, 6);
    expect(support(d)).toEqual({ min: 60, max: 180 });
  });
});

describe("estimate", () => {
  test("a sum of uniform terms: percentiles near the analytic ones, the hull exact", () => {
    const e = estimate([{ mechanism: "a", steps: [term("x", 0, 100), term("y", 0, 100)] }]);
    expect(e.hull).toEqual({ min: 0, max: 200 });
    // The sum of two U(0, 100) has median 100 and P90 155.3.
    expect(e.p50).toBeGreaterThan(95);
    expect(e.p50).toBeLessThan(105);
    expect(e.p90).toBeGreaterThan(150);
    expect(e.p90).toBeLessThan(160);
  });

  test("a race ends with its first route; the dominant term is the one on the usually winning route", () => {
    const slow = { mechanism: "slow", steps: [term("slow wait", 100, 200)] };
    const fast = { mechanism: "fast", steps: [term("fast wait", 10, 20)] };
    const e = estimate([slow, fast]);
    expect(e.hull).toEqual({ min: 10, max: 20 });
    expect(raceHull([slow, fast])).toEqual({ min: 10, max: 20 });
    expect(e.winners[0]).toEqual({ mechanism: "fast", share: 1 });
    expect(e.dominant.label).toBe("fast wait");
  });

  test("side by side, the slower branch counts", () => {
    const e = estimate([{ mechanism: "m", steps: [term("launch", 10, 10), { together: [[term("boot", 20, 30)], [term("takeover", 1, 2)]] }] }]);
    expect(e.hull).toEqual({ min: 30, max: 40 });
    expect(e.dominant.label).toBe("boot");
  });
});
