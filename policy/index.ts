/**
 * The project's security checks (REFERENCE.md section 4): the rule catalog, and the
 * evaluation of a stack's resources against it. Suppressed findings stay in the result with
 * their reason; a suppression that matches no finding is reported as unused, so stale ones
 * are noticed.
 */
import { Finding, Rule, ruleIds } from "./rule";
import { ResourceSet, TfResource } from "./resources";
import { AUTO_SCALING_RULES } from "./rules/auto-scaling";
import { COMPUTE_RULES } from "./rules/compute";
import { ENDPOINT_RULES } from "./rules/endpoints";
import { LOAD_BALANCER_RULES } from "./rules/load-balancer";
import { MONITORING_RULES } from "./rules/monitoring";
import { NETWORK_RULES } from "./rules/network";
import { SECURITY_GROUP_RULES } from "./rules/security-groups";

export * from "./rule";
export * from "./resources";
export type { Suppression } from "./suppression";

export const RULES: readonly Rule[] = [
  ...COMPUTE_RULES,
  ...NETWORK_RULES,
  ...SECURITY_GROUP_RULES,
  ...LOAD_BALANCER_RULES,
  ...AUTO_SCALING_RULES,
  ...MONITORING_RULES,
  ...ENDPOINT_RULES,
];

/** The rule that answers to `id` (its own id or a checkov/trivy alias); the first one for a shared trivy id. */
export function findRule(id: string, rules: readonly Rule[] = RULES): Rule | undefined {
  return rules.find((r) => ruleIds(r).includes(id));
}

/** The outcome of checking one stack. */
export interface PolicyReport {
  /** Every finding, suppressed ones included, in rule order then address order. */
  readonly findings: readonly Finding[];
  /** Suppressions that matched no finding: the resource complies now, or the id is wrong. */
  readonly unusedSuppressions: readonly { readonly resource: TfResource; readonly ruleId: string; readonly reason: string }[];
}

export function checkResources(resources: ResourceSet, rules: readonly Rule[] = RULES): PolicyReport {
  const findings: Finding[] = [];
  const used = new Set<string>();
  for (const rule of rules) {
    const ids = ruleIds(rule);
    for (const resource of resources.ofType(...rule.resourceTypes).sort((a, b) => a.address.localeCompare(b.address))) {
      const message = rule.check(resource, resources);
      if (message === undefined) continue;
      const suppression = resource.suppressions.find((s) => ids.includes(s.ruleId));
      if (suppression) used.add(`${resource.address} ${suppression.ruleId}`);
      findings.push({ rule, resource, message, ...(suppression ? { suppression: { reason: suppression.reason } } : {}) });
    }
  }
  const unusedSuppressions = resources.all.flatMap((resource) =>
    resource.suppressions.filter((s) => !used.has(`${resource.address} ${s.ruleId}`)).map((s) => ({ resource, ...s })),
  );
  return { findings, unusedSuppressions };
}

/** Findings that fail a review: errors nobody suppressed. */
export function openErrors(report: PolicyReport): Finding[] {
  return report.findings.filter((f) => f.rule.severity === "error" && !f.suppression);
}
