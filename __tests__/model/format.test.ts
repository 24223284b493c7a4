import { formatDuration, formatPercentiles, formatRange, formatRpo, formatRto } from "../../model";
import { estimate } from "../../model/simulate";

describe("formatDuration", () => {
  test.each([
    [45, "45 s"],
    [119, "119 s"],
    [120, "2 min"],
    [420, "7 min"],
    [3600, "1 h"],
    [5400, "1 h 30 min"],
    [86400, "24 h"],
    [3 * 86400, "3 d"],
    [3 * 86400 + 7200, "3 d 2 h"],
  ])("%i s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("formatRange", () => {
  test.each([
    [{ min: 7, max: 12 }, "7-12 s"],
    [{ min: 190, max: 600 }, "3-10 min"],
    [{ min: 130, max: 545 }, "2-10 min"],
    [{ min: 60, max: 60 }, "60 s"],
    [{ min: 3600, max: 9000 }, "1-3 h"],
  ])("%j reads %s (minimum rounded down, maximum up)", (range, text) => {
    expect(formatRange(range)).toBe(text);
  });
});

describe("formatRpo and formatRto", () => {
  const fixedEstimate = estimate([{ mechanism: "m", steps: [{ label: "t", distribution: { kind: "fixed", value: 3600 }, source: "s" }] }]);

  test("each kind of RPO reads with its reason", () => {
    expect(formatRpo({ kind: "zero", reason: "EBS kept" })).toBe("0 (EBS kept)");
    expect(formatRpo({ kind: "bounded", reason: "newest AMI", terms: [], estimate: fixedEstimate })).toBe("up to 1 h (P50 1 h; newest AMI)");
    expect(formatRpo({ kind: "unavailable", reason: "EBS in 2a" })).toBe("0 lost, unavailable until the AZ returns (EBS in 2a)");
    expect(formatRpo({ kind: "growing", reason: "no image", alarmAtSeconds: 7200 })).toBe("growing, alarmed at 2 h (no image)");
    expect(formatRpo({ kind: "growing", reason: "no image" })).toBe("growing, unnoticed (no image)");
    expect(formatRpo({ kind: "everything", reason: "no recovery mechanism" })).toBe("everything (no recovery mechanism)");
    expect(formatRpo({ kind: "stateless", reason: "no data on the servers" })).toBe("none (no data on the servers)");
  });

  test("an RTO reads its percentiles and hull, or the outcome when not healed", () => {
    const rto = { ...fixedEstimate, routes: [] };
    expect(formatPercentiles(rto)).toBe("P50 1 h / P90 1 h / P99 1 h");
    expect(formatRto({ outcome: "healed", rto })).toBe("P50 1 h / P90 1 h / P99 1 h (hull 60 min)");
    expect(formatRto({ outcome: "not-survived" })).toBe("not survived");
    expect(formatRto({ outcome: "alarmed" })).toBe("alarmed");
    expect(formatRto({ outcome: "not-applicable" })).toBe("does not apply");
  });
});
