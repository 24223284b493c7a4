/**
 * The model gives the same answer from a real `terraform show -json` plan as from the
 * synthesized JSON it was planned from: links come from the plan's expression references,
 * values from its planned values. One offline plan of every stack (about 10 s each).
 */
import { STACK_NAMES } from "../../config/schema";
import { assessPlanJson, assessTerraformJson } from "../../model";
import { OfflinePlan, defaultOfflinePlans } from "../helpers";

let plans: Record<string, OfflinePlan>;

beforeAll(async () => {
  plans = await defaultOfflinePlans();
}, 300_000);

test.each([...STACK_NAMES])("stack %s: the plan JSON and the synthesized JSON give the same assessment", (name) => {
  const { plan, cdkTfJson } = plans[name];

  const fromPlan = assessPlanJson(name, plan);
  const fromSynth = assessTerraformJson(name, cdkTfJson);

  expect(fromPlan).toEqual(fromSynth);
  expect(fromPlan.mechanisms.length).toBeGreaterThan(0);
});
