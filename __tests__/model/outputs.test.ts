/**
 * Each stack's RTO/RPO outputs are the model applied to that stack's own synthesized JSON, and
 * follow its configuration.
 */
import { StackName } from "../../config/schema";
import { FAILURE_MODES, FailureMode, ModeFigures, assessTerraformJson, formatRpo, formatRto, modeFigures } from "../../model";
import { RECOVERY_FIGURES_OUTPUT_NAMES, RECOVERY_OUTPUT_NAMES, TERRAFORM_NULL } from "../../model/outputs";
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

/** The machine-readable outputs of a stack, by failure mode, and the model's figures for the same JSON. */
function figuresAndModel(name: StackName, overrides: Overrides = {}) {
  const { tf } = synthStack(name, overrides);
  const { modes } = assessTerraformJson(name, tf);
  // As Terraform evaluates them: "${null}" is null (the Terraform plan test shows it).
  const evaluated = (value: unknown) => Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, v === TERRAFORM_NULL ? null : v]));
  return {
    outputs: Object.fromEntries(FAILURE_MODES.map((m) => [m, evaluated(tf.output?.[RECOVERY_FIGURES_OUTPUT_NAMES[m]]?.value)])) as Record<FailureMode, ModeFigures>,
    model: Object.fromEntries(FAILURE_MODES.map((m) => [m, modeFigures(modes[m])])) as Record<FailureMode, ModeFigures>,
  };
}

describe.each<StackName>(["recovery", "multiaz", "web"])("stack %s", (name) => {
  test("outputs the model's figures per failure mode as numbers and booleans", () => {
    const { outputs, model } = figuresAndModel(name);
    expect(outputs).toEqual(model);
    for (const figures of Object.values(outputs)) {
      expect(typeof figures.survives).toBe("boolean");
      expect(typeof figures.rpo_bounded).toBe("boolean");
    }
  });

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

test("the figures a CI gate compares: the notes' table in numbers, and a changed setting moves them", () => {
  // GIVEN the defaults THEN recovery survives an instance failure in 190-600 s ("3-10 min") with nothing lost, and not an AZ outage
  expect(figuresAndModel("recovery").outputs).toEqual({
    instance: { survives: true, rto_min_seconds: 190, rto_max_seconds: 600, rpo_kind: "zero", rpo_seconds: 0, rpo_bounded: true },
    az: { survives: false, rto_min_seconds: null, rto_max_seconds: null, rpo_kind: "everything", rpo_seconds: null, rpo_bounded: false },
  });
  // multiaz survives both and loses up to one AMI interval; an hourly pipeline makes it 3600 s
  const multiaz = figuresAndModel("multiaz").outputs;
  expect(multiaz.az).toMatchObject({ survives: true, rpo_kind: "interval", rpo_seconds: 86400, rpo_bounded: true });
  expect(figuresAndModel("multiaz", { multiaz: { amiPipeline: { intervalHours: 1 } } }).outputs.az.rpo_seconds).toBe(3600);
  // web: 7-12 s, stateless; a slower health check is a longer RTO
  expect(figuresAndModel("web").outputs.instance).toEqual({ survives: true, rto_min_seconds: 7, rto_max_seconds: 12, rpo_kind: "stateless", rpo_seconds: 0, rpo_bounded: true });
  const slow = figuresAndModel("web", { web: { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, unhealthyThreshold: 3 } } }).outputs.instance;
  expect(slow).toMatchObject({ rto_min_seconds: 70, rto_max_seconds: 100 });
});
