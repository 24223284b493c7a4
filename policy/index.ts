/**
 * The project's security checks (README "Security checks"): the rule catalog, and the
 * evaluation of a stack against it. Suppressed findings stay in the result with their
 * reason; a suppression that matches no finding is reported as unused, so stale ones are
 * noticed.
 */
import { ResourceGraph } from "../lib/resource-graph";
import { Finding, Rule, UnknownVerdict, ruleIds } from "./rule";
import { Suppression, Suppressions } from "./suppression";
import { AUTO_SCALING_RULES } from "./rules/auto-scaling";
import { COMPUTE_RULES } from "./rules/compute";
import { ENCRYPTION_RULES } from "./rules/encryption";
import { ENDPOINT_RULES } from "./rules/endpoints";
import { LOAD_BALANCER_RULES } from "./rules/load-balancer";
import { MONITORING_RULES } from "./rules/monitoring";
import { NETWORK_RULES } from "./rules/network";
import { SECURITY_GROUP_RULES } from "./rules/security-groups";

export * from "./rule";
export * from "./suppression";

export const RULES: readonly Rule[] = [
  ...COMPUTE_RULES,
  ...NETWORK_RULES,
  ...SECURITY_GROUP_RULES,
  ...LOAD_BALANCER_RULES,
  ...AUTO_SCALING_RULES,
  ...MONITORING_RULES,
  ...ENCRYPTION_RULES,
  ...ENDPOINT_RULES,
];

/** The rule that answers to `id` (its own id or a checkov/trivy alias); the first one for a shared trivy id. */
export function findRule(id: string, rules: readonly Rule[] = RULES): Rule | undefined {
  return rules.find((r) => ruleIds(r).includes(id));
}

/** A suppression that matched no finding: the resource complies now, or the id is wrong. */
export interface UnusedSuppression extends Suppression {
  readonly address: string;
}

/** The outcome of checking one stack. */
export interface PolicyReport {
  /** The rules checked. */
  readonly rules: readonly Rule[];
  /** Every finding, suppressed ones included, in rule order then address order. */
  readonly findings: readonly Finding[];
  /** Resources a rule could not judge before apply: neither a finding nor a pass. */
  readonly unknowns: readonly UnknownVerdict[];
  readonly unusedSuppressions: readonly UnusedSuppression[];
}

/**
 * Checks a stack's resources. `suppressions` come from the synthesized configuration
 * ({@link suppressionsOf}); a plan does not carry them.
 */
export function checkStack(graph: ResourceGraph, suppressions: Suppressions = new Map(), rules: readonly Rule[] = RULES): PolicyReport {
  const findings: Finding[] = [];
  const unknowns: UnknownVerdict[] = [];
  const used = new Set<string>();
  for (const rule of rules) {
    const ids = ruleIds(rule);
    const resources = rule.resourceTypes.flatMap((t) => graph.ofType(t)).sort((a, b) => a.address.localeCompare(b.address));
    for (const resource of resources) {
      const message = rule.check(resource, graph);
      if (message === undefined) continue;
      if (typeof message !== "string") {
        unknowns.push({ rule, resource, reason: message.unknown });
        continue;
      }
      const suppression = (suppressions.get(resource.address) ?? []).find((s) => ids.includes(s.ruleId));
      if (suppression) used.add(`${resource.address} ${suppression.ruleId}`);
      findings.push({ rule, resource, message, ...(suppression ? { suppression: { reason: suppression.reason } } : {}) });
    }
  }
  const unusedSuppressions = [...suppressions].flatMap(([address, list]) =>
    list.filter((s) => !used.has(`${address} ${s.ruleId}`)).map((s) => ({ address, ...s })),
  );
  return { rules, findings, unknowns, unusedSuppressions };
}

/** Findings that fail a review: errors nobody suppressed. */
export function openErrors(report: PolicyReport): Finding[] {
  return report.findings.filter((f) => f.rule.severity === "error" && !f.suppression);
}
