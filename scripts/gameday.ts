/**
 * `npm run gameday -- --stack <stack> --experiment <key> [--yes] [--timeout <s>] [--dir <dir>] [--measurements <file>]...`:
 * runs one AWS FIS experiment of a deployed stack and checks the recovery model against it
 * (gameday/runner.ts), writing `<dir>/gameday-<stack>-<experiment>-<time>.md`, `.json` and
 * `.measurements.json` (default dir plan-review).
 *
 * Reads the stack's outputs with `terraform output -json` in `cdktf.out/stacks/<stack>` (as
 * `npx cdktf deploy` left it) and its synthesized `cdk.tf.json` there; runs in the region of the
 * configuration (`STACK_CONFIG`) with the SDK's usual credentials and endpoints. Asks before it
 * starts anything; `--yes` skips the question, and without a terminal it is required.
 * `--measurements`: measured priors for the model it compares with (as `npm run review` takes them).
 *
 * Exit codes: 0 pass; 1 fail, inconclusive, not confirmed, or the endpoint down before the fault;
 * 2 bad input (one line naming the key, the value and the fix), or refused (no --yes without a
 * terminal, credentials of another account). Ctrl-C stops the experiment and writes the report.
 */
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import { loadConfig } from "../config/load";
import { StackConfig } from "../config/schema";
import { findCredentialSources, missingCredentialsError } from "../lib/aws-credentials";
import { CliIo, cliPath, runIfEntryPoint } from "../lib/cli";
import { terraform, terraformEnv } from "../lib/terraform";
import { ValidationError, formatProblem } from "../lib/validation";
import { AssumptionOverrides, mergeMeasurements } from "../model";
import { sdkClients } from "../gameday/clients";
import { GamedayInputError, Outputs, checkStack, parseOutputs, readSynthesized, resolveTarget } from "../gameday/deployment";
import { probe } from "../gameday/probe";
import { RunOptions, abortableSleep, runGameday } from "../gameday/runner";

const USAGE = "usage: npm run gameday -- --stack <stack> --experiment <key> [--yes] [--timeout <seconds>] [--dir <dir>] [--measurements <file>]...";

export interface GamedayArgs {
  readonly stack?: string;
  readonly experiment?: string;
  readonly yes: boolean;
  readonly timeoutSeconds?: number;
  readonly dir: string;
  readonly measurements: readonly string[];
}

export function parseArgs(argv: readonly string[]): GamedayArgs {
  const out: { -readonly [K in keyof GamedayArgs]: GamedayArgs[K] } = { yes: false, dir: "plan-review", measurements: [] };
  const value = (i: number) => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new GamedayInputError(argv[i], "missing", "needs a value", USAGE);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--yes") out.yes = true;
    else if (flag === "--stack") out.stack = value(i++);
    else if (flag === "--experiment") out.experiment = value(i++);
    else if (flag === "--dir") out.dir = value(i++);
    else if (flag === "--measurements") out.measurements = [...out.measurements, value(i++)];
    else if (flag === "--timeout") {
      const v = value(i++);
      if (!/^\d+$/.test(v) || Number(v) < 1) throw new GamedayInputError("--timeout", v, "must be a whole number of seconds, 1 or more", "e.g. --timeout 900");
      out.timeoutSeconds = Number(v);
    } else throw new GamedayInputError("argument", flag, "unknown", USAGE);
  }
  return out;
}

/** The deployed stack's outputs, by `terraform output -json` in its directory. */
export async function terraformOutputs(stackDir: string, stack: string): Promise<Outputs> {
  try {
    return parseOutputs((await terraform(["output", "-json"], stackDir, terraformEnv())).stdout);
  } catch (e) {
    const first = (e as Error).message.split("\n").find((l) => l.trim() !== "" && !l.startsWith("terraform output")) ?? (e as Error).message;
    throw new GamedayInputError("--stack", stack, `cannot read its outputs in ${stackDir} (${first.trim()})`, `deploy it first: npx cdktf deploy ${stack}`);
  }
}

function measured(files: readonly string[]): AssumptionOverrides | undefined {
  if (files.length === 0) return undefined;
  return mergeMeasurements(
    files.map((file) => {
      try {
        return { file, text: fs.readFileSync(file, "utf8") };
      } catch {
        throw new GamedayInputError("--measurements", file, "cannot read the file", "give a .measurements.json an earlier game day wrote");
      }
    }),
  );
}

/** A yes/no question on the terminal; only "yes" is yes. */
function terminalConfirm(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  return new Promise((resolve) => {
    rl.question(`${question} Type yes to start: `, (answer) => {
      rl.close();
      resolve(answer.trim().toLowerCase() === "yes");
    });
  });
}

/** The game day; bad input prints one line and exits 2, nothing started. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let args: GamedayArgs;
  let config: StackConfig;
  let target;
  let assumptions: AssumptionOverrides | undefined;
  try {
    args = parseArgs(argv);
    config = loadConfig(env, io.cwd);
    const stack = checkStack(args.stack, config);
    assumptions = measured(args.measurements.map((f) => cliPath(io, f)));
    const stackDir = cliPath(io, path.join(env.CDKTF_OUTDIR ?? "cdktf.out", "stacks", stack));
    const synthesized = readSynthesized(stackDir, stack);
    target = resolveTarget({ stack, experiment: args.experiment, config, outputs: await terraformOutputs(stackDir, stack), synthesized, assumptions });
  } catch (e) {
    if (e instanceof GamedayInputError) {
      io.stderr.write(`${e.message}\n`);
      return 2;
    }
    if (e instanceof ValidationError) {
      io.stderr.write(`invalid configuration:\n${e.problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}\n`);
      return 2;
    }
    throw e;
  }
  const search = await findCredentialSources({ env });
  if (search.found.length === 0) {
    io.stderr.write(`${missingCredentialsError(search, "npm run gameday", true)}\n`);
    return 2;
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onInterrupt = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    io.stderr.write(
      "Ctrl-C: stopping the experiment and writing the report (Ctrl-C again to quit at once: then stop it yourself with aws fis stop-experiment)\n",
    );
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  try {
    const options: RunOptions = { yes: args.yes, timeoutSeconds: args.timeoutSeconds, outDir: cliPath(io, args.dir), assumptions };
    const result = await runGameday(target, options, {
      clients: await sdkClients({ region: config.region }),
      region: config.region,
      probe: (url) => probe(url),
      now: Date.now,
      sleep: abortableSleep,
      confirm: process.stdin.isTTY && process.stdout.isTTY ? terminalConfirm : undefined,
      interrupt: controller.signal,
      print: (l) => io.stdout.write(`${l}\n`),
    });
    return result.code;
  } finally {
    process.off("SIGINT", onInterrupt);
  }
}

runIfEntryPoint(module, __filename, run, (e, io) => io.stderr.write(`gameday failed: ${(e as Error).message}\n`));
