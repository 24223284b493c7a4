/**
 * The deliberate relaxations end to end (policy/relaxation.ts), each with its reason, in two
 * configurations planned offline: the IMDS hop limit 2 with no flow logs in every stack with
 * servers; and no WAF, no deletion protection, no customer-managed key and 90 days of flow
 * logs in web and multiaz-efs (the stack with a file system). Each stack only creates; the plan
 * review lists every finding of the checks a relaxation trips as suppressed with the reason
 * configured for it, none open and no suppression unused (so each is recorded on exactly the
 * resources that break its check); checkov's failures of those checks, as synthesized and as
 * planned, are accepted by the suppressions, and nothing is open.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STACK_NAMES } from "../../config/schema";
import { WrittenStack, writeStackReview } from "../../review";
import { ScanReport, ScanTarget, scanTargets } from "../../scan";
import { OfflinePlan, expectOnlyCreations, sharedOfflinePlan } from "../helpers";
import { CASES } from "./relaxation-cases";

/** Each case's stacks, by `<case>/<stack>`. */
const ENTRIES = CASES.flatMap((c) => c.stacks.map((stack) => ({ c, stack, label: `${c.name}/${stack}` })));

describe("deliberate relaxations with their reasons, planned, reviewed and scanned", () => {
  let work: string;
  const plans: Record<string, OfflinePlan> = {};
  const written: Record<string, WrittenStack> = {};
  let scan: ScanReport;

  beforeAll(async () => {
    const planned = await Promise.all(CASES.map((c) => sharedOfflinePlan(c.stacks, c.overrides)));
    CASES.forEach((c, i) => {
      for (const stack of c.stacks) plans[`${c.name}/${stack}`] = planned[i][stack];
    });
    work = fs.mkdtempSync(path.join(os.tmpdir(), "relaxations-test-"));
    const targets: ScanTarget[] = [];
    for (const { c, stack, label } of ENTRIES) {
      const dir = path.join(work, c.name);
      fs.mkdirSync(path.join(dir, "review"), { recursive: true });
      const synthesized = path.join(dir, `${stack}.cdk.tf.json`);
      const plan = path.join(dir, `${stack}.plan.json`);
      fs.writeFileSync(synthesized, JSON.stringify(plans[label].cdkTfJson));
      fs.writeFileSync(plan, JSON.stringify(plans[label].plan));
      targets.push({ stack, variant: c.name, synthesized, plan });
      written[label] = await writeStackReview(path.join(dir, "review"), {
        stack,
        plan: plans[label].plan,
        planPath: plan,
        synthesized: plans[label].cdkTfJson,
        synthesizedPath: synthesized,
      });
    }
    scan = await scanTargets(targets, path.join(work, "checkov"));
  }, 600_000);

  afterAll(() => work && fs.rmSync(work, { recursive: true, force: true }));

  test("hop-limit-2-no-flow-logs: the servers get hop limit 2, and no VPC has flow logs", () => {
    for (const stack of STACK_NAMES) {
      const changes = plans[`hop-limit-2-no-flow-logs/${stack}`].plan.resource_changes as { type: string; change: { after: Record<string, any> } }[];
      const hops = changes
        .filter((c) => ["aws_launch_template", "aws_instance"].includes(c.type))
        .map((c) => c.change.after.metadata_options[0].http_put_response_hop_limit);
      expect([stack, hops.length > 0 && hops.every((h) => h === 2)]).toEqual([stack, true]);
      expect(changes.filter((c) => c.type === "aws_flow_log")).toEqual([]);
    }
  });

  test("no-waf-protection-key-short-logs: no web ACL, no key, an unprotected load balancer, 90 days of flow logs", () => {
    const after = (label: string, type: string) =>
      (plans[label].plan.resource_changes as { type: string; change: { after: Record<string, any> } }[])
        .filter((c) => c.type === type)
        .map((c) => c.change.after);
    expect(after("no-waf-protection-key-short-logs/web", "aws_wafv2_web_acl")).toEqual([]);
    expect(after("no-waf-protection-key-short-logs/web", "aws_lb").map((lb) => lb.enable_deletion_protection)).toEqual([false]);
    for (const stack of ["web", "multiaz-efs"]) {
      const label = `no-waf-protection-key-short-logs/${stack}`;
      expect(after(label, "aws_kms_key")).toEqual([]);
      expect(
        after(label, "aws_cloudwatch_log_group")
          .filter((g) => g.name.endsWith("/flow-logs"))
          .map((g) => g.retention_in_days),
      ).toEqual([90]);
    }
  });

  test.each(ENTRIES.map((e) => e.label))("%s: the offline plan only creates", (label) => {
    expectOnlyCreations(plans[label]);
  });

  test.each(ENTRIES.map((e) => [e.label, e] as const))(
    "%s: the review lists every finding of the relaxed checks as suppressed with its reason, none open, no suppression unused",
    (label, { c, stack }) => {
      const review = written[label].review;
      expect(written[label].openErrors).toEqual([]);
      expect(review.policy.unusedSuppressions).toEqual([]);
      const report = fs.readFileSync(path.join(work, c.name, "review", `${stack}.md`), "utf8");
      for (const [type, ruleId, reason] of c.relaxed[stack]) {
        // The types the relaxation concerns for this check (recovery's template and its instance).
        const types = c.relaxed[stack].filter(([, id]) => id === ruleId).map(([t]) => t);
        const findings = review.policy.findings.filter((f) => f.rule.id === ruleId);
        // A finding on every resource type it concerns, and every finding of the check on one, suppressed with its reason.
        expect([ruleId, findings.some((f) => f.resource.type === type)]).toEqual([ruleId, true]);
        expect(findings.map((f) => [ruleId, types.includes(f.resource.type), f.suppression?.reason])).toEqual(findings.map(() => [ruleId, true, reason]));
        const rows = report.split("\n").filter((l) => new RegExp(`^\\| (error|warning) \\| ${ruleId}\\b`).test(l));
        expect(rows).toHaveLength(findings.length);
        for (const row of rows) expect(row).toContain(`| suppressed: ${reason} |`);
      }
    },
  );

  test("checkov: its failures of the relaxed checks are the suppressed ones, with the reasons, in both frameworks; nothing is open", () => {
    expect(scan.open.map((r) => `${r.target.variant}/${r.target.stack} ${r.framework} ${r.checkId} ${r.address}`)).toEqual([]);
    for (const { c, stack } of ENTRIES) {
      for (const [, ruleId, reason] of c.relaxed[stack]) {
        const failed = scan.results.filter((r) => r.target.variant === c.name && r.target.stack === stack && r.checkId === ruleId && r.result === "failed");
        const where = `${c.name}/${stack} ${ruleId}`;
        expect([where, [...new Set(failed.map((r) => r.framework))].sort()]).toEqual([where, ["terraform_json", "terraform_plan"]]);
        for (const r of failed) expect([where, r.address, r.skippedBecause]).toEqual([where, r.address, { source: "suppression", reason }]);
      }
    }
  });
});
