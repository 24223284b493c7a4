/**
 * The analysis hook at synth (lib/synth-analysis.ts): every stack the atomic synth writes gets
 * the recovery model's outputs, computed from its JSON as it stands when all stacks are built,
 * and once only.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { assessTerraformJson } from "../../model";
import { RECOVERY_OUTPUT, RECOVERY_OUTPUTS, RECOVERY_SUMMARY_OUTPUT } from "../../model/outputs";
import { buildStack } from "../../modules";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { analyzeStack } from "../../lib/synth-analysis";
import { config, withTempDir } from "../helpers";

/** cdk.tf.json of stack `id`, built and synthesized atomically, after `then` changed it. */
function written(id: "recovery" | "web", then: (stack: ReturnType<typeof buildStack>) => void = () => undefined): any {
  return withTempDir((dir) => {
    const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app: App) => then(buildStack(app, id, config(), { offline: true }))]);
    return JSON.parse(fs.readFileSync(path.join(result.stackDirs[id], "cdk.tf.json"), "utf8"));
  });
}

describe("the analysis at synth", () => {
  test("adds the model's outputs to every stack the atomic synth writes, its values the model of that stack's JSON", () => {
    const tf = written("web");
    expect(Object.keys(tf.output)).toEqual(expect.arrayContaining(RECOVERY_OUTPUTS.map((o) => o.name)));
    const summary = RECOVERY_OUTPUTS.find((o) => o.name === RECOVERY_SUMMARY_OUTPUT)!;
    expect(tf.output[RECOVERY_SUMMARY_OUTPUT]).toEqual({ value: summary.value(assessTerraformJson("web", tf)), description: summary.description });
  });

  test("sees what was added to a stack after its constructor: the outputs follow the resources as synthesized", () => {
    // GIVEN the recovery stack's reboot alarm made slower after the stack was built
    const slower = written("recovery", (stack) => {
      const reboot = stack.node.findAll().find((c): c is CloudwatchMetricAlarm => c instanceof CloudwatchMetricAlarm && c.node.id === "reboot")!;
      reboot.evaluationPeriods = 10;
    });
    // THEN the guest OS's modelled recovery is slower than with the defaults
    const p50 = (tf: any) => tf.output[RECOVERY_OUTPUT].value.guest_os.rto_p50_seconds as number;
    expect(p50(slower)).toBeGreaterThan(p50(written("recovery")));
  });

  test("runs once per stack: a second run would add the outputs again", () => {
    withTempDir((outdir) => {
      const stack = buildStack(new App({ outdir }), "recovery", config(), { offline: true });
      expect(analyzeStack(stack).problems).toEqual([]);
      expect(() => analyzeStack(stack)).toThrow(/recovery: analyzed twice/);
    });
  });
});
