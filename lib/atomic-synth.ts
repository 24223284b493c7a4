/**
 * Synthesizes into a staging directory beside the output folder and moves the result in only
 * when every stack was built: a failed synth (invalid configuration, a construct's
 * validation) leaves the output folder as it was. Moving file by file keeps each stack's
 * `.terraform/` and lock file, so the next `terraform init` has nothing to do.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Problem, ValidationError } from "./validation";

export interface SynthResult {
  readonly outdir: string;
  /** Stack directories that were written. */
  readonly stackDirs: Readonly<Record<string, string>>;
}

/**
 * Calls `build` with a fresh App; each builder that throws a ValidationError adds its
 * problems, and any problem cancels the whole synth.
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
    app.synth();
    return publish(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function publish(staging: string, outdir: string): SynthResult {
  const stackDirs: Record<string, string> = {};
  const stagedStacks = path.join(staging, "stacks");
  for (const stack of fs.existsSync(stagedStacks) ? fs.readdirSync(stagedStacks) : []) {
    const target = path.join(outdir, "stacks", stack);
    fs.mkdirSync(target, { recursive: true });
    for (const entry of fs.readdirSync(path.join(stagedStacks, stack))) {
      fs.rmSync(path.join(target, entry), { recursive: true, force: true });
      fs.renameSync(path.join(stagedStacks, stack, entry), path.join(target, entry));
    }
    stackDirs[stack] = target;
  }
  fs.renameSync(path.join(staging, "manifest.json"), path.join(outdir, "manifest.json"));
  return { outdir, stackDirs };
}
