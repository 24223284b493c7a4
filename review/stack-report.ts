/**
 * `plan-review/<stack>.md`: what a reviewer needs to approve one stack's plan: what it
 * creates (by type and by AZ), how it recovers (the recovery model's table, RTO terms,
 * mechanisms and assumptions with their sources), the security findings (suppressed ones
 * with their reason) and the architecture picture.
 */
import { FailureMode, ModeAssessment, RecoveryAssessment, formatRange, formatRpo, formatRto } from "../model";
import { PolicyReport, ruleIds } from "../policy";
import { isDrawn } from "./diagram";
import type { CheckovSkip } from "../policy/checkov-skips";
import { ACTIONS, PlanInventory } from "./inventory";
import { code, table } from "./markdown";

/** The failure modes' names in the comparison. */
export const FAILURE_NAMES: Readonly<Record<FailureMode, string>> = {
  instance: "VM failure (the instance or its host)",
  az: "AZ outage",
};

/** Everything the report of one stack is written from. */
export interface StackReview {
  readonly stack: string;
  readonly assessment: RecoveryAssessment;
  readonly policy: PolicyReport;
  readonly inventory: PlanInventory;
  /** Where the inputs came from, for the report's first lines. */
  readonly sources: { readonly plan: string; readonly synthesized?: string; readonly terraformVersion?: string };
  /** File name of the architecture picture, relative to the report. */
  readonly picture: { readonly file: string };
  /** Construct paths by address, when the synthesized configuration is known. */
  readonly paths: ReadonlyMap<string, string>;
  /** The checkov checks skipped on resources of this stack, with their reasons. @default - none */
  readonly checkovSkips?: readonly CheckovSkip[];
}

export function stackReport(r: StackReview): string {
  const counts = r.inventory.byType.reduce(
    (sum, t) => ACTIONS.map((a, i) => sum[i] + t.actions[a]),
    ACTIONS.map(() => 0),
  );
  const changes = ACTIONS.map((a, i) => `${counts[i]} to ${a === "no-op" ? "leave unchanged" : a}`).filter((s) => !s.startsWith("0 "));
  return [
    `# Plan review: ${r.stack}`,
    "",
    `Plan ${code(r.sources.plan)}${r.sources.terraformVersion ? ` (Terraform ${r.sources.terraformVersion})` : ""}` +
      (r.sources.synthesized ? `, made from ${code(r.sources.synthesized)}.` : ". No synthesized configuration was given: suppressions are unknown, every finding is shown open."),
    `Plan: ${changes.join(", ") || "no changes"}.`,
    "",
    recoverySection(r.assessment),
    securitySection(r),
    architectureSection(r),
    inventorySection(r.inventory),
  ].join("\n");
}

function recoverySection(a: RecoveryAssessment): string {
  const modes = Object.entries(a.modes) as [FailureMode, ModeAssessment][];
  const assumed = new Set(a.assumptions.map((x) => x.label));
  return [
    "## Recovery",
    "",
    "RTO = time from the failure until the service answers again; RPO = the data that can be lost. Computed by the recovery model (`model/`) from the plan.",
    "",
    table(
      ["failure", "survives", "RTO", "RPO"],
      modes.map(([mode, m]) => [FAILURE_NAMES[mode], m.survives ? "yes" : "no", formatRto(m), formatRpo(m.rpo)]),
    ),
    "",
    ...modes.flatMap(([mode, m]) => [
      `### ${FAILURE_NAMES[mode]}`,
      "",
      m.explanation,
      "",
      ...(m.rto
        ? [
            table(
              ["RTO term", "time", "basis"],
              m.rto.terms.map((t) => [t.label, formatRange(t.seconds), assumed.has(t.label) ? "assumption, see below" : t.source]),
            ),
            "",
          ]
        : []),
    ]),
    "### Mechanisms found",
    "",
    a.mechanisms.length > 0 ? table(["kind", "resource", "detail"], a.mechanisms.map((m) => [m.kind, code(m.address), m.detail])) : "None: nothing in this stack detects or repairs a failure.",
    "",
    "### Assumptions",
    "",
    a.assumptions.length > 0
      ? table(["assumption", "range", "source"], a.assumptions.map((x) => [x.label, formatRange(x.seconds), x.source]))
      : "None: every term is computed from the stack.",
    "",
  ].join("\n");
}

