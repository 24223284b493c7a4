/**
 * `npm run sandbox`: every configured stack applied to a local AWS emulator, then destroyed.
 *
 *   npm run sandbox                      all configured stacks (STACK_CONFIG is honoured)
 *   npm run sandbox -- --stack web       one stack (repeat, or comma-separate, for more)
 *   npm run sandbox -- --keep            leave the emulator and the stacks up until Ctrl-C
 *   npm run sandbox -- --outdir DIR      synthesize into DIR instead of cdktf.out.sandbox/
 *
 * Starts the emulator, synthesizes in sandbox mode, and takes every stack on its own way, the
 * stacks side by side (sandbox/lifecycle.ts): terraform init + apply, its outputs printed (the
 * recovery model's included), its rehearsals, its destroy, and the emulator asked by tag that
 * nothing of it remains; then stops the emulator; one line per step with its time. The report, plan-review/sandbox.md, lists per stack what was applied, what rests on a
 * stand-in or was left out (with the API the emulator lacks) and what was destroyed.
 *
 * `run(argv, env, io)` (lib/cli.ts) reads STACK_CONFIG and INIT_CWD from `env` and writes through
 * `io`; Terraform and the emulator get this process's environment (sandbox/sandbox.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../config/load";
import { STACK_IDS, StackId } from "../config/schema";
import { CliIo, runIfEntryPoint } from "../lib/cli";
import { PROJECT_ROOT } from "../lib/python-tools";
import { ValidationError, formatProblem } from "../lib/validation";
import { StackLifecycle, runStacks } from "../sandbox/lifecycle";
import { renderReport, StackRun } from "../sandbox/report";
import { passed } from "../sandbox/rehearsals/rehearsal";
import { AppliedStack, Sandbox } from "../sandbox/sandbox";

interface SandboxArgs {
  readonly stacks?: StackId[];
  readonly keep: boolean;
  readonly outdir?: string;
}

function parseArgs(argv: readonly string[], from: string): SandboxArgs {
  const stacks: string[] = [];
  let keep = false;
  let outdir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--keep") keep = true;
    else if (arg === "--outdir" && argv[i + 1]) outdir = path.resolve(from, argv[++i]);
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

const shown = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** What `--keep` prints once the stacks are up: how to point the aws CLI and Terraform at the emulator, and how to stop it. */
function keepLines(sandbox: Sandbox, stack: StackId, io: CliIo): string[] {
  const exports = {
    AWS_ENDPOINT_URL: sandbox.endpoint,
    SANDBOX_ENDPOINT: sandbox.endpoint,
    AWS_ACCESS_KEY_ID: "sandbox-emulator-not-a-key",
    AWS_SECRET_ACCESS_KEY: "sandbox-emulator-not-a-secret",
    AWS_REGION: sandbox.config.region,
  };
  return [
    ...Object.entries(exports).map(([k, v]) => `  export ${k}=${v}`),
    `  aws ec2 describe-instances            # the aws CLI goes to the emulator`,
    `  cd ${path.relative(io.cwd, sandbox.stackDir(stack))} && terraform plan   # Terraform too`,
    `Stop it with Ctrl-C here (or kill ${process.pid}): the emulator and everything in it are gone then.`,
  ];
}

