/**
 * `npm run sandbox`: every configured stack applied to a local AWS emulator, then destroyed.
 *
 *   npm run sandbox                      all configured stacks (STACK_CONFIG is honoured)
 *   npm run sandbox -- --stack web       one stack (repeat, or comma-separate, for more)
 *   npm run sandbox -- --keep            leave the emulator and the stacks up until Ctrl-C
 *   npm run sandbox -- --outdir DIR      synthesize into DIR instead of cdktf.out.sandbox/
 *
 * Starts the emulator, synthesizes in sandbox mode, runs terraform init + apply per stack (in
 * parallel), prints the outputs (the recovery model's included), destroys, asks the emulator
 * by tag that nothing of the stacks remains, and stops the emulator; one line per step with its
 * time. The report, plan-review/sandbox.md, lists per stack what was applied, what rests on a
 * stand-in or was left out (with the API the emulator lacks) and what was destroyed.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load";
import { STACK_IDS, StackId } from "../config/schema";
import { PROJECT_ROOT } from "../lib/python-tools";
import { ValidationError, formatProblem } from "../lib/validation";
import { AppliedStack, Sandbox } from "../sandbox/sandbox";
import { renderReport, StackRun } from "../sandbox/report";
import { rehearseStack } from "../sandbox/rehearsals";
import { RehearsalResult, passed } from "../sandbox/rehearsals/rehearsal";

const started = Date.now();
function step(line: string): void {
  process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

function parseArgs(argv: readonly string[]): { stacks?: StackId[]; keep: boolean; outdir?: string } {
  const stacks: string[] = [];
  let keep = false;
  let outdir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--keep") keep = true;
    else if (arg === "--outdir" && argv[i + 1]) outdir = path.resolve(process.env.INIT_CWD ?? process.cwd(), argv[++i]);
    else if (arg === "--stack") stacks.push(...(argv[++i] ?? "").split(","));
    else if (arg.startsWith("--stack=")) stacks.push(...arg.slice("--stack=".length).split(","));
    else throw new ValidationError([{ key: arg, value: arg, fix: "unknown option: use --stack <name>[,<name>], --keep and --outdir <dir>" }]);
  }
  const unknown = stacks.filter((s) => !(STACK_IDS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new ValidationError(unknown.map((s) => ({ key: "--stack", value: s, fix: `must be one of ${STACK_IDS.join(", ")}` })));
  // Only the default folder is emptied first: a folder named with --outdir must be new or empty.
  if (outdir && fs.existsSync(outdir) && fs.readdirSync(outdir).length > 0) {
    throw new ValidationError([
      { key: "--outdir", value: outdir, fix: "must name a new or empty folder: the sandbox writes its synth and scratch state there" },
    ]);
  }
  return { stacks: stacks.length > 0 ? (stacks as StackId[]) : undefined, keep, outdir };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const stacks = args.stacks ?? config.stacks;
  const outdir = args.outdir ?? path.join(PROJECT_ROOT, "cdktf.out.sandbox");
  if (!args.outdir) fs.rmSync(outdir, { recursive: true, force: true });
  const sandbox = await Sandbox.start({ config, stacks, outdir });
  step(
    `emulator ready at ${sandbox.endpoint} (pid ${sandbox.emulator.pid}); synthesized ${stacks.join(", ")} in sandbox mode into ${path.relative(process.cwd(), outdir)}`,
  );
  if (sandbox.certificateArn) step(`web.certificateArn unset: requested ${sandbox.certificateArn} from the emulator's ACM for the HTTPS variant`);
  const runs: StackRun[] = [];
  const rehearsals: RehearsalResult[] = [];
  let failed = false;
  try {
    const applied = await Promise.all(
      stacks.map(async (stack) => {
        try {
          const a = await sandbox.apply(stack);
          step(
            `${stack}: applied ${a.applied.length + a.standIn.length}/${a.resources.length} resources (${a.standIn.length} on a stand-in, ${a.leftOut.length} left out) in ${a.seconds.toFixed(1)} s`,
          );
          return a;
        } catch (e) {
          failed = true;
          step(`${stack}: apply failed: ${(e as Error).message}`);
          return undefined;
        }
      }),
    );
    for (const a of applied.filter((x): x is AppliedStack => x !== undefined)) {
      process.stdout.write(`\n${a.stack} outputs:\n`);
      for (const [name, value] of Object.entries(a.outputs)) process.stdout.write(`  ${name} = ${typeof value === "string" ? value : JSON.stringify(value)}\n`);
    }
    process.stdout.write("\n");
    const rehearsed = await Promise.all(
      applied
        .filter((x): x is AppliedStack => x !== undefined)
        .map(async (a) => {
          const results = await rehearseStack(sandbox, a);
          for (const r of results) {
            step(
              `${r.stack}: rehearsal "${r.name}" ${passed(r) ? "passed" : "FAILED"} (${r.checks.filter((c) => c.ok).length}/${r.checks.length} checks) in ${r.seconds.toFixed(1)} s`,
            );
            if (!passed(r)) failed = true;
          }
          return results;
        }),
    );
    rehearsals.push(...rehearsed.flat());
    if (args.keep) {
      step("--keep: the emulator and the stacks stay up while this runs; in another shell:");
      for (const [k, v] of Object.entries({
        AWS_ENDPOINT_URL: sandbox.endpoint,
        SANDBOX_ENDPOINT: sandbox.endpoint,
        AWS_ACCESS_KEY_ID: "sandbox-emulator-not-a-key",
        AWS_SECRET_ACCESS_KEY: "sandbox-emulator-not-a-secret",
        AWS_REGION: config.region,
      })) {
        process.stdout.write(`  export ${k}=${v}\n`);
      }
      process.stdout.write(`  aws ec2 describe-instances            # the aws CLI goes to the emulator\n`);
      process.stdout.write(`  cd ${path.relative(process.cwd(), sandbox.stackDir(stacks[0]))} && terraform plan   # Terraform too\n`);
      process.stdout.write(`Stop it with Ctrl-C here (or kill ${process.pid}): the emulator and everything in it are gone then.\n`);
      // The emulator's process is unref'd (it must never keep a finished program alive), so a
      // timer keeps this one running until the signal.
      // The listeners stay until the end: lib/emulator.ts stops the emulator on the signal and
      // raises it again, which this program then decides (it stops and exits 0, as on success).
      const alive = setInterval(() => undefined, 60_000);
      await new Promise<void>((resolve) => process.on("SIGINT", resolve).on("SIGTERM", resolve));
      clearInterval(alive);
      return 0;
    }
    for (const a of applied) if (a) runs.push({ applied: a });
    await Promise.all(
      runs.map(async (run) => {
        const stack = run.applied.stack;
        try {
          const destroyed = await sandbox.destroy(stack);
          run.destroySeconds = destroyed.seconds;
          run.turnedOff = destroyed.turnedOff;
          run.remaining = await sandbox.remaining(stack);
          step(
            `${stack}: destroyed in ${run.destroySeconds.toFixed(1)} s${run.turnedOff.length ? ` (${run.turnedOff.join(", ")} set to false and applied first, as the README orders)` : ""}; ${run.remaining.length === 0 ? "nothing of it remains (asked by tag)" : `still there: ${run.remaining.join(", ")}`}`,
          );
          if (run.remaining.length > 0) failed = true;
        } catch (e) {
          failed = true;
          step(`${stack}: destroy failed: ${(e as Error).message}`);
        }
      }),
    );
  } finally {
    await sandbox.stop();
    step("emulator stopped");
  }
  const report = path.join(PROJECT_ROOT, "plan-review", "sandbox.md");
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, renderReport(runs, stacks, rehearsals));
  step(`report: ${path.relative(process.cwd(), report)}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof ValidationError) {
      process.stderr.write(`npm run sandbox: ${e.problems.map(formatProblem).join("; ")}\n`);
      process.exit(2);
    }
    process.stderr.write(`npm run sandbox: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
