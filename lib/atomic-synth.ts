/**
 * Synthesizes into a staging directory beside the output folder and publishes the result
 * only when every stack was built and passed the analysis at synth (lib/synth-analysis.ts, which
 * adds the recovery model's outputs and runs the security checks): a failed synth (invalid
 * configuration, a construct's validation, a security error) leaves the output folder as it was.
 *
 * Publishing replaces each stack directory whole: whatever an earlier synth or a Terraform
 * run left there goes (a `cdk.tf.json` beside a new `cdk.tf`, a saved plan of an older
 * configuration), except what Terraform made and needs ({@link isTerraformOwned}): the
 * working directory `.terraform/` and the lock file, so the next `terraform init` has
 * nothing to do, and any state. Stack directories of stacks no longer configured are removed,
 * but never one that holds state: then nothing is published and the synth says what to do.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { analyzeStack } from "./synth-analysis";
import { Problem, ValidationError } from "./validation";

export interface SynthResult {
  readonly outdir: string;
  /** Stack directories that were written. */
  readonly stackDirs: Readonly<Record<string, string>>;
  /** Stacks no longer configured whose directories were removed, each with what the operator should know. */
  readonly removed: readonly RemovedStack[];
  /** What the analysis at synth noted (lib/synth-analysis.ts): the security checks' warnings and unknown verdicts, for stderr. */
  readonly notes: readonly string[];
}

export interface RemovedStack {
  readonly stack: string;
  readonly dir: string;
  /**
   * The state file the removed configuration named (a local backend) when it still tracks
   * resources: they keep running, and only a destroy of the stack removes them.
   */
  readonly liveState?: { readonly file: string; readonly resources: number };
}

/** The working directory Terraform keeps (providers, modules, backend settings) and its lock file. */
const WORKING_FILES = new Set([".terraform", ".terraform.lock.hcl"]);

/**
 * State Terraform may keep in a stack directory: a local state file and its backup, the
 * workspaces of a local backend (`terraform.tfstate.d/`), the `errored.tfstate` it writes when
 * it cannot save state, and lock files (`.terraform.tfstate.lock.info`).
 */
const STATE_ENTRY = /\.tfstate(\.[^/]*)?$/;

/** Whether a stack directory's entry was made by Terraform and must outlive a re-synth. */
export function isTerraformOwned(entry: string): boolean {
  return WORKING_FILES.has(entry) || STATE_ENTRY.test(entry);
}

/** The entries of a stack directory that hold Terraform state. */
export function stateEntries(stackDir: string): string[] {
  return fs.existsSync(stackDir)
    ? fs
        .readdirSync(stackDir)
        .filter((e) => STATE_ENTRY.test(e))
        .sort()
    : [];
}

/**
 * Calls each builder with one fresh App; each builder that throws a ValidationError adds its
 * problems, and any problem cancels the whole synth, as does a security error of the analysis.
 */
export function synthesizeAtomically(outdir: string, builders: ReadonlyArray<(app: App) => void>): SynthResult {
  const parent = path.dirname(path.resolve(outdir));
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(outdir)}-staging-`));
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const problems: Problem[] = [];
    for (const build of builders) {
      try {
        build(app);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        problems.push(...e.problems);
      }
    }
    if (problems.length > 0) {
      const seen = new Set<string>();
      throw new ValidationError(problems.filter((p) => !seen.has(p.key + p.fix) && seen.add(p.key + p.fix)));
    }
    // The analysis hook (lib/synth-analysis.ts), on every stack's JSON before anything is written.
    const analyses = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map(analyzeStack);
    const failed = analyses.flatMap((a) => a.problems);
    if (failed.length > 0) throw new ValidationError(failed);
    app.synth();
    return { ...publish(staging, outdir), notes: analyses.flatMap((a) => a.notes) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function listDirs(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

function publish(staging: string, outdir: string): Omit<SynthResult, "notes"> {
  const stagedStacks = path.join(staging, "stacks");
  const staged = listDirs(stagedStacks);
  const stacksDir = path.join(outdir, "stacks");
  const orphans = listDirs(stacksDir).filter((s) => !staged.includes(s));

  // Checked before anything moves: a refused synth publishes nothing.
  const guarded = orphans.map((s) => [s, stateEntries(path.join(stacksDir, s))] as const).filter(([, state]) => state.length > 0);
  if (guarded.length > 0) {
    throw new ValidationError(
      guarded.map(([stack, state]) => ({
        key: "stacks",
        value: staged,
        fix:
          `no longer lists ${stack}, but ${path.join(stacksDir, stack)} holds Terraform state (${state.join(", ")}) that a synth would delete; ` +
          `destroy the stack first (list it again, then npx cdktf destroy ${stack}) or move that state out of ${outdir}, then synthesize again`,
      })),
    );
  }

  const removed = orphans.map((stack) => {
    const dir = path.join(stacksDir, stack);
    const liveState = trackedResources(dir);
    fs.rmSync(dir, { recursive: true, force: true });
    return { stack, dir, ...(liveState ? { liveState } : {}) };
  });

  const stackDirs: Record<string, string> = {};
  for (const stack of staged) {
    const target = path.join(stacksDir, stack);
    fs.mkdirSync(target, { recursive: true });
    for (const entry of fs.readdirSync(target)) {
      if (!isTerraformOwned(entry)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    }
    for (const entry of fs.readdirSync(path.join(stagedStacks, stack))) {
      fs.renameSync(path.join(stagedStacks, stack, entry), path.join(target, entry));
    }
    stackDirs[stack] = target;
  }
  fs.renameSync(path.join(staging, "manifest.json"), path.join(outdir, "manifest.json"));
  return { outdir, stackDirs, removed };
}

/**
 * The local state file a synthesized stack directory's configuration names, with the number
 * of resources it tracks, when that is more than none (read from `cdk.tf.json`; HCL output
 * and remote backends are not read).
 */
function trackedResources(stackDir: string): RemovedStack["liveState"] {
  try {
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as { terraform?: { backend?: { local?: { path?: string } } } };
    const statePath = tf.terraform?.backend?.local?.path;
    if (typeof statePath !== "string") return undefined;
    const file = path.resolve(stackDir, statePath);
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as { resources?: { mode?: string; instances?: unknown[] }[] };
    const resources = (state.resources ?? []).filter((r) => r.mode === "managed").reduce((n, r) => n + (r.instances?.length ?? 0), 0);
    return resources > 0 ? { file, resources } : undefined;
  } catch {
    return undefined;
  }
}

/** What synth says about the stack directories it removed (paths relative to `cwd`). */
export function removedStackLines(removed: readonly RemovedStack[], cwd: string = process.cwd()): string[] {
  return removed.map((r) => {
    const dir = path.relative(cwd, r.dir) || r.dir;
    const line = `removed ${dir}: ${r.stack} is no longer in stacks`;
    if (!r.liveState) return line;
    const file = path.relative(cwd, r.liveState.file) || r.liveState.file;
    return `${line}; WARNING: its state ${file} still tracks ${r.liveState.resources} resource(s), which keep running (and costing): list ${r.stack} in stacks again and run npx cdktf destroy ${r.stack} to remove them`;
  });
}
