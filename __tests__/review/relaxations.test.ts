/**
 * A deliberate relaxation end to end: the IMDS hop limit 2, with its reason, in every stack
 * with servers (`<section>.metadataHopLimit`, policy/relaxation.ts). Planned offline, each
 * stack only creates and its launch template (and recovery's instance) carry the limit; the
 * plan review lists the CKV_AWS_341 finding as suppressed with the reason given; checkov's
 * CKV_AWS_341 failures on them are accepted by that suppression, and nothing else is open.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { STACK_NAMES } from "../../config/schema";
import { WrittenStack, writeStackReview } from "../../review";
import { ScanReport, scanTargets } from "../../scan";
import { OfflinePlan, expectOnlyCreations, sharedOfflinePlan } from "../helpers";

const REASON = {
  recovery: "the recovery server runs containers that call AWS with its role",
  multiaz: "the multiaz server runs a container agent that needs the instance role",
  web: "the web servers run containers on the host that read the instance role",
};
const OVERRIDES = Object.fromEntries(STACK_NAMES.map((s) => [s, { metadataHopLimit: { value: 2, reason: REASON[s] } }]));

/** The resources each stack gives its hop limit: the template, and recovery's instance, which repeats its options. */
const RELAXED = { recovery: ["aws_launch_template", "aws_instance"], multiaz: ["aws_launch_template"], web: ["aws_launch_template"] } as const;

describe("a relaxed IMDS hop limit with its reason, in every stack with servers", () => {
  let work: string;
  let plans: Record<string, OfflinePlan>;
  const written: Record<string, WrittenStack> = {};
  let scan: ScanReport;

  beforeAll(async () => {
    plans = await sharedOfflinePlan([...STACK_NAMES], OVERRIDES);
    work = fs.mkdtempSync(path.join(os.tmpdir(), "relaxations-test-"));
    const targets = STACK_NAMES.map((stack) => {
      const synthesized = path.join(work, `${stack}.cdk.tf.json`);
      const plan = path.join(work, `${stack}.plan.json`);
      fs.writeFileSync(synthesized, JSON.stringify(plans[stack].cdkTfJson));
      fs.writeFileSync(plan, JSON.stringify(plans[stack].plan));
      return { stack, variant: "hop-limit-2", synthesized, plan };
    });
    fs.mkdirSync(path.join(work, "review"));
    for (const t of targets) {
      written[t.stack] = await writeStackReview(path.join(work, "review"), {
        stack: t.stack,
        plan: plans[t.stack].plan,
        planPath: t.plan,
        synthesized: plans[t.stack].cdkTfJson,
        synthesizedPath: t.synthesized,
      });
    }
    scan = await scanTargets(targets, path.join(work, "checkov"));
  }, 600_000);

  afterAll(() => work && fs.rmSync(work, { recursive: true, force: true }));

  test.each(STACK_NAMES)("%s: the offline plan only creates, and the servers get hop limit 2", (stack) => {
    expectOnlyCreations(plans[stack]);
    const relaxed = plans[stack].plan.resource_changes
      .filter((c: { type: string }) => (RELAXED[stack] as readonly string[]).includes(c.type))
      .map((c: { type: string; change: { after: { metadata_options: { http_put_response_hop_limit: number }[] } } }) => [
        c.type,
        c.change.after.metadata_options[0].http_put_response_hop_limit,
      ]);
    expect(relaxed.sort()).toEqual(RELAXED[stack].map((type) => [type, 2]).sort());
  });

  test.each(STACK_NAMES)("%s: the review lists CKV_AWS_341 as suppressed with the configured reason, and no open error", (stack) => {
    expect(written[stack].openErrors).toEqual([]);
    const hopFindings = written[stack].review.policy.findings.filter((f) => f.rule.id === "CKV_AWS_341");
    expect(hopFindings.map((f) => [f.resource.type, f.suppression?.reason]).sort()).toEqual(RELAXED[stack].map((type) => [type, REASON[stack]]).sort());
    const report = fs.readFileSync(path.join(work, "review", `${stack}.md`), "utf8");
    const rows = report.split("\n").filter((l) => l.startsWith("| error | CKV_AWS_341"));
    expect(rows).toHaveLength(RELAXED[stack].length);
    for (const row of rows) expect(row).toContain(`| suppressed: ${REASON[stack]} |`);
  });

  test("checkov: its CKV_AWS_341 failures are the suppressed ones, and nothing is open", () => {
    expect(scan.open.map((r) => `${r.target.stack} ${r.framework} ${r.checkId} ${r.address}`)).toEqual([]);
    const hops = scan.results.filter((r) => r.checkId === "CKV_AWS_341" && r.result === "failed");
    expect(hops.length).toBeGreaterThan(0);
    for (const r of hops) expect(r.skippedBecause).toEqual({ source: "suppression", reason: REASON[r.target.stack as keyof typeof REASON] });
    // every stack's template is among them, as configured and as planned
    expect(new Set(hops.filter((r) => r.address.startsWith("aws_launch_template.")).map((r) => `${r.target.stack} ${r.framework}`))).toEqual(
      new Set(STACK_NAMES.flatMap((s) => [`${s} terraform_json`, `${s} terraform_plan`])),
    );
  });
});
