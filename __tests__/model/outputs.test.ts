/**
 * Each stack's RTO/RPO outputs are the model applied to that stack's own synthesized JSON, and
 * follow its configuration.
 */
import { StackName } from "../../config/schema";
import { assessTerraformJson, formatRpo, formatRto } from "../../model";
import { RECOVERY_OUTPUT_NAMES } from "../../model/outputs";
import { Overrides, synthStack } from "../helpers";

function outputsAndModel(name: StackName, overrides: Overrides = {}) {
  const { tf } = synthStack(name, overrides);
  const outputs = Object.fromEntries(RECOVERY_OUTPUT_NAMES.map((n) => [n, tf.output?.[n]?.value]));
  const { modes } = assessTerraformJson(name, tf);
  const model = {
    rto_instance_failure: formatRto(modes.instance),
    rpo_instance_failure: formatRpo(modes.instance.rpo),
    rto_az_outage: formatRto(modes.az),
    rpo_az_outage: formatRpo(modes.az.rpo),
  };
  return { outputs, model };
}

describe.each<StackName>(["recovery", "multiaz", "web"])("stack %s", (name) => {
  test("outputs the model computed from the same synthesized JSON, with descriptions", () => {
    // GIVEN the stack with its default configuration WHEN synthesized
    const { outputs, model } = outputsAndModel(name);

    // THEN the four outputs are exactly the model's text for that JSON
    expect(outputs).toEqual(model);
    const { tf } = synthStack(name);
    for (const n of RECOVERY_OUTPUT_NAMES) expect(tf.output?.[n]?.description).toMatch(/^Modelled /);
  });
});

test("the recovery stack's RTO output moves with the recover alarm's evaluation periods", () => {
  // GIVEN the book's 5 periods instead of AWS's recommended 2
  const recommended = outputsAndModel("recovery");
  const book = outputsAndModel("recovery", { recovery: { recoverEvaluationPeriods: 5 } });

  // THEN the output changes, and still equals the model
  expect(book.outputs).toEqual(book.model);
  expect(book.outputs.rto_instance_failure).not.toBe(recommended.outputs.rto_instance_failure);
  expect(recommended.outputs).toMatchObject({ rto_instance_failure: "3-10 min", rto_az_outage: "not survived", rpo_instance_failure: "0 (EBS kept)" });
  expect(book.outputs.rto_instance_failure).toBe("6-13 min");
});

test("the multiaz stack's RPO output moves with the AMI interval and EFS", () => {
  const hourly = outputsAndModel("multiaz", { multiaz: { amiPipeline: { intervalHours: 1 } } });
  const efs = outputsAndModel("multiaz", { multiaz: { efs: { enabled: true } } });

  expect(hourly.outputs).toEqual(hourly.model);
  expect(efs.outputs).toEqual(efs.model);
  expect(outputsAndModel("multiaz").outputs.rpo_az_outage).toMatch(/^24 h \(/);
  expect(hourly.outputs.rpo_az_outage).toMatch(/^1 h \(/);
  expect(efs.outputs.rpo_az_outage).toMatch(/^0 \(data on EFS/);
});

test("the web stack's RTO output moves with the target group's health check", () => {
  const slow = outputsAndModel("web", { web: { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, unhealthyThreshold: 3 } } });

  expect(slow.outputs).toEqual(slow.model);
  // (3 - 1) x 30 + 10 .. 3 x 30 + 10 seconds
  expect(slow.outputs.rto_instance_failure).toBe("70-100 s");
  expect(outputsAndModel("web").outputs.rto_instance_failure).toBe("7-12 s");
});