async function sandboxRun(args: SandboxArgs, env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const started = Date.now();
  const line = (text: string) => io.stdout.write(`${text}\n`);
  const step = (text: string) => line(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${text}`);
  const config = loadConfig(env, io.cwd);
  const stacks = args.stacks ?? config.stacks;
  const outdir = args.outdir ?? path.join(PROJECT_ROOT, "cdktf.out.sandbox");
  if (!args.outdir) fs.rmSync(outdir, { recursive: true, force: true });
  const sandbox = await Sandbox.start({ config, stacks, outdir });
  step(
    `emulator ready at ${sandbox.endpoint} (pid ${sandbox.emulator.pid}); synthesized ${stacks.join(", ")} in sandbox mode into ${path.relative(io.cwd, outdir)}`,
  );
  if (sandbox.certificateArn) step(`web.certificateArn unset: requested ${sandbox.certificateArn} from the emulator's ACM for the HTTPS variant`);
  let results: StackLifecycle[];
  try {
    results = await runStacks(sandbox, {
      keep: args.keep,
      hooks: {
        applied: (a: AppliedStack) => {
          step(
            `${a.stack}: applied ${a.applied.length + a.standIn.length}/${a.resources.length} resources (${a.standIn.length} on a stand-in, ${a.leftOut.length} left out) in ${a.seconds.toFixed(1)} s`,
          );
          line(
            `${a.stack} outputs:\n${Object.entries(a.outputs)
              .map(([name, value]) => `  ${name} = ${shown(value)}`)
              .join("\n")}`,
          );
        },
        done: (r) => {
          if (r.failed) step(`${r.stack}: ${r.failed.step} failed: ${r.failed.message}`);
          else if (r.destroyed) {
            const remaining = r.remaining ?? [];
            step(
              `${r.stack}: destroyed in ${r.destroyed.seconds.toFixed(1)} s${r.destroyed.turnedOff.length ? ` (${r.destroyed.turnedOff.join(", ")} set to false and applied first, as the README orders)` : ""}; ${remaining.length === 0 ? "nothing of it remains (asked by tag)" : `still there: ${remaining.join(", ")}`}`,
            );
          }
        },
        rehearsed: (r) =>
          step(
            `${r.stack}: rehearsal "${r.name}" ${passed(r) ? "passed" : "FAILED"} (${r.checks.filter((c) => c.ok).length}/${r.checks.length} checks) in ${r.seconds.toFixed(1)} s`,
          ),
      },
    });
    if (args.keep) {
      step("--keep: the emulator and the stacks stay up while this runs; in another shell:");
      for (const l of keepLines(sandbox, stacks[0], io)) line(l);
      // The emulator's process is unref'd (it must never keep a finished program alive), so a
      // timer keeps this one running until the signal.
      // The listeners stay until the end: lib/emulator.ts stops the emulator on the signal and
      // raises it again, which this program then decides (it stops and exits 0, as on success).
      const alive = setInterval(() => undefined, 60_000);
      await new Promise<void>((resolve) => process.on("SIGINT", resolve).on("SIGTERM", resolve));
      clearInterval(alive);
      return 0;
    }
  } finally {
    await sandbox.stop();
    step("emulator stopped");
  }
  const runs: StackRun[] = results.flatMap((r) =>
    r.applied
      ? [
          {
            applied: r.applied,
            ...(r.destroyed ? { destroySeconds: r.destroyed.seconds, turnedOff: r.destroyed.turnedOff, remaining: [...(r.remaining ?? [])] } : {}),
          },
        ]
      : [],
  );
  const rehearsals = results.flatMap((r) => r.rehearsals);
  const report = path.join(PROJECT_ROOT, "plan-review", "sandbox.md");
  fs.mkdirSync(path.dirname(report), { recursive: true });
  fs.writeFileSync(report, renderReport(runs, stacks, rehearsals));
  step(`report: ${path.relative(io.cwd, report)}`);
  const failed = results.some((r) => r.failed || (r.remaining?.length ?? 0) > 0) || !rehearsals.every(passed);
  return failed ? 1 : 0;
}

/** Exit 0 when every stack applied, rehearsed and destroyed clean; 1 when one did not (or the run failed); 2 for bad arguments or configuration. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    return await sandboxRun(parseArgs(argv, env.INIT_CWD ?? io.cwd), env, io);
  } catch (e) {
    const message = e instanceof ValidationError ? e.problems.map(formatProblem).join("; ") : (e as Error).message;
    io.stderr.write(`npm run sandbox: ${message}\n`);
    return e instanceof ValidationError ? 2 : 1;
  }
}

runIfEntryPoint(module, __filename, run);
