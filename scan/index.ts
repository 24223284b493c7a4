/**
 * The checkov scan: every target (a stack of one configuration variant) as synthesized
 * (`cdk.tf.json`, framework terraform_json) and as planned (plan JSON, terraform_plan), one
 * checkov process for both over all targets at once. A failed check is skipped when
 * `policy/checkov-skips.ts` lists it for the resource, or when the resource carries the
 * project's own suppression of the same control (policy/suppress.ts; our rule ids are
 * checkov's); any other failed check is open and fails the scan.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { resolveConfig } from "../config/load";
import { synthesizeAtomically } from "../lib/atomic-synth";
import { findProviderMirror, linkMirror } from "../lib/provider-mirror";
import { planInGroups } from "../lib/plan-together";
import { terraformEnv } from "../lib/terraform";
import { buildStack } from "../modules";
import { baseOf } from "../modules/variants";
import { OFFLINE_ENV } from "../modules/provider-mode";
import { findRule, ruleIds, suppressionsOf } from "../policy";
import { CHECKOV_SKIPS, CheckovSkip } from "../policy/checkov-skips";
import { MIN_REASON_LENGTH } from "../policy/suppress";
import { CheckResult, FRAMEWORKS, Framework, runCheckov } from "./checkov";
import { SCAN_ZONE_ID, ScanVariant } from "./variants";

/** One stack of one configuration, as synthesized and (optionally) as planned. */
export interface ScanTarget {
  readonly stack: string;
  readonly variant: string;
  /** Path of its `cdk.tf.json`. */
  readonly synthesized: string;
  /** Path of its plan JSON (`terraform show -json`). @default - not planned: only the configuration is scanned */
  readonly plan?: string;
}

export const targetLabel = (t: Pick<ScanTarget, "stack" | "variant">) => `${t.stack}/${t.variant}`;

/** A checkov result on a target, with why it is skipped when it is. */
export interface ScanResult extends CheckResult {
  readonly target: ScanTarget;
  /** The skip or suppression that accepts this failed check. */
  readonly skippedBecause?: { readonly source: "checkov-skips" | "suppression"; readonly reason: string };
}

