/**
 * The test run's plan set (__tests__/plan-set.ts): what the test files ask for is found in it by
 * value, so their plans come from the set's Terraform runs; what it does not hold is not.
 */
import { resolveConfig } from "../config/load";
import { STACK_NAMES } from "../config/schema";
import { planSetEntryFor } from "./helpers";
import { PLAN_SET, RECOVERY_EXISTING_ZONE, WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET, exampleConfig } from "./plan-set";
import { CASES } from "./review/relaxation-cases";

const entryName = (names: Parameters<typeof planSetEntryFor>[0], overrides: Record<string, unknown>) => planSetEntryFor(names, resolveConfig(overrides))?.name;

describe("the plan set", () => {
  test("names each configuration once, with stacks", () => {
    expect(new Set(PLAN_SET.map((e) => e.name)).size).toBe(PLAN_SET.length);
    for (const e of PLAN_SET) expect([e.name, e.stacks.length > 0]).toEqual([e.name, true]);
  });

  test("holds what the test files plan: the defaults (and multiaz-efs-warm-pool), experiments, the relaxation cases, the examples, the two overrides", () => {
    expect(entryName([...STACK_NAMES], {})).toBe("defaults");
    expect(entryName(["multiaz-efs-warm-pool"], {})).toBe("defaults");
    // modules/experiments.test.ts writes its overrides itself: equal by value is enough.
    expect(entryName([...STACK_NAMES], { experiments: { enabled: true } })).toBe("experiments");
    for (const c of CASES) expect(entryName(c.stacks, c.overrides)).toBe(`relaxations/${c.name}`);
    for (const file of ["production.jsonc", "cost-saving.jsonc"]) {
      const config = exampleConfig(file);
      expect(planSetEntryFor(config.stacks, config)?.name).toBe(`examples/${file}`);
    }
    expect(entryName(["web"], WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET)).toBe("web/https-step-given-nat-log-bucket");
    expect(entryName(["recovery"], RECOVERY_EXISTING_ZONE)).toBe("recovery/existing-zone");
  });

  test("does not hold another configuration, nor a stack its configuration does not plan", () => {
    expect(entryName(["web"], { network: { isolatedSubnets: true } })).toBeUndefined();
    expect(entryName(["web"], { notifications: { emails: ["ops@example.com"] } })).toBeUndefined();
    expect(entryName(["web-step-scaling"], {})).toBeUndefined();
    expect(entryName(["multiaz", "web"], WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET)).toBeUndefined();
  });
});
