/**
 * Every rule of the catalog against a compliant and a non-compliant configuration (cdk-nag
 * style). The fixtures are written as `cdk.tf.json` fragments, the form the constructs
 * synthesize; plan-form equivalence is tested on the real stacks in __tests__/review.
 */
import { ResourceGraph } from "../../lib/resource-graph";
import { RULES, Rule, checkStack } from "../../policy";

import { CASES, Resources } from "./rule-fixtures";

const findingsOf = (rule: Rule, resources: Resources) => checkStack(ResourceGraph.fromTerraformJson({ resource: resources }), new Map(), [rule]).findings;

describe("security rules", () => {
  test("every rule of the catalog has a case here, and every case a rule of the catalog", () => {
    // GIVEN the catalog WHEN listing the rules tested THEN the two match one to one
    expect([...new Set(CASES.map((c) => c.rule.id))].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  test("every rule id is unique and every rule checks at least one resource type", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(r.resourceTypes.length).toBeGreaterThan(0);
  });

  describe.each(CASES.map((c, i) => [`${c.rule.id} (case ${i + 1})`, c] as const))("%s", (_id, c) => {
    test("passes the compliant configuration", () => {
      // GIVEN a configuration that follows the rule WHEN checked THEN nothing is found
      expect(findingsOf(c.rule, c.compliant)).toEqual([]);
    });

    test("reports the non-compliant configuration, on the offending resource", () => {
      // GIVEN a configuration that breaks the rule WHEN checked
      const findings = findingsOf(c.rule, c.nonCompliant);
      // THEN one finding names the resource and says what to fix
      expect(findings.map((f) => f.resource.address).sort()).toEqual([c.address, ...(c.alsoOn ?? [])].sort());
      const finding = findings.find((f) => f.resource.address === c.address)!;
      expect(finding.message).toMatch(c.message);
      expect(finding.suppression).toBeUndefined();
    });
  });
});
