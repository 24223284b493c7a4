/**
 * The project's security checks at synth (the analysis hook, lib/synth-analysis.ts, runs
 * {@link checkConfiguration} on every stack the atomic synth writes), so `cdktf synth`, `diff`
 * and `deploy` cannot bypass them: an error-level finding that no construct suppressed with a
 * reason cancels the synth, naming the rule, the resource and the fix, and the output folder
 * stays as it was. Warnings and resources a rule can judge only after apply (unknown, not a
 * pass) are reported on stderr.
 */
import { ResourceGraph } from "../lib/resource-graph";
import { Problem } from "../lib/validation";
import { PolicyReport, checkStack, openErrors, suppressionsOf } from "./index";

/** Checks one synthesized stack (`cdk.tf.json` as written, suppressions included). */
export function checkConfiguration(stack: string, tf: object): { report: PolicyReport; problems: Problem[]; notes: string[] } {
  const report = checkStack(ResourceGraph.fromTerraformJson(tf), suppressionsOf(tf as Parameters<typeof suppressionsOf>[0]));
  const problems = openErrors(report).map((f) => ({
    key: `${stack}: ${f.resource.address}`,
    value: f.rule.id,
    fix: `${f.message} (or, where the resource must break the rule, suppress(resource, "${f.rule.id}", reason) in its construct)`,
  }));
  const notes = [
    ...report.findings
      .filter((f) => !f.suppression && f.rule.severity === "warning")
      .map((f) => `warning: ${stack}: ${f.rule.id} ${f.resource.address}: ${f.message}`),
    ...report.unknowns.map((u) => `unknown until apply (not a pass): ${stack}: ${u.rule.id} ${u.resource.address}: ${u.reason}`),
  ];
  return { report, problems, notes };
}
