/**
 * `plan-review/README.md`: the recovery model's verdict for every stack and failure mode, side
 * by side, plus the optional variants of stack `multiaz` (warm pool, EFS), each synthesized
 * through the same builders with its switch on, and beside them the comparison the book's
 * high-availability chapter ends on. No number here is kept by hand.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { StackConfig, StackName } from "../config/schema";
import { synthesizeAtomically } from "../lib/atomic-synth";
import {
  FAILURE_MODES,
  MODE_INFO,
  ModeAssessment,
  RecoveryAssessment,
  assessTerraformJson,
  formatDuration,
  formatOutcome,
  formatPercentiles,
  formatRange,
  formatRpo,
} from "../model";
import { buildStack } from "../modules";
import { code, table } from "./markdown";

/** What each stack is, in the words of the book's comparison. */
const STACK_TITLES: Readonly<Record<StackName, string>> = {
  recovery: "CloudWatch alarm -> EC2 recover",
  multiaz: "Auto Scaling group across AZs",
  web: "load balancer + Auto Scaling group across AZs",
};

/** One row of the comparison. */
export interface ComparisonRow {
  /** What the row is; the stack's name in code. */
  readonly title: string;
  readonly assessment: RecoveryAssessment;
  /** The stack's review, when the row is a reviewed stack. */
  readonly report?: string;
}

export function rowForStack(assessment: RecoveryAssessment, report: string): ComparisonRow {
  const title = STACK_TITLES[assessment.stack as StackName];
  return { title: `${code(assessment.stack)}${title ? `: ${title}` : ""}`, assessment, report };
}

/** A variant of a stack: the configuration switch that makes it and its label. */
interface Variant {
  readonly label: string;
  readonly stack: StackName;
  readonly configure: (config: StackConfig) => StackConfig;
}

const VARIANTS: readonly Variant[] = [
  {
    label: "`multiaz` with its state on EFS (`multiaz.efs.enabled`)",
    stack: "multiaz",
    configure: (c) => ({ ...c, multiaz: { ...c.multiaz, efs: { enabled: true } } }),
  },
  {
    // With the AMI pipeline on, the stack accepts a warm pool only with the state on EFS.
    label: "`multiaz` with EFS and a warm pool (`multiaz.warmPool.enabled`)",
    stack: "multiaz",
    configure: (c) => ({ ...c, multiaz: { ...c.multiaz, efs: { enabled: true }, warmPool: { ...c.multiaz.warmPool, enabled: true } } }),
  },
];

/**
 * The variant rows for `config`: each variant's stack synthesized (in a temporary directory,
 * as `main.ts` would) and assessed from its `cdk.tf.json`.
 */
export function variantRows(config: StackConfig): ComparisonRow[] {
  return VARIANTS.map((v) => ({ title: v.label, assessment: assessSynthesized(v.stack, v.configure(config)) }));
}

/** One row per stack of `config`, each synthesized and assessed as {@link variantRows} does. */
export function stackRows(config: StackConfig): ComparisonRow[] {
  return config.stacks.map((stack) => rowForStack(assessSynthesized(stack, config), ""));
}

/** `stack` synthesized with `config` in a temporary directory, as `main.ts` would, and assessed from its `cdk.tf.json`. */
function assessSynthesized(stack: StackName, config: StackConfig): RecoveryAssessment {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-review-variant-"));
  try {
    const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app: App) => buildStack(app, stack, config)]);
    const tf = JSON.parse(fs.readFileSync(path.join(result.stackDirs[stack], "cdk.tf.json"), "utf8")) as object;
    return assessTerraformJson(stack, tf);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The comparison the high-availability chapter of "Amazon Web Services in Action" (Manning;
 * its code: https://github.com/AWSinAction/code3) ends on, in our words.
 */
const BOOK_COMPARISON = [
  "| | RTO | RPO | survives a VM failure | survives an AZ outage |",
  "|---|---|---|---|---|",
  "| CloudWatch alarm -> EC2 recover | about 10 min | nothing lost (the EBS volume is kept) | yes | no: it dies with its AZ |",
  "| Auto Scaling group across AZs | about 10 min | what was written since the last snapshot | yes | yes |",
].join("\n");

/** One row per failure mode: outcome, percentiles and hull, RPO, mechanism, dominant term. */
export function modeRows(a: RecoveryAssessment): string[][] {
  return FAILURE_MODES.map((mode) => {
    const m = a.modes[mode];
    return [MODE_INFO[mode].title, ...modeCells(m)];
  });
}

export const MODE_HEADER = ["failure mode", "outcome", "RTO P50 / P90 / P99", "hull", "RPO", "mechanism", "dominant term"];

function modeCells(m: ModeAssessment): string[] {
  const healed = m.outcome === "healed" && m.rto;
  return [
    formatOutcome(m.outcome),
    healed ? formatPercentiles(m.rto!) : "-",
    healed ? formatRange(m.rto!.hull) : "-",
    formatRpo(m.rpo),
    m.mechanism,
    healed ? `${m.rto!.dominant.label} (${Math.round(m.rto!.dominant.share * 100)} %)` : "-",
  ];
}

/** The overview: one column per row (stack or variant), one line per mode, outcome and P99. */
export function overview(rows: readonly ComparisonRow[]): string {
  return table(
    ["failure mode", ...rows.map((r) => (r.report ? `[${r.title}](${r.report})` : r.title))],
    FAILURE_MODES.map((mode) => [
      MODE_INFO[mode].title,
      ...rows.map((r) => {
        const m = r.assessment.modes[mode];
        return m.outcome === "healed" && m.rto ? `healed, P99 ${formatDuration(m.rto.p99)}` : formatOutcome(m.outcome);
      }),
    ]),
  );
}

/** The README: the overview, each row's table, and the book's comparison beside them. */
export function comparisonReadme(stacks: readonly ComparisonRow[], variants: readonly ComparisonRow[]): string {
  return [
    "# Plan review",
    "",
    "Generated by `npm run plan` / `npm run review` from the plans in this folder; do not edit. One report per stack:",
    "what the plan creates, the recovery table, the security findings and an architecture picture.",
    "",
    "## Recovery, side by side",
    "",
    "What each stack does about each failure mode, computed by the recovery model (`model/`): healed by itself, alarmed",
    "(an operator is told and acts), not survived, or not applicable; for a healed mode the RTO's P50 / P90 / P99 from a",
    "deterministic Monte Carlo (fixed generator state) over the stack's own detection times and the documented priors, and the hull",
    "(the exact shortest and longest outcome). The optional variants are synthesized with the same configuration and the",
    "switch on.",
    "",
    overview([...stacks, ...variants]),
    "",
    ...[...stacks, ...variants].flatMap((row) => [
      `### ${row.report ? `[${row.title}](${row.report})` : row.title}`,
      "",
      table(MODE_HEADER, modeRows(row.assessment)),
      "",
    ]),
    "## The book's comparison",
    "",
    "The comparison the high-availability chapter of *Amazon Web Services in Action* ends on, in our words; the rows",
    "`recovery` (host failure, AZ outage) and `multiaz` above are its two strategies, measured by the same yardstick:",
    "",
    BOOK_COMPARISON,
    "",
  ].join("\n");
}
