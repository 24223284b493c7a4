/**
 * Runs the Terraform CLI in a synthesized stack directory: init (only when its inputs changed),
 * plan, and the plan as JSON. Used by `npm run plan` and by the terraform-backed tests, so both exercise
 * the same steps.
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { endsWithThisProcess } from "./ends-with-process";

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

/**
 * Go's garbage collector target for Terraform and the provider it starts (which inherits
 * Terraform's environment): collect when the heap has grown 400 % over the live data instead of
 * Go's default 100 %. Most of a plan's CPU is the AWS provider building and sending its schema,
 * which allocates much and keeps little: on this project's stacks a plan and `show -json` take
 * about 28 % less CPU (9.6 s -> 6.9 s for the web stack) for about 150 MB more peak memory per
 * process. A `GOGC` of the caller's own is kept.
 * @see https://pkg.go.dev/runtime#hdr-Environment_Variables
 */
export const TERRAFORM_GOGC = "400";

/** Environment for non-interactive runs; the caller's own settings (CLI config, caches, `GOGC`) are kept. */
export function terraformEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { GOGC: TERRAFORM_GOGC, ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra };
}

/**
 * Each run is in a process group of its own, with the providers it starts, killed with this
 * process (lib/ends-with-process.ts: on exit, SIGINT, SIGTERM, SIGHUP). Without it a `kill` of
 * `npm run sandbox` left its `terraform apply` running against the stopped emulator for 10 to
 * 20 s, and a jest worker's timeout left its plans running. These runs never touch a real
 * account's resources (plans, and applies to the emulator's scratch state; `cdktf deploy` runs its own).
 */
export function terraform(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = terraformEnv()): Promise<TerraformRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const done = endsWithThisProcess(() => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => {
      done();
      reject(new Error(`cannot run terraform (${e.message}); install the Terraform CLI (>= 1.10) and put it on PATH`));
    });
    child.on("close", (code) => {
      done();
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

/** `terraform init` as every init here runs it. */
const INIT_ARGS = ["init", "-input=false", "-no-color"];

/** The file in `.terraform/` recording what the last `terraform init` of a stack directory was run on. */
const INIT_STAMP = "multiaz-ref-init.json";

/**
 * What `terraform init` depends on in a stack directory: the `terraform` block (required
 * providers, backend), the lock file, and where the provider mirror link points. While it is
 * unchanged and `.terraform/` holds the providers, a new init would do nothing.
 */
function initKey(stackDir: string): string {
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "");
  const tf = JSON.parse(read(path.join(stackDir, "cdk.tf.json")) || "{}") as { terraform?: unknown };
  const link = path.join(stackDir, "terraform.d", "plugins");
  const mirror = fs.existsSync(link) ? fs.readlinkSync(link) : "";
  return createHash("sha256")
    .update(JSON.stringify([tf.terraform ?? null, read(path.join(stackDir, ".terraform.lock.hcl")), mirror]))
    .digest("hex");
}

/** Whether the stack directory was initialised for what it holds now. */
function initialised(stackDir: string): boolean {
  const stamp = path.join(stackDir, ".terraform", INIT_STAMP);
  return fs.existsSync(path.join(stackDir, ".terraform", "providers")) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === initKey(stackDir);
}

/**
 * The provider package checksums of a dependency lock file taken out, the rest kept. Terraform
 * checks the package in `.terraform/providers` against the lock's checksums at the start of
 * every command that loads the configuration (plan, show, apply, destroy, output, validate): for
 * the AWS provider that is a SHA-256 over its 675 MB binary, about 0.5 CPU s a command (5.100.0,
 * 2026-12-03). A lock with no checksum for a provider is not checked. `terraform init` of a new
 * directory records the checksum of the very package it just installed from the mirror, so in a
 * directory that lives for one run (a scratch directory) the later checks compare that file with
 * itself; {@link initScratch} leaves them out. A directory that is kept, and a lock that is
 * committed, keep their checksums.
 * @see https://developer.hashicorp.com/terraform/language/files/dependency-lock#checksum-verification (what the checksums are; the check on every command is measured: a wrong checksum fails a plan, none is not checked)
 */
export function withoutChecksums(lock: string): string {
  return lock.replace(/^[ \t]*hashes[ \t]*=[ \t]*\[[^\]]*\][ \t]*\r?\n/gm, "");
}

