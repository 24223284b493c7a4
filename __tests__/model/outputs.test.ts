/**
 * Each stack's recovery outputs are the model applied to that stack's own synthesized JSON,
 * one entry per failure mode, and follow its configuration.
 */
import { StackName } from "../../config/schema";
import { FAILURE_MODES, ModeFigures, assessTerraformJson, modeFigures } from "../../model";
import { RECOVERY_OUTPUT, RECOVERY_SUMMARY_OUTPUT, TERRAFORM_NULL, outputKey } from "../../model/outputs";
import { Overrides, synthStack } from "../helpers";

/** The `recovery` output of a stack as Terraform evaluates it ("${null}" is null), and the model's figures for the same JSON. */
function figuresAndModel(name: StackName, overrides: Overrides = {}) {
  const { tf } = synthStack(name, overrides);
  const { modes } = assessTerraformJson(name, tf);
  const evaluated = (value: unknown) => Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, v === TERRAFORM_NULL ? null : v]));
  const output = tf.output?.[RECOVERY_OUTPUT]?.value as Record<string, unknown>;
  return {
    outputs: Object.fromEntries(Object.entries(output).map(([k, v]) => [k, evaluated(v)])) as Record<string, ModeFigures>,
    model: Object.fromEntries(FAILURE_MODES.map((m) => [outputKey(m), modeFigures(modes[m])])) as Record<string, ModeFigures>,
    summary: tf.output?.[RECOVERY_SUMMARY_OUTPUT]?.value as Record<string, string>,
    descriptions: [tf.output?.[RECOVERY_OUTPUT]?.description, tf.output?.[RECOVERY_SUMMARY_OUTPUT]?.description],
  };
}

describe.each<StackName>(["recovery", "multiaz", "web"])("stack %s", (name) => {
  test("outputs the model's figures for every failure mode, as numbers, booleans and nulls", () => {
    const { outputs, model, summary, descriptions } = figuresAndModel(name);

    expect(outputs).toEqual(model);
    // (cdktf writes object keys sorted)
    expect(Object.keys(outputs).sort()).toEqual(FAILURE_MODES.map(outputKey).sort());
    expect(Object.keys(summary).sort()).toEqual(FAILURE_MODES.map(outputKey).sort());
    for (const d of descriptions) expect(d).toMatch(/^Modelled recovery per failure mode/);
    for (const f of Object.values(outputs)) {
      expect(typeof f.survives).toBe("boolean");
      if (f.outcome === "healed")
        expect(f.rto_p50_seconds! <= f.rto_p90_seconds! && f.rto_p90_seconds! <= f.rto_p99_seconds! && f.rto_p99_seconds! <= f.rto_max_seconds!).toBe(true);
      else expect(f.rto_p99_seconds).toBeNull();
    }
  });
});

test("the figures a CI gate compares: the book's comparison in numbers, and a changed setting moves them", () => {
  const recovery = figuresAndModel("recovery").outputs;
  expect(recovery.host).toMatchObject({
    outcome: "healed",
    survives: true,
    rpo_kind: "zero",
    rpo_seconds: 0,
    rpo_bounded: true,
    dominant_term: "EC2 recovery: instance moved to a new host and its OS booted",
  });
  expect(recovery.az_outage).toMatchObject({ outcome: "not-survived", survives: false, rto_p99_seconds: null, rpo_kind: "unavailable", rpo_seconds: 0 });

  const multiaz = figuresAndModel("multiaz").outputs;
  expect(multiaz.az_outage).toMatchObject({ survives: true, rpo_kind: "bounded", rpo_seconds: 93660, rpo_bounded: true });
  expect(multiaz.ami_stall).toMatchObject({ outcome: "alarmed", rpo_kind: "growing", rpo_seconds: null, rpo_bounded: false });
  expect(figuresAndModel("multiaz", { multiaz: { amiPipeline: { intervalHours: 1 } } }).outputs.az_outage.rpo_seconds).toBe(10860);

  const web = figuresAndModel("web").outputs.host;
  expect(web).toMatchObject({ survives: true, rto_min_seconds: 7, rto_max_seconds: 12, rpo_kind: "stateless", rpo_seconds: 0 });
  const slow = figuresAndModel("web", { web: { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, unhealthyThreshold: 3 } } }).outputs.host;
  expect(slow).toMatchObject({ rto_min_seconds: 70, rto_max_seconds: 100 });
  expect(slow.rto_p50_seconds!).toBeGreaterThan(web.rto_p50_seconds!);
});

test("the summary reads outcome, percentiles and hull, RPO and mechanism", () => {
  const { summary } = figuresAndModel("web");

  expect(summary.host).toMatch(
    /^healed: P50 \d+ s \/ P90 \d+ s \/ P99 \d+ s \(hull 7-12 s\); RPO none \(interchangeable servers behind a load balancer\); load balancer /,
  );
  expect(figuresAndModel("recovery").summary.az_outage).toMatch(/^not survived: RPO 0 lost, unavailable until the AZ returns/);
});