export interface ScanRow {
  readonly target: string;
  readonly framework: Framework;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ScanReport {
  readonly rows: readonly ScanRow[];
  readonly results: readonly ScanResult[];
  /** Failed checks no skip or suppression accepts: each fails the scan. */
  readonly open: readonly ScanResult[];
  /** Skips that matched no failed check (only when every variant was scanned). */
  readonly staleSkips: readonly CheckovSkip[];
  /** Seconds checkov ran. */
  readonly seconds: number;
}

export interface ScanOptions {
  readonly skips?: readonly CheckovSkip[];
  /** Fail on a skip that matches nothing: true when the targets are every variant of every stack. @default false */
  readonly requireEverySkipUsed?: boolean;
}

const CHECK_ID = /^CKV2?_AWS_\d+$/;
const ADDRESS = /^[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*$/;

/** The skip list's own errors: malformed ids or addresses, short reasons, duplicates. */
export function skipProblems(skips: readonly CheckovSkip[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const s of skips) {
    const where = `skip ${s.check} ${s.address}`;
    if (!CHECK_ID.test(s.check)) problems.push(`${where}: ${JSON.stringify(s.check)} is not a checkov AWS check id (CKV_AWS_<n> or CKV2_AWS_<n>)`);
    if (!ADDRESS.test(s.address)) problems.push(`${where}: ${JSON.stringify(s.address)} is not a resource address (type.name)`);
    if (s.reason.trim().replace(/\s+/g, " ").length < MIN_REASON_LENGTH)
      problems.push(`${where}: the reason ${JSON.stringify(s.reason)} is shorter than ${MIN_REASON_LENGTH} characters; say why the check does not apply`);
    if (findRule(s.check)) problems.push(`${where}: ${s.check} is one of the project's own rules; record it with suppress() on the construct instead`);
    const key = `${s.check} ${s.address} ${(s.stacks ?? []).join(",")}`;
    if (seen.has(key)) problems.push(`${where}: listed twice`);
    seen.add(key);
  }
  return problems;
}

/** The skip that accepts `check` on `address` in stack `stack` (a skip names base stacks: it covers their variants too), if any. */
export function matchingSkip(skips: readonly CheckovSkip[], stack: string, checkId: string, address: string): CheckovSkip | undefined {
  return skips.find((s) => s.check === checkId && s.address === address && (s.stacks === undefined || (s.stacks as readonly string[]).includes(baseOf(stack))));
}

/**
 * Lays the targets out for checkov (`json/<variant>/<stack>/cdk.tf.json`, `plan/<variant>/<stack>.json` under `workDir`) and scans them.
 * A plan file several targets share (planVariants gives a stack whose offline configuration equals
 * one already planned that plan) is laid out and scanned once, its results counted for each of them.
 */
export async function scanTargets(targets: readonly ScanTarget[], workDir: string, options: ScanOptions = {}): Promise<ScanReport> {
  const skips = options.skips ?? CHECKOV_SKIPS;
  const problems = skipProblems(skips);
  if (problems.length > 0) throw new Error(`policy/checkov-skips.ts is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);

  // One root for both frameworks, one checkov process (its start costs more than a stack's scan).
  const byFile = new Map<string, ScanTarget[]>();
  const laidOut = new Map<string, ScanTarget[]>();
  const lay = (framework: Framework, from: string, to: string, target: ScanTarget) => {
    const known = laidOut.get(`${framework}:${from}`);
    if (known) {
      known.push(target);
      return;
    }
    fs.mkdirSync(path.dirname(path.join(workDir, to)), { recursive: true });
    fs.copyFileSync(from, path.join(workDir, to));
    const scanned = [target];
    byFile.set(`${framework}:${to.split(path.sep).join("/")}`, scanned);
    laidOut.set(`${framework}:${from}`, scanned);
  };
  for (const t of targets) {
    lay("terraform_json", t.synthesized, path.join("json", t.variant, t.stack, "cdk.tf.json"), t);
    if (t.plan) lay("terraform_plan", t.plan, path.join("plan", t.variant, `${t.stack}.json`), t);
  }
  const frameworks = FRAMEWORKS.filter((f) => f === "terraform_json" || targets.some((t) => t.plan));
  const started = Date.now();
  const raw = await runCheckov(workDir, frameworks);
  const seconds = (Date.now() - started) / 1000;

  const suppressions = new Map<ScanTarget, ReturnType<typeof suppressionsOf>>();
  const suppressionOf = (t: ScanTarget, checkId: string, address: string) => {
    if (!suppressions.has(t)) suppressions.set(t, suppressionsOf(JSON.parse(fs.readFileSync(t.synthesized, "utf8"))));
    return (suppressions.get(t)!.get(address) ?? []).find((s) => {
      const rule = findRule(s.ruleId);
      return rule !== undefined && ruleIds(rule).includes(checkId);
    });
  };

  const used = new Set<CheckovSkip>();
  const judge = (r: CheckResult, target: ScanTarget): ScanResult => {
    if (r.result !== "failed") return { ...r, target };
    const skip = matchingSkip(skips, target.stack, r.checkId, r.address);
    if (skip) {
      used.add(skip);
      return { ...r, target, skippedBecause: { source: "checkov-skips", reason: skip.reason } };
    }
    const suppression = suppressionOf(target, r.checkId, r.address);
    return suppression ? { ...r, target, skippedBecause: { source: "suppression", reason: suppression.reason } } : { ...r, target };
  };
  const results: ScanResult[] = raw.flatMap((r) => {
    const scanned = byFile.get(`${r.framework}:${r.file}`);
    if (!scanned) throw new Error(`checkov reported a file the scan did not lay out: ${r.framework} ${r.file}`);
    return scanned.map((target) => judge(r, target));
  });

  const rows: ScanRow[] = [];
  for (const t of targets) {
    for (const framework of frameworks) {
      if (framework === "terraform_plan" && !t.plan) continue;
      const mine = results.filter((r) => r.target === t && r.framework === framework);
      rows.push({
        target: targetLabel(t),
        framework,
        passed: mine.filter((r) => r.result === "passed").length,
        failed: mine.filter((r) => r.result === "failed" && !r.skippedBecause).length,
        skipped: mine.filter((r) => r.result === "skipped" || r.skippedBecause).length,
      });
    }
  }
  return {
    rows,
    results,
    open: results.filter((r) => r.result === "failed" && !r.skippedBecause),
    staleSkips: options.requireEverySkipUsed ? skips.filter((s) => !used.has(s)) : [],
    seconds,
  };
}

/** Whether the scan passes: no open failure, no stale skip. */
export const scanPassed = (r: ScanReport) => r.open.length === 0 && r.staleSkips.length === 0;

/** The table and, below it, every open failure and stale skip. */
export function formatScan(r: ScanReport): string[] {
  const header = ["stack/variant", "framework", "passed", "failed", "skipped"];
  const cells = r.rows.map((row) => [row.target, row.framework, String(row.passed), String(row.failed), String(row.skipped)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => (i >= 2 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const total = (k: "passed" | "failed" | "skipped") => r.rows.reduce((s, row) => s + row[k], 0);
  const out = [
    line(header),
    line(widths.map((w) => "-".repeat(w))),
    ...cells.map(line),
    line(["total", "", String(total("passed")), String(total("failed")), String(total("skipped"))]),
  ];
  out.push(`checkov ${r.seconds.toFixed(1)} s`);
  for (const f of r.open) out.push(`FAILED ${targetLabel(f.target)} ${f.framework} ${f.checkId} ${f.address}: ${f.checkName}`);
  for (const s of r.staleSkips) {
    out.push(
      `STALE skip ${s.check} ${s.address}${s.stacks ? ` (${s.stacks.join(", ")})` : ""}: matches no failed check in any stack or variant; remove it from policy/checkov-skips.ts`,
    );
  }
  return out;
}

/**
 * Synthesizes each variant twice, as `main.ts` does: as deployed (mode real, the configured
 * backend, `dns.zoneId` set as a deploy requires: what the terraform_json scan reads) and offline (fake credentials, scratch local
 * state), and plans the offline stacks together, in groups (lib/plan-together.ts). A stack whose
 * offline configuration equals one already planned (the S3 backend variant: offline, every
 * backend becomes the scratch state) is not planned again: its plan is that one. `planned`
 * supplies plans made elsewhere (the tests' shared default plans), by variant and stack.
 */
export async function planVariants(
  variants: readonly ScanVariant[],
  workDir: string,
  log: (line: string) => void = () => undefined,
  planned: (variant: string, stack: string) => { readonly offlineSynthesized: string; readonly plan: string } | undefined = () => undefined,
): Promise<ScanTarget[]> {
  const mirror = findProviderMirror();
  const targets: ScanTarget[] = [];
  const toPlan: { target: ScanTarget; dir: string }[] = [];
  const byResources = new Map<string, ScanTarget>();
  const resourcesKey = (stack: string, file: string) => {
    // The top-level `//` is cdktf's note of the stack (backend, version), no resource.
    const { "//": _note, ...rest } = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    return `${stack} ${JSON.stringify(rest)}`;
  };
  const asDeployed = (overrides: Readonly<Record<string, unknown>>) => ({
    ...overrides,
    dns: { ...((overrides.dns as Record<string, unknown> | undefined) ?? {}), zoneId: SCAN_ZONE_ID },
  });
  // One app per entry (a variant stack's entry shares its configuration's name with others).
  const synth = (v: ScanVariant, entry: number, offline: boolean) =>
    synthesizeAtomically(
      path.join(workDir, `${entry}-${v.name}`, offline ? "offline" : "real", "cdktf.out"),
      // As deployed, the records go into the existing zone a deploy requires (dns.zoneId).
      v.stacks.map((name) => (app: App) => buildStack(app, name, resolveConfig(offline ? v.overrides : asDeployed(v.overrides)), { offline })),
    );
  for (const [entry, v] of variants.entries()) {
    const real = synth(v, entry, false);
    const given = v.stacks.map((stack) => planned(v.name, stack));
    const offline = given.some((g) => g === undefined) ? synth(v, entry, true) : undefined;
    v.stacks.forEach((stack, i) => {
      const synthesized = path.join(real.stackDirs[stack], "cdk.tf.json");
      const ready = given[i];
      const offlineFile = ready?.offlineSynthesized ?? path.join(offline!.stackDirs[stack], "cdk.tf.json");
      const key = resourcesKey(stack, offlineFile);
      const same = byResources.get(key);
      let target: ScanTarget;
      if (ready) {
        target = { stack, variant: v.name, synthesized, plan: ready.plan };
      } else if (same) {
        target = { stack, variant: v.name, synthesized, plan: same.plan };
        log(`${stack}/${v.name}: planned offline, the same configuration as ${targetLabel(same)}: its plan is scanned`);
      } else {
        const dir = offline!.stackDirs[stack];
        if (mirror) linkMirror(dir, mirror);
        target = { stack, variant: v.name, synthesized, plan: path.join(workDir, `${entry}-${v.name}`, `${stack}.plan.json`) };
        toPlan.push({ target, dir });
      }
      targets.push(target);
      if (!byResources.has(key)) byResources.set(key, target);
    });
  }
  const env = terraformEnv({ [OFFLINE_ENV]: "1" });
  await planInGroups(
    toPlan.map(({ target, dir }) => ({ key: targetLabel(target), stack: target.stack, stackDir: dir, planJson: target.plan! })),
    path.join(workDir, "plans"),
    env,
    (s, p) => log(`planned ${s.key} (${p.summary.add} to add, ${p.summary.seconds.toFixed(1)} s, together with the others of its group)`),
  );
  return targets;
}