/** Environment variable naming a folder where scratch inits are kept for reuse (the tests set one per run); else one per process. */
export const INIT_CACHE_ENV = "MULTIAZ_REF_INIT_CACHE";

let processInitCache: string | undefined;

/** The folder of reusable scratch inits: `MULTIAZ_REF_INIT_CACHE`, else this process's own, removed when it ends (on a signal too). */
function initCacheDir(env: NodeJS.ProcessEnv): string {
  const given = env[INIT_CACHE_ENV] ?? process.env[INIT_CACHE_ENV];
  if (given) return given;
  if (!processInitCache) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-init-"));
    endsWithThisProcess(() => fs.rmSync(dir, { recursive: true, force: true }));
    processInitCache = dir;
  }
  return processInitCache;
}

/**
 * What a scratch init's result depends on, or undefined when it is not reusable: the stack's
 * `terraform` block (required providers, backend), the providers its resources, data sources and
 * provider blocks name, where the mirror link points, and the CLI configuration and plugin cache
 * Terraform is given. Only for a directory whose configuration is cdktf's one `cdk.tf.json` with
 * no modules.
 */
function scratchInitKey(stackDir: string, env: NodeJS.ProcessEnv): string | undefined {
  const configs = fs.readdirSync(stackDir).filter((f) => /\.tf(\.json)?$/.test(f));
  if (configs.length !== 1 || configs[0] !== "cdk.tf.json") return undefined;
  const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as Record<string, Record<string, unknown> | undefined>;
  if (tf.module) return undefined;
  const types = [...Object.keys(tf.resource ?? {}), ...Object.keys(tf.data ?? {})];
  const localNames = [...new Set([...types.map((type) => type.split("_")[0]), ...Object.keys(tf.provider ?? {})])].sort();
  const link = path.join(stackDir, "terraform.d", "plugins");
  const mirror = fs.existsSync(link) ? fs.readlinkSync(link) : "";
  return createHash("sha256")
    .update(JSON.stringify([tf.terraform ?? null, localNames, mirror, env.TF_CLI_CONFIG_FILE ?? null, env.TF_PLUGIN_CACHE_DIR ?? null]))
    .digest("hex");
}

/** Whether every installed provider in `.terraform/providers` is a link (to the mirror), so a copy of the folder is small. */
function providersAreLinks(dotTerraform: string): boolean {
  // <host>/<namespace>/<type>/<version>/<os_arch>; anything else there is not what a copy is sure of.
  try {
    let level = [path.join(dotTerraform, "providers")];
    for (let depth = 0; depth < 4; depth++) level = level.flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n)));
    const packages = level.flatMap((d) => fs.readdirSync(d).map((n) => path.join(d, n)));
    return packages.length > 0 && packages.every((p) => fs.lstatSync(p).isSymbolicLink());
  } catch {
    return false;
  }
}

const initsInFlight = new Map<string, Promise<void>>();

/**
 * `terraform init` of a stack directory that lives for one run only (a test's, the scan's, the
 * sandbox's), then its lock without checksums (see {@link withoutChecksums}).
 *
 * The result is kept (`.terraform/` and the lock, see {@link initCacheDir}) and copied into the
 * next scratch directory whose init depends on the same things ({@link scratchInitKey}): a
 * stack's directories differ in their resources, not in what init reads. An init links the
 * mirror's provider into `.terraform/providers` and records the backend in
 * `.terraform/terraform.tfstate`, and it reads the whole 675 MB provider to record its checksum,
 * about 1.4 CPU s and 1.5 s (2 cores, 2026-12-04); the copy is two small files and a link. A
 * provider installed as files, not as a link, is not kept.
 */
