/**
 * Runs the Terraform CLI in a synthesized stack directory: init, validate, plan, and the
 * plan as JSON. Used by `npm run plan` and by the terraform-backed tests, so both exercise
 * the same steps.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export class TerraformError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly run: TerraformRun,
  ) {
    super(`terraform ${args.join(" ")} failed in ${cwd} (exit ${run.code}):\n${(run.stderr || run.stdout).trim()}`);
    this.name = "TerraformError";
  }
}

/** Environment for non-interactive runs; the caller's own settings (CLI config, caches) are kept. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra };
}

export function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = terraformEnv()): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new Error(`cannot run terraform (${e.message}); install the Terraform CLI (>= 1.10) and put it on PATH`)));
    child.on("close", (code) => {
      const run = { code: code ?? 1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
      if (run.code === 0) resolve(run);
      else reject(new TerraformError(args, cwd, run));
    });
  });
}

export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly seconds: number;
  /** Path of the plan as JSON (`terraform show -json`). */
  readonly planJson: string;
}

interface PlanJson {
  resource_changes?: { change: { actions: string[] } }[];
}

/** Counts the actions of a `terraform show -json` plan. */
export function countActions(plan: PlanJson): { add: number; change: number; destroy: number } {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions;
    if (a.includes("create")) add++;
    if (a.includes("update")) change++;
    if (a.includes("delete")) destroy++;
  }
  return { add, change, destroy };
}

/**
 * init, validate (unless `options.validate` is false) and plan one stack directory, and write
 * the plan as JSON to `planJson`.
 * `-refresh=false` is not used: with an empty state there is nothing to refresh, and with
 * a real state the plan must see drift.
 */
export async function initValidatePlan(
  stack: string,
  stackDir: string,
  planJson: string,
  env = terraformEnv(),
  options: { readonly validate?: boolean } = {},
): Promise<PlanSummary> {
  const started = Date.now();
  await terraform(["init", "-input=false", "-no-color"], stackDir, env);
  // `terraform plan` validates too; the separate step gives validate's own diagnostics first.
  if (options.validate ?? true) await terraform(["validate", "-no-color"], stackDir, env);
  await terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"], stackDir, env);
  const shown = await terraform(["show", "-json", "tfplan"], stackDir, env);
  fs.mkdirSync(path.dirname(planJson), { recursive: true });
  fs.writeFileSync(planJson, shown.stdout);
  const counts = countActions(JSON.parse(shown.stdout) as PlanJson);
  return { stack, ...counts, seconds: (Date.now() - started) / 1000, planJson };
}

export function formatSummary(s: PlanSummary): string {
  return `${s.stack}: valid; plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy (${s.seconds.toFixed(1)} s) -> ${s.planJson}`;
}
