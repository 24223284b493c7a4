/**
 * `npm run review`: the plan review (see review/index.ts).
 *
 *   npm run review
 *       every stack of cdktf.out/manifest.json with its plan-review/<stack>.plan.json (as left
 *       by `npm run plan`): plan-review/<stack>.md, <stack>.svg and README.md
 *   npm run review -- --plan plan.json --stack web [--synth cdktf.out/stacks/web/cdk.tf.json]
 *       one plan JSON from anywhere, e.g. a real account (`terraform show -json tfplan > plan.json`):
 *       plan-review/web.md and web.svg; --synth adds the suppressions recorded in the configuration
 *   --dir <dir>   the folder `npm run plan` saved the plans in, where the review is written
 *                 (default plan-review)
 *   --measurements <file>   measured times that replace the model's priors (model/measurements.ts),
 *                 e.g. the .measurements.json a game day wrote; repeat it to pool several runs' samples
 *
 * Exits 1 when a security check finds an unsuppressed error (after writing every file).
 */
import * as fs from "fs";
import { STACK_IDS } from "../config/schema";
import { CliIo, cliPath, runIfEntryPoint } from "../lib/cli";
import { AssumptionOverrides, mergeMeasurements } from "../model";
import { WrittenStack, reviewLines, writeReview, writeStackReview } from "../review";
import { manifestInputs, planInput } from "../review/inputs";

const USAGE =
  "usage: review.js [--dir <dir>] [--measurements <file>]... | review.js --plan <plan.json> --stack <name> [--synth <cdk.tf.json>] [--dir <dir>] [--measurements <file>]...";

interface Args {
  readonly plan?: string;
  readonly stack?: string;
  readonly synth?: string;
  readonly dir?: string;
  readonly measurements: string[];
}

function parseArgs(argv: readonly string[]): Args {
  const out: { -readonly [K in keyof Args]: Args[K] } = { measurements: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!["--plan", "--stack", "--synth", "--dir", "--measurements"].includes(flag) || value === undefined || value.startsWith("--")) {
      throw new Error(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
    if (flag === "--measurements") out.measurements.push(value);
    else out[flag.slice(2) as "plan" | "stack" | "synth" | "dir"] = value;
  }
  if ((out.plan === undefined) !== (out.stack === undefined)) throw new Error(`--plan and --stack go together\n${USAGE}`);
  if (out.synth !== undefined && out.plan === undefined) throw new Error(`--synth needs --plan\n${USAGE}`);
  return out;
}

/** The priors the measurements files replace; none without files. */
function measuredAssumptions(files: readonly string[], io: CliIo): AssumptionOverrides | undefined {
  if (files.length === 0) return undefined;
  const texts = files.map((file) => {
    try {
      return { file, text: fs.readFileSync(cliPath(io, file), "utf8") };
    } catch {
      throw new Error(`--measurements ${file}: cannot read the file; give the .measurements.json a game day wrote (npm run gameday)`);
    }
  });
  const merged = mergeMeasurements(texts);
  io.stdout.write(`priors replaced by measurements (${files.join(", ")}): ${Object.keys(merged).join(", ") || "none"}\n`);
  return merged;
}

/** The review; a bad argument or input file prints its message (no stack trace) and exits 1. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    return await review(argv, env, io);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

async function review(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  const at = (file: string) => cliPath(io, file);
  const dir = at(args.dir ?? "plan-review");
  const assumptions = measuredAssumptions(args.measurements, io);
  let stacks: WrittenStack[];
  let readme: string | undefined;
  let removed: string[] = [];
  if (args.plan !== undefined && args.stack !== undefined) {
    if (!(STACK_IDS as readonly string[]).includes(args.stack))
      io.stderr.write(`note: ${args.stack} is not one of this project's stacks (${STACK_IDS.join(", ")})\n`);
    stacks = [await writeStackReview(dir, planInput(args.stack, at(args.plan), args.synth === undefined ? undefined : at(args.synth)), assumptions)];
  } else {
    ({ stacks, readme, removed } = await writeReview(dir, manifestInputs(at(env.CDKTF_OUTDIR ?? "cdktf.out"), dir), assumptions));
  }
  for (const line of reviewLines(stacks, readme, removed)) io.stdout.write(`${line}\n`);
  return stacks.some((s) => s.openErrors.length > 0) ? 1 : 0;
}

runIfEntryPoint(module, __filename, run);
