/**
 * `npm run bench`: how long the loops users live in take, each next to a baseline measured in
 * the same run, so the ratios hold on a loaded machine. Measurements take turns (one of each
 * per round), and each figure is the median of its rounds, with its peak RSS.
 *
 * - floor: `require("@cdktf/provider-aws")`, importing the provider through its package index,
 *   which every stock CDKTF program does before its first resource;
 * - edit -> synth: `npm run synth` right after a source file changed (esbuild rebuilds the
 *   project's part of the bundle, scripts/run.js), target at most 0.4x the floor;
 * - synth alone: the same with nothing changed, target at most 0.5 s;
 * - stock: the CDKTF template's way, `ts-node main.ts` (type-checking at every synth) with the
 *   index import, for the ratio.
 *
 * It reports whether each target is met; it never fails on a missed one (a loaded machine
 * misses absolute figures that an idle one meets): exit 1 only when a measured command fails.
 *
 * With `--sandbox` (`npm run bench -- --sandbox`): apply + destroy of each default stack against
 * the emulator (one stack at a time, on one emulator, its rehearsals between), next to
 * `terraform init` + `validate` of the same stack directory measured in the same run, and the
 * ratio; then the whole run as `npm run sandbox` does it (every default stack at once on a fresh
 * emulator: apply, rehearsals, destroy), against the goal of 3 minutes: met or missed, never a
 * failure (exit 1 only when a command fails).
 *
 * With `--tests` (`npm run bench -- --tests [jest path patterns...]`): the test suite's two tiers
 * next to one offline plan, see scripts/bench-tests.ts.
 *
 *   npm run bench -- [--rounds N] [--stock-rounds N]
 *   npm run bench -- --sandbox
 *   npm run bench -- --tests [patterns...]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliIo, runIfEntryPoint } from "../lib/cli";
import { PROJECT_ROOT } from "../lib/python-tools";
import { terraform } from "../lib/terraform";
import { Sandbox } from "../sandbox/sandbox";
import { rehearseStack } from "../sandbox/rehearsals";
import { passed } from "../sandbox/rehearsals/rehearsal";
import { testsBench } from "./bench-tests";

/** The source file an "edit" touches: any project file in the synth's bundle would do. */
const EDITED_FILE = path.join(PROJECT_ROOT, "modules", "web-stack.ts");
const EDIT_TO_SYNTH_MAX_RATIO = 0.4;
const SYNTH_ALONE_MAX_S = 0.5;

interface Sample {
  readonly wallS: number;
  readonly maxRssMb: number;
}

interface Measurement {
  readonly label: string;
  readonly nodeArgs: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Runs before each sample, outside the timing. */
  readonly before?: () => void;
  readonly samples: Sample[];
}