export async function initScratch(stackDir: string, env: NodeJS.ProcessEnv = terraformEnv()): Promise<void> {
  const key = scratchInitKey(stackDir, env);
  const kept = key && path.join(initCacheDir(env), key);
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    fs.cpSync(path.join(from, ".terraform"), path.join(to, ".terraform"), { recursive: true, verbatimSymlinks: true });
    fs.copyFileSync(path.join(from, ".terraform.lock.hcl"), path.join(to, ".terraform.lock.hcl"));
  };
  if (kept && initsInFlight.has(kept)) await initsInFlight.get(kept)!.catch(() => undefined);
  if (kept && fs.existsSync(path.join(kept, ".terraform.lock.hcl"))) return copy(kept, stackDir);

  const run = (async () => {
    await terraform(INIT_ARGS, stackDir, env);
    const lock = path.join(stackDir, ".terraform.lock.hcl");
    if (!fs.existsSync(lock)) return;
    fs.writeFileSync(lock, withoutChecksums(fs.readFileSync(lock, "utf8")));
    if (!kept || !providersAreLinks(path.join(stackDir, ".terraform"))) return;
    // Written aside, then renamed: another process may be keeping the same init at once.
    const aside = `${kept}.${process.pid}.${Date.now()}`;
    copy(stackDir, aside);
    try {
      fs.renameSync(aside, kept);
    } catch {
      fs.rmSync(aside, { recursive: true, force: true });
    }
  })();
  if (kept) initsInFlight.set(kept, run);
  try {
    await run;
  } finally {
    if (kept && initsInFlight.get(kept) === run) initsInFlight.delete(kept);
  }
}

/**
 * `terraform init`, unless the directory is already initialised for its configuration (see
 * {@link initialised}); `onRun` is called when it does run. A `scratch` directory's lock loses
 * its checksums ({@link initScratch}).
 */
async function init(stackDir: string, env: NodeJS.ProcessEnv, scratch: boolean, onRun: () => void): Promise<void> {
  if (initialised(stackDir)) return;
  onRun();
  if (scratch) await initScratch(stackDir, env);
  else await terraform(INIT_ARGS, stackDir, env);
  fs.writeFileSync(path.join(stackDir, ".terraform", INIT_STAMP), initKey(stackDir));
}

/** The steps of {@link planStack}, reported as each starts. */
export type PlanStep = "init" | "plan" | "show";

export interface PlanOptions {
  /** Called as each step starts (`init` only when it runs). */
  readonly onStep?: (step: PlanStep) => void;
  /**
   * The directory lives for this run only: its lock is written without provider checksums,
   * which the later commands then do not check again ({@link withoutChecksums}).
   * @default false - the lock keeps its checksums (`npm run plan`'s kept stack directories)
   */
  readonly scratch?: boolean;
}

/** `terraform plan` as every plan here runs it: the plan saved to `tfplan` in the working directory. */
export const PLAN_ARGS: readonly string[] = ["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"];

/** The saved plan as JSON, on stdout. */
export const SHOW_ARGS: readonly string[] = ["show", "-json", "tfplan"];

/**
 * init (when needed, see {@link init}), plan and show one stack directory, and write the plan
 * as JSON to `planJson`. No `terraform validate`: the plan validates the configuration with the
 * same diagnostics, and a validate would cost one more start of the provider for nothing new.
 * `-refresh=false` is not used: with an empty state there is nothing to refresh, and with
 * a real state the plan must see drift.
 */
export async function planStack(stack: string, stackDir: string, planJson: string, env = terraformEnv(), options: PlanOptions = {}): Promise<PlanSummary> {
  const started = Date.now();
  const step = options.onStep ?? (() => undefined);
  await init(stackDir, env, options.scratch ?? false, () => step("init"));
  step("plan");
  await terraform(PLAN_ARGS, stackDir, env);
  step("show");
  const shown = await terraform(SHOW_ARGS, stackDir, env);
  fs.mkdirSync(path.dirname(planJson), { recursive: true });
  fs.writeFileSync(planJson, shown.stdout);
  const counts = countActions(JSON.parse(shown.stdout) as PlanJson);
  return { stack, ...counts, seconds: (Date.now() - started) / 1000, planJson };
}

export function formatSummary(s: PlanSummary): string {
  return `${s.stack}: valid; plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy (${s.seconds.toFixed(1)} s) -> ${s.planJson}`;
}
