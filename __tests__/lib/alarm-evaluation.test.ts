import { maxEvaluationRangeSeconds } from "../../lib/alarm-evaluation";

describe("maxEvaluationRangeSeconds", () => {
  test.each([
    [60, 86_400],
    [3540, 86_400],
    [3600, 604_800],
    [86_400, 604_800],
  ])("a period of %p s allows %p s of evaluation (a day under an hour's period, else a week)", (period, max) => {
    expect(maxEvaluationRangeSeconds(period)).toBe(max);
  });
});
