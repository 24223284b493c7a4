import { LAMBDA_RUNTIME, LambdaRuntime, RUNTIME_WARNING_DAYS, runtimeWarning } from "../../lib/lambda-runtime";

/** Node.js 20 as AWS dates it: what the AMI publisher ran on before. */
const NODE_20: LambdaRuntime = {
  id: "nodejs20.x",
  name: "Node.js 20",
  deprecation: "2026-04-30",
  blockCreate: "2026-08-31",
  blockUpdate: "2026-09-30",
  successor: "nodejs22.x",
};

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe("Lambda runtime and its deprecation warning", () => {
  test("the project's runtime could still be created on the day this was last checked against AWS's table (2026-12-01)", () => {
    // A fixed date, not the clock: this test cannot start failing by itself. Node.js 20 fails it.
    const checked = day("2026-12-01");
    expect(Date.parse(LAMBDA_RUNTIME.blockCreate) > checked.getTime()).toBe(true);
    expect(Date.parse(NODE_20.blockCreate) > checked.getTime()).toBe(false);
    expect(runtimeWarning(NODE_20, checked)).toMatch(/nodejs20\.x \(Node\.js 20\): Lambda refuses to create or update functions on it since 2026-09-30/);
  });

  test("the dates are in order: deprecation, then the create block, then the update block", () => {
    const [d, c, u] = [LAMBDA_RUNTIME.deprecation, LAMBDA_RUNTIME.blockCreate, LAMBDA_RUNTIME.blockUpdate].map((s) => Date.parse(s));
    expect(d).toBeLessThanOrEqual(c);
    expect(c).toBeLessThan(u);
  });

  test(`silent until ${RUNTIME_WARNING_DAYS} days before the create block, then names every date and the way out`, () => {
    // Node.js 22: create blocked 2027-06-01, 180 days before is 2026-12-03.
    expect(runtimeWarning(LAMBDA_RUNTIME, day("2026-12-02"))).toBeUndefined();
    const warning = runtimeWarning(LAMBDA_RUNTIME, day("2026-12-03"));
    expect(warning).toBe(
      "Lambda runtime nodejs22.x (Node.js 22): it is deprecated (no more patches) from 2027-04-30 (in 148 days), " +
        "Lambda refuses to create functions on it from 2027-06-01 (in 180 days), to update them from 2027-07-01 (in 210 days). " +
        "Move to nodejs24.x (deprecated 2028-04-30), which needs hashicorp/aws >= 6.19.0 instead of the pinned 5.100.0 (lib/lambda-runtime.ts).",
    );
  });

  test("louder once creating is blocked, and once updating is; a warning still, never an error", () => {
    expect(runtimeWarning(LAMBDA_RUNTIME, day("2027-06-01"))).toMatch(
      /refuses to create functions on it since 2027-06-01 and to update them from 2027-07-01 \(in 30 days\): a new deployment fails now/,
    );
    expect(runtimeWarning(LAMBDA_RUNTIME, day("2027-07-01"))).toMatch(
      /refuses to create or update functions on it since 2027-07-01: the next apply that touches the function fails/,
    );
  });

  test("a deprecated runtime warns even with a create block further away than the window", () => {
    const lateBlock = { ...LAMBDA_RUNTIME, deprecation: "2027-01-01", blockCreate: "2028-01-01", blockUpdate: "2028-02-01" };
    expect(runtimeWarning(lateBlock, day("2026-12-31"))).toBeUndefined();
    expect(runtimeWarning(lateBlock, day("2027-01-01"))).toMatch(/deprecated \(no more patches\) since 2027-01-01/);
  });

  test("the window is a parameter", () => {
    // 2027-03-01 is 92 days before the create block, and before the deprecation.
    expect(runtimeWarning(LAMBDA_RUNTIME, day("2027-03-01"), 91)).toBeUndefined();
    expect(runtimeWarning(LAMBDA_RUNTIME, day("2027-03-01"), 92)).toMatch(/create functions on it from 2027-06-01 \(in 92 days\)/);
  });
});