function arg(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} (${JSON.stringify(argv[i + 1])}): must be a whole number of rounds, at least 1`);
  return value;
}

function sample(m: Measurement, env: NodeJS.ProcessEnv): Sample {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  try {
    m.before?.();
    const probe = path.join(dir, "probe.json");
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", path.join(PROJECT_ROOT, "scripts", "bench-probe.js"), ...m.nodeArgs], {
      cwd: PROJECT_ROOT,
      // Offline: a real-mode synth of the defaults stops on their reserved zone (config/deploy-requirements.ts).
      env: { ...env, ...m.env, OFFLINE_PLAN: "1", CDKTF_OUTDIR: path.join(dir, "out"), BENCH_PROBE_FILE: probe, TF_PROVIDER_MIRROR: "none" },
      encoding: "utf8",
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) throw new Error(`${m.label} failed (exit ${run.status}):\n${run.stderr}`);
    const { maxRssMb } = JSON.parse(fs.readFileSync(probe, "utf8")) as { maxRssMb: number };
    return { wallS, maxRssMb };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summary(m: Measurement, log: (line: string) => void): Sample {
  const result = { wallS: median(m.samples.map((s) => s.wallS)), maxRssMb: median(m.samples.map((s) => s.maxRssMb)) };
  log(
    `${m.label.padEnd(52)} ${result.wallS.toFixed(2).padStart(6)} s   peak RSS ${result.maxRssMb.toFixed(0).padStart(4)} MB   ` +
      `(median of ${m.samples.length}: ${m.samples.map((s) => s.wallS.toFixed(2)).join(", ")} s)`,
  );
  return result;
}

function synthBench(argv: readonly string[], env: NodeJS.ProcessEnv, log: (line: string) => void): number {
  const rounds = arg(argv, "--rounds", 5);
  const stockRounds = arg(argv, "--stock-rounds", 2);
  const run = path.join(PROJECT_ROOT, "scripts", "run.js");
  const main = path.join(PROJECT_ROOT, "main.ts");
  const touch = () => fs.utimesSync(EDITED_FILE, new Date(), new Date());
  const floor: Measurement = { label: "floor: provider index import", nodeArgs: ["-e", "0"], env: { BENCH_INDEX_IMPORT: "1" }, samples: [] };
  const edit: Measurement = { label: "edit -> synth: npm run synth after an edit", nodeArgs: [run, main], before: touch, samples: [] };
  const alone: Measurement = { label: "synth alone: npm run synth, nothing changed", nodeArgs: [run, main], samples: [] };
  const stock: Measurement = {
    label: "stock: ts-node main.ts + provider index import",
    nodeArgs: ["-r", require.resolve("ts-node/register"), main],
    env: { BENCH_INDEX_IMPORT: "1", TS_NODE_PROJECT: path.join(PROJECT_ROOT, "tsconfig.json") },
    samples: [],
  };
  log(`synthesizing every stack; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}; ${rounds} rounds`);
  // A first synth outside the timing builds the vendor bundle (once per package-lock.json).
  sample({ ...alone, samples: [] }, env);
  for (let round = 0; round < rounds; round++) {
    for (const m of [floor, edit, alone, ...(round < stockRounds ? [stock] : [])]) m.samples.push(sample(m, env));
  }
  const [f, e, a, s] = [floor, edit, alone, stock].map((m) => summary(m, log));
  const checks: [string, boolean][] = [
    [`edit -> synth ${(e.wallS / f.wallS).toFixed(2)}x the floor (target at most ${EDIT_TO_SYNTH_MAX_RATIO}x)`, e.wallS / f.wallS <= EDIT_TO_SYNTH_MAX_RATIO],
    [`synth alone ${a.wallS.toFixed(2)} s, ${(a.wallS / f.wallS).toFixed(2)}x the floor (target at most ${SYNTH_ALONE_MAX_S} s)`, a.wallS <= SYNTH_ALONE_MAX_S],
  ];
  log(`stock / edit -> synth: ${(s.wallS / e.wallS).toFixed(1)}x the time, ${(s.maxRssMb / e.maxRssMb).toFixed(1)}x the memory`);
  for (const [text, ok] of checks) log(`${ok ? "met   " : "missed"} ${text}`);
  log(`load at the end ${os.loadavg()[0].toFixed(1)}: on a loaded machine the ratios hold better than the seconds`);
  return 0;
}

/** The issue's goal for the whole sandbox run of the default stacks: apply, rehearsals and destroy. */
const SANDBOX_RUN_GOAL_S = 180;

async function sandboxBench(log: (line: string) => void): Promise<number> {
  log(`sandbox: each default stack alone, then all at once; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`);
  let sandbox = await Sandbox.start();
  try {
    for (const stack of sandbox.stacks) {
      const dir = sandbox.stackDir(stack);
      const t0 = Date.now();
      await terraform(["init", "-input=false", "-no-color"], dir, sandbox.env());
      await terraform(["validate", "-no-color"], dir, sandbox.env());
      const baselineS = (Date.now() - t0) / 1000;
      const applied = await sandbox.apply(stack);
      const rehearsed = await rehearseStack(sandbox, applied);
      const rehearsalS = rehearsed.reduce((sum, r) => sum + r.seconds, 0);
      const destroyed = await sandbox.destroy(stack);
      const total = applied.seconds + destroyed.seconds;
      log(
        `${stack.padEnd(9)} apply ${applied.seconds.toFixed(1).padStart(6)} s + destroy ${destroyed.seconds.toFixed(1).padStart(6)} s = ${total.toFixed(1).padStart(6)} s   ` +
          `${(total / baselineS).toFixed(1)}x terraform init + validate of the stack (${baselineS.toFixed(1)} s); ` +
          `${rehearsed.length} rehearsal(s) ${rehearsalS.toFixed(1)} s, ${rehearsed.every(passed) ? "passed" : "FAILED"}`,
      );
    }
  } finally {
    await sandbox.stop();
  }
  // As `npm run sandbox` runs them: every stack at once on one emulator, apply, rehearsals, destroy.
  const t0 = Date.now();
  sandbox = await Sandbox.start();
  let ok = true;
  try {
    await Promise.all(
      sandbox.stacks.map(async (stack) => {
        const applied = await sandbox.apply(stack);
        ok = (await rehearseStack(sandbox, applied)).every(passed) && ok;
        await sandbox.destroy(stack);
      }),
    );
  } finally {
    await sandbox.stop();
  }
  const wallS = (Date.now() - t0) / 1000;
  log(`all of ${sandbox.stacks.join(", ")} at once: ${wallS.toFixed(1)} s (emulator start and synth included); rehearsals ${ok ? "passed" : "FAILED"}`);
  log(`${wallS <= SANDBOX_RUN_GOAL_S ? "met   " : "missed"} every default stack through apply, rehearsals and destroy in at most ${SANDBOX_RUN_GOAL_S} s`);
  log(`load at the end ${os.loadavg()[0].toFixed(1)}: on a loaded machine the ratios hold better than the seconds`);
  return 0;
}

/** `--sandbox` for the emulator figures, `--tests` for the test suite's, else the synth loop; exit 1 only when a measured command fails. */
export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const log = (line: string) => io.stdout.write(`${line}\n`);
  const mode = argv.includes("--sandbox") ? "--sandbox" : argv.includes("--tests") ? "--tests" : "";
  try {
    if (mode === "--sandbox") return await sandboxBench(log);
    if (mode === "--tests") return testsBench(argv.slice(argv.indexOf("--tests") + 1), log);
    return synthBench(argv, env, log);
  } catch (e) {
    io.stderr.write(`bench${mode ? ` ${mode}` : ""}: ${(e as Error).message}\n`);
    return 1;
  }
}

runIfEntryPoint(module, __filename, run);
