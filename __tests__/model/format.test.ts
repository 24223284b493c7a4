import { formatDuration, formatRange, formatRpo, formatRto } from "../../model";

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
  test("each kind of RPO reads with its reason", () => {
    expect(formatRpo({ kind: "zero", reason: "EBS kept" })).toBe("0 (EBS kept)");
    expect(formatRpo({ kind: "interval", seconds: 3600, reason: "newest AMI" })).toBe("1 h (newest AMI)");
    expect(formatRpo({ kind: "everything", reason: "no recovery mechanism" })).toBe("everything (no recovery mechanism)");
    expect(formatRpo({ kind: "stateless", reason: "no data on the servers" })).toBe("none (no data on the servers)");
  });

  test("an RTO is a range, or 'not survived'", () => {
    const rpo = { kind: "everything", reason: "x" } as const;
    expect(formatRto({ survives: true, rto: { min: 7, max: 12, terms: [] }, rpo, explanation: "" })).toBe("7-12 s");
    expect(formatRto({ survives: false, rpo, explanation: "" })).toBe("not survived");
  });
});
