/**
 * The plan review: for each stack a Markdown report and an SVG picture, and a README with the
 * recovery comparison across the stacks. Inputs are a stack's plan (`terraform show -json`)
 * and, when known, the `cdk.tf.json` it was made from:
 *
 * - the plan says what will exist and what changes: counts, security checks, recovery model;
 * - the synthesized configuration adds what Terraform drops: suppressions and construct
 *   paths; the picture is drawn from it too (every value there is known), from the plan when
 *   it is absent.
 */
import * as fs from "fs";
import * as path from "path";
import { STACK_IDS } from "../config/schema";
import { ResourceGraph } from "../lib/resource-graph";
import { AssumptionOverrides, assessPlanJson } from "../model";
import { Finding, RULES, checkStack, openErrors, suppressionsOf } from "../policy";
import { baseOf } from "../modules/variants";
import { comparisonReadme, rowForStack } from "./comparison";
import { renderArchitecture } from "./diagram";
import { ruleCatalog } from "./rule-catalog";
import { CHECKOV_SKIPS } from "../policy/checkov-skips";
import { PlanChanges, inventory } from "./inventory";
import { StackReview, stackReport } from "./stack-report";

/** One stack's inputs. */
export interface StackInput {
  readonly stack: string;
  /** The plan as JSON (`terraform show -json tfplan`). */
  readonly plan: PlanChanges & { readonly terraform_version?: string };
  /** Shown in the report as the plan's source. */
  readonly planPath: string;
  /** The `cdk.tf.json` the plan was made from. @default - none: no suppressions, picture from the plan */
  readonly synthesized?: { readonly resource?: Record<string, Record<string, unknown>> };
  readonly synthesizedPath?: string;
}

/** What was written for one stack. */
export interface WrittenStack {
  readonly stack: string;
  readonly review: StackReview;
  readonly files: readonly string[];
  /** Unsuppressed error findings: a review with any fails. */
  readonly openErrors: readonly Finding[];
}

/**
 * Writes `<stack>.md` and `<stack>.svg` into `outDir`. `assumptions`: replacements for the
 * model's priors, e.g. a game day's measured times (`model/measurements.ts`). @default none
 */
export async function writeStackReview(outDir: string, input: StackInput, assumptions?: AssumptionOverrides): Promise<WrittenStack> {
  const planned = ResourceGraph.fromPlanJson(input.plan);
  const synthesized = input.synthesized ? ResourceGraph.fromTerraformJson(input.synthesized) : undefined;
  const assessment = assessPlanJson(input.stack, input.plan, assumptions);
  const policy = checkStack(planned, input.synthesized ? suppressionsOf(input.synthesized) : new Map());
  const review: StackReview = {
    stack: input.stack,
    assessment,
    policy,
    inventory: inventory(input.plan, planned),
    sources: { plan: input.planPath, synthesized: input.synthesizedPath, terraformVersion: input.plan.terraform_version },
    picture: { file: `${input.stack}.svg` },
    paths: constructPaths(input.synthesized),
    // The checkov skips that name a resource of this stack (policy/checkov-skips.ts).
    checkovSkips: CHECKOV_SKIPS.filter(
      (s) =>
        (s.stacks === undefined || (s.stacks as readonly string[]).includes(baseOf(input.stack))) &&
        planned.ofType(s.address.split(".")[0]).some((n) => n.address === s.address),
    ),
  };
  const svg = await renderArchitecture(synthesized ?? planned, { stack: input.stack, mechanisms: assessment.mechanisms }, "svg");

  fs.mkdirSync(outDir, { recursive: true });
  const report = path.join(outDir, `${input.stack}.md`);
  const picture = path.join(outDir, review.picture.file);
  fs.writeFileSync(report, stackReport(review));
  fs.writeFileSync(picture, svg);
  const files = [report, picture];
  return { stack: input.stack, review, files, openErrors: openErrors(policy) };
}

/** What a stack leaves in the review folder: its plan (`npm run plan`), report and picture. */
const STACK_FILE_SUFFIXES = [".plan.json", ".md", ".svg"];

/**
 * Removes the plans, reports and pictures of this project's stacks that are not among
 * `reviewed` (stacks dropped from `stacks`), so the folder never shows a stale plan as
 * current. Files of other names are left alone. Returns the files removed.
 */
export function removeStaleReviews(outDir: string, reviewed: readonly string[]): string[] {
  const stale = STACK_IDS.filter((s) => !reviewed.includes(s)).flatMap((s) => STACK_FILE_SUFFIXES.map((suffix) => path.join(outDir, `${s}${suffix}`)));
  const removed = stale.filter((f) => fs.existsSync(f));
  for (const f of removed) fs.rmSync(f, { force: true });
  return removed;
}

/**
 * Writes every stack's review and the README comparing them (the variant stacks among them),
 * and removes what the folder holds of stacks not reviewed.
 */
export async function writeReview(
  outDir: string,
  inputs: readonly StackInput[],
  assumptions?: AssumptionOverrides,
): Promise<{ stacks: WrittenStack[]; readme: string; removed: string[] }> {
  const removed = removeStaleReviews(
    outDir,
    inputs.map((i) => i.stack),
  );
  const stacks: WrittenStack[] = [];
  for (const input of inputs) stacks.push(await writeStackReview(outDir, input, assumptions));
  const readme = path.join(outDir, "README.md");
  const comparison = comparisonReadme(stacks.map((s) => rowForStack(s.review.assessment, `${s.stack}.md`)));
  fs.writeFileSync(readme, [comparison, ruleCatalog(RULES)].join("\n"));
  return { stacks, readme, removed };
}

/** Construct paths by address, from cdktf's `//.metadata.path`, without the stack's own name. */
function constructPaths(tf: StackInput["synthesized"]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [type, byName] of Object.entries(tf?.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const p = (body as { "//"?: { metadata?: { path?: unknown } } })["//"]?.metadata?.path;
      if (typeof p === "string") out.set(`${type}.${name}`, p.split("/").slice(1).join("/"));
    }
  }
  return out;
}

/** What to print: one line per file removed and written, then each open error (which fails the review). */
export function reviewLines(stacks: readonly WrittenStack[], readme?: string, removed: readonly string[] = []): string[] {
  const lines = removed.map((f) => `removed ${f} (the stack is no longer in stacks)`);
  lines.push(
    ...stacks.flatMap((s) => {
      const findings = s.review.policy.findings;
      const suppressed = findings.filter((f) => f.suppression).length;
      const warnings = findings.filter((f) => !f.suppression && f.rule.severity === "warning").length;
      const summary = `security: ${s.openErrors.length} open error(s), ${warnings} warning(s), ${suppressed} suppressed`;
      return s.files.map((f, i) => `wrote ${f}${i === 0 ? ` (${summary})` : ""}`);
    }),
  );
  if (readme) lines.push(`wrote ${readme}`);
  for (const s of stacks) {
    for (const f of s.openErrors) lines.push(`${s.stack}: ${f.rule.id} ${f.resource.address}: ${f.message}`);
  }
  return lines;
}