function securitySection(r: StackReview): string {
  const { findings, unusedSuppressions, rules } = r.policy;
  const open = findings.filter((f) => !f.suppression);
  const count = (severity: string) => open.filter((f) => f.rule.severity === severity).length;
  const resource = (address: string) => code(address) + (r.paths.has(address) ? ` (${r.paths.get(address)})` : "");
  return [
    "## Security checks",
    "",
    `${rules.length} rules (named by their checkov and trivy ids): ` +
      `${count("error")} open error(s), ${count("warning")} open warning(s), ${findings.length - open.length} suppressed.`,
    "",
    findings.length > 0
      ? table(
          ["severity", "rule", "resource", "finding", "status"],
          findings.map((f) => [
            f.rule.severity,
            ruleIds(f.rule).join(", "),
            resource(f.resource.address),
            f.message,
            f.suppression ? `suppressed: ${f.suppression.reason}` : "open",
          ]),
        )
      : "No findings.",
    "",
    ...(r.policy.unknowns.length > 0
      ? [
          "Known only after apply (neither a finding nor a pass; check them once deployed):",
          "",
          table(["rule", "resource", "why"], r.policy.unknowns.map((u) => [ruleIds(u.rule).join(", "), resource(u.resource.address), u.reason])),
          "",
        ]
      : []),
    ...((r.checkovSkips ?? []).length > 0
      ? [
          "checkov checks skipped on this stack's resources (`policy/checkov-skips.ts`; `npm run scan` fails on any other failed check, and on a skip that matches none):",
          "",
          table(["checkov", "resource", "reason"], r.checkovSkips!.map((s) => [s.check, resource(s.address), s.reason])),
          "",
        ]
      : []),
    ...(unusedSuppressions.length > 0
      ? [
          "Suppressions that match no finding (remove them, or fix the rule id):",
          "",
          table(["rule", "resource", "reason"], unusedSuppressions.map((u) => [u.ruleId, resource(u.address), u.reason])),
          "",
        ]
      : []),
  ].join("\n");
}

function architectureSection(r: StackReview): string {
  const hidden = r.inventory.byType.map((t) => t.type).filter((t) => !isDrawn(t));
  return [
    "## Architecture",
    "",
    `![architecture of stack ${r.stack}](${r.picture.file})`,
    "",
    ...(hidden.length > 0 ? [`Not drawn (see the counts below): ${hidden.map((t) => code(t)).join(", ")}.`, ""] : []),
  ].join("\n");
}

function inventorySection(inv: PlanInventory): string {
  const used = ACTIONS.filter((a) => inv.byType.some((t) => t.actions[a] > 0));
  return [
    "## What the plan does",
    "",
    "### By resource type",
    "",
    table(["resource type", ...used.map((a) => (a === "no-op" ? "unchanged" : `to ${a}`))], inv.byType.map((t) => [code(t.type), ...used.map((a) => t.actions[a] || "")])),
    "",
    "### By availability zone",
    "",
    "Resources bound to one AZ (by their own `availability_zone` or their subnet), after apply:",
    "",
    table(
      ["AZ", "resources", "of which"],
      inv.byAz.map((z) => [z.az, z.total, Object.entries(z.types).map(([t, n]) => `${n} ${t}`).join(", ")]),
    ),
    "",
    ...(inv.multiAz.length > 0 ? [table(["spanning several AZs", "AZs"], inv.multiAz.map((m) => [code(m.address), m.azs.join(", ")])), ""] : []),
    `${inv.regional} resource(s) are regional (bound to no AZ: IAM, DNS, alarms, the VPC itself).`,
    "",
  ].join("\n");
}
