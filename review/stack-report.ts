/**
 * `plan-review/<stack>.md`: what a reviewer needs to approve one stack's plan: what it
 * creates (by type and by AZ), how it recovers (the recovery model's table, RTO terms,
 * mechanisms and assumptions with their sources), the security findings (suppressed ones
 * with their reason) and the architecture picture.
 */
import { FAILURE_MODES, MODE_INFO, RecoveryAssessment, formatPercentiles, formatRange } from "../model";
import { describe as describePrior, support } from "../model/distributions";
import { termsOf } from "../model/simulate";
import { MODE_HEADER, modeRows } from "./comparison";
import { PolicyReport, ruleIds } from "../policy";
import { isDrawn } from "./diagram";
import type { CheckovSkip } from "../policy/checkov-skips";
import { ACTIONS, PlanInventory } from "./inventory";
import { code, table } from "./markdown";

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
      (r.sources.synthesized
        ? `, made from ${code(r.sources.synthesized)}.`
        : ". No synthesized configuration was given: suppressions are unknown, every finding is shown open."),
    `Plan: ${changes.join(", ") || "no changes"}.`,
    "",
    recoverySection(r.assessment),
    securitySection(r),
    architectureSection(r),
    inventorySection(r.inventory),
  ].join("\n");
}

function recoverySection(a: RecoveryAssessment): string {
  const assumed = new Set(a.assumptions.map((x) => x.label));
  return [
    "## Recovery",
    "",
    "RTO = time from the failure until the service answers again; RPO = the data that can be lost. Computed by the recovery model (`model/`) from the plan:",
    "each mode is healed (by the first of its routes to finish), alarmed (an operator is told), not survived, or not applicable;",
    "RTO percentiles from a deterministic Monte Carlo over the terms' priors, the hull the exact shortest and longest outcome.",
    "",
    table(MODE_HEADER, modeRows(a)),
    "",
    ...(a.warnings.length > 0 ? ["Warnings:", "", ...a.warnings.map((w) => `- ${code(w.setting)} (${code(w.resource)}): ${w.message}`), ""] : []),
    ...FAILURE_MODES.flatMap((mode) => {
      const m = a.modes[mode];
      return [
        `### ${MODE_INFO[mode].title}`,
        "",
        `${MODE_INFO[mode].description}. ${m.explanation}`,
        "",
        ...(m.rto
          ? [
              `${formatPercentiles(m.rto)}, hull ${formatRange(m.rto.hull)}; dominant term: ${m.rto.dominant.label}.`,
              "",
              table(
                ["route", "term", "prior", "basis"],
                m.rto.routes.flatMap((route) =>
                  termsOf(route.steps).map((t) => [
                    route.mechanism,
                    t.label,
                    `${describePrior(t.distribution)} (${formatRange(support(t.distribution))})`,
                    assumed.has(t.label) ? "assumption, see below" : t.source,
                  ]),
                ),
              ),
              "",
            ]
          : []),
        `Claim: inject ${m.claim.injection}; observe ${m.claim.observable}; must hold: ${m.claim.band}.`,
        "",
      ];
    }),
    "### Mechanisms found",
    "",
    a.mechanisms.length > 0
      ? table(
          ["kind", "resource", "detail"],
          a.mechanisms.map((m) => [m.kind, code(m.address), m.detail]),
        )
      : "None: nothing in this stack detects or repairs a failure.",
    "",
    "### Assumptions",
    "",
    a.assumptions.length > 0
      ? table(
          ["assumption", "range", "prior", "source"],
          a.assumptions.map((x) => [x.label, formatRange(x.seconds), describePrior(x.distribution), x.source]),
        )
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
          table(
            ["rule", "resource", "why"],
            r.policy.unknowns.map((u) => [ruleIds(u.rule).join(", "), resource(u.resource.address), u.reason]),
          ),
          "",
        ]
      : []),
    ...((r.checkovSkips ?? []).length > 0
      ? [
          "checkov checks skipped on this stack's resources (`policy/checkov-skips.ts`; `npm run scan` fails on any other failed check, and on a skip that matches none):",
          "",
          table(
            ["checkov", "resource", "reason"],
            r.checkovSkips!.map((s) => [s.check, resource(s.address), s.reason]),
          ),
          "",
        ]
      : []),
    ...(unusedSuppressions.length > 0
      ? [
          "Suppressions that match no finding (remove them, or fix the rule id):",
          "",
          table(
            ["rule", "resource", "reason"],
            unusedSuppressions.map((u) => [u.ruleId, resource(u.address), u.reason]),
          ),
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
    table(
      ["resource type", ...used.map((a) => (a === "no-op" ? "unchanged" : `to ${a}`))],
      inv.byType.map((t) => [code(t.type), ...used.map((a) => t.actions[a] || "")]),
    ),
    "",
    "### By availability zone",
    "",
    "Resources bound to one AZ (by their own `availability_zone` or their subnet), after apply:",
    "",
    table(
      ["AZ", "resources", "of which"],
      inv.byAz.map((z) => [
        z.az,
        z.total,
        Object.entries(z.types)
          .map(([t, n]) => `${n} ${t}`)
          .join(", "),
      ]),
    ),
    "",
    ...(inv.multiAz.length > 0
      ? [
          table(
            ["spanning several AZs", "AZs"],
            inv.multiAz.map((m) => [code(m.address), m.azs.join(", ")]),
          ),
          "",
        ]
      : []),
    `${inv.regional} resource(s) are regional (bound to no AZ: IAM, DNS, alarms, the VPC itself).`,
    "",
  ].join("\n");
}
