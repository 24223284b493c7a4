/**
 * `npm run review`: the plan review (see review/index.ts).
 *
 *   node dist/scripts/review.js
 *       every stack of cdktf.out/manifest.json with its plan-review/<stack>.plan.json (as left
 *       by `npm run plan`): plan-review/<stack>.md, <stack>.svg and README.md
 *   node dist/scripts/review.js --plan plan.json --stack web [--synth cdktf.out/stacks/web/cdk.tf.json]
 *       one plan JSON from anywhere, e.g. a real account (`terraform show -json tfplan > plan.json`):
 *       plan-review/web.md and web.svg; --synth adds the suppressions recorded in the configuration
 *   --dir <dir>   the folder `npm run plan` saved the plans in, where the review is written
 *                 (default plan-review)
 *
 * Exits 1 when a security check finds an unsuppressed error (after writing every file).
 */
import { STACK_IDS } from "../config/schema";
import { WrittenStack, reviewLines, writeReview, writeStackReview } from "../review";
import { manifestInputs, planInput } from "../review/inputs";

const USAGE = "usage: review.js [--dir <dir>] | review.js --plan <plan.json> --stack <name> [--synth <cdk.tf.json>] [--dir <dir>]";

function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!["--plan", "--stack", "--synth", "--dir"].includes(flag) || value === undefined || value.startsWith("--")) {
      throw new Error(`unexpected argument ${JSON.stringify(flag)}\n${USAGE}`);
    }
    out[flag.slice(2)] = value;
  }
  if ((out.plan === undefined) !== (out.stack === undefined)) throw new Error(`--plan and --stack go together\n${USAGE}`);
  if (out.synth !== undefined && out.plan === undefined) throw new Error(`--synth needs --plan\n${USAGE}`);
  return out;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.dir ?? "plan-review";
  let stacks: WrittenStack[];
  let readme: string | undefined;
  let removed: string[] = [];
  if (args.plan) {
    if (!(STACK_IDS as readonly string[]).includes(args.stack))
      console.error(`note: ${args.stack} is not one of this project's stacks (${STACK_IDS.join(", ")})`);
    stacks = [await writeStackReview(dir, planInput(args.stack, args.plan, args.synth))];
  } else {
    ({ stacks, readme, removed } = await writeReview(dir, manifestInputs(process.env.CDKTF_OUTDIR ?? "cdktf.out", dir)));
  }
  for (const line of reviewLines(stacks, readme, removed)) console.log(line);
  return stacks.some((s) => s.openErrors.length > 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
