/**
 * `npm run bench -- --tests [jest path patterns...]`: the README's test suite in its two tiers,
 * each one jest run as CI runs it (`CI=true jest --json`): everything but the emulator tier, then
 * the emulator tier (tools/test-groups.js, the files jest starts first), next to one offline plan
 * of the web stack (`terraform plan` + `show -json`, the unit most of the first tier's Terraform
 * time is made of) measured in the same run. Printed: wall time, CPU seconds (jest and every
 * process it started), each tier as a ratio to the plan, and the goals (75 s for the
 * first tier, 3 minutes for the emulator tier, 4 minutes for both): met or missed, never a
 * failure; exit 1 only when a measured command fails. tools/install.sh, tsc and the lint
 * (tools/test.sh runs them beside jest) are not included: run them first.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { resolveConfig } from "../config/load";
import { synthesizeAtomically } from "../lib/atomic-synth";
import { findProviderMirror, linkMirror } from "../lib/provider-mirror";
import { PROJECT_ROOT } from "../lib/python-tools";
import { terraformEnv } from "../lib/terraform";
import { buildStack } from "../modules";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript, as jest loads it for tools/jest-sequencer.js
const { group } = require("../tools/test-groups.js") as { group: (file: string) => number };

/** The goals, in seconds: the suite but the emulator tier, the emulator tier, both. */
const GOALS = { fast: 75, emulator: 180, both: 240 } as const;
const PLAN_ROUNDS = 3;

interface Timed {
  readonly wallS: number;
  /** User + system CPU seconds of the command and every process it waited for. */
  readonly cpuS: number;
  readonly status: number;
  readonly stderr: string;
}

/** Runs a command under bash, which prints its children's CPU times (`times`) to a file. */
function timed(command: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Timed {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tests-"));
  try {
    const timesFile = path.join(dir, "times");
    const started = process.hrtime.bigint();
    const run = spawnSync("bash", ["-c", '"$@" >/dev/null; s=$?; times >"$BENCH_TIMES_FILE"; exit $s', "bash", ...command], {
      cwd,
      env: { ...env, BENCH_TIMES_FILE: timesFile },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    // `times`: the shell's user and system time, then its children's, as 0m1.234s 0m0.056s.
    const children = (fs.existsSync(timesFile) ? fs.readFileSync(timesFile, "utf8") : "").trim().split("\n")[1] ?? "";
    const cpuS = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
    return { wallS, cpuS, status: run.status ?? 1, stderr: run.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One offline plan of the default web stack: synthesized and initialised outside the timing, then plan + show, the median of {@link PLAN_ROUNDS}. */
function planBaseline(): { wallS: number; cpuS: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tests-plan-"));
  try {
    const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app: App) => buildStack(app, "web", resolveConfig({}), { offline: true })]);
    const stackDir = result.stackDirs.web;
    const mirror = findProviderMirror();
    if (mirror) linkMirror(stackDir, mirror);
    const env = terraformEnv();
    const must = (t: Timed, what: string) => {
      if (t.status !== 0) throw new Error(`terraform ${what} of the web stack failed (exit ${t.status}):\n${t.stderr.trim()}`);
      return t;
    };
    must(timed(["terraform", "init", "-input=false", "-no-color"], stackDir, env), "init");
    const rounds: { wallS: number; cpuS: number }[] = [];
    for (let i = 0; i < PLAN_ROUNDS; i++) {
      const plan = must(timed(["terraform", "plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"], stackDir, env), "plan");
      const show = must(timed(["terraform", "show", "-json", "tfplan"], stackDir, env), "show");
      rounds.push({ wallS: plan.wallS + show.wallS, cpuS: plan.cpuS + show.cpuS });
    }
    return { wallS: median(rounds.map((r) => r.wallS)), cpuS: median(rounds.map((r) => r.cpuS)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface TierRun {
  readonly files: number;
  readonly tests: number;
  readonly wallS: number;
  readonly cpuS: number;
}

/** One jest run of `files`, as CI runs it. */
function runTier(name: string, files: readonly string[]): TierRun | undefined {
  if (files.length === 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-tests-jest-"));
  try {
    const report = path.join(dir, "report.json");
    const jest = path.join(PROJECT_ROOT, "node_modules", ".bin", "jest");
    const run = timed([jest, "--json", `--outputFile=${report}`, "--runTestsByPath", ...files], PROJECT_ROOT, {
      ...process.env,
      CI: "true",
      CHECKPOINT_DISABLE: "1",
    });
    if (run.status !== 0) throw new Error(`jest failed on ${name} (exit ${run.status}):\n${run.stderr.trim().split("\n").slice(-40).join("\n")}`);
    const { numTotalTests } = JSON.parse(fs.readFileSync(report, "utf8")) as { numTotalTests: number };
    return { files: files.length, tests: numTotalTests, wallS: run.wallS, cpuS: run.cpuS };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function testsBench(patterns: readonly string[], log: (line: string) => void): number {
  const listed = spawnSync(path.join(PROJECT_ROOT, "node_modules", ".bin", "jest"), ["--listTests", ...patterns], { cwd: PROJECT_ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`jest --listTests failed (exit ${listed.status}):\n${listed.stderr}`);
  const files = listed.stdout.split("\n").filter((f) => f.trim() !== "");
  if (files.length === 0) throw new Error(`no test file matches ${patterns.join(" ")}`);
  const emulatorFiles = files.filter((f) => group(f) === 0);
  const fastFiles = files.filter((f) => group(f) !== 0);
  log(`the test suite: ${files.length} files; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`);

  const plan = planBaseline();
  const line = (label: string, t: { wallS: number; cpuS: number }, extra = "") =>
    log(`${label.padEnd(44)} wall ${t.wallS.toFixed(1).padStart(6)} s   CPU ${t.cpuS.toFixed(1).padStart(6)} s${extra}`);
  line("one offline plan (web: plan + show -json)", plan, `   (median of ${PLAN_ROUNDS})`);

  const goal = (wallS: number, max: number) => `${wallS <= max ? "met" : "missed"} goal ${max} s`;
  const ratio = (t: { wallS: number }) => `${(t.wallS / plan.wallS).toFixed(1)}x one plan`;
  const fast = runTier("the suite but the emulator tier", fastFiles);
  if (fast) line(`but the emulator tier (${fast.files} files, ${fast.tests} tests)`, fast, `   ${ratio(fast)}   ${goal(fast.wallS, GOALS.fast)}`);
  const emulator = runTier("the emulator tier", emulatorFiles);
  if (emulator)
    line(`the emulator tier (${emulator.files} files, ${emulator.tests} tests)`, emulator, `   ${ratio(emulator)}   ${goal(emulator.wallS, GOALS.emulator)}`);
  if (fast && emulator) {
    const both = { wallS: fast.wallS + emulator.wallS, cpuS: fast.cpuS + emulator.cpuS };
    line("both, one after the other", both, `   ${ratio(both)}   ${goal(both.wallS, GOALS.both)}`);
  }
  log(`load at the end ${os.loadavg()[0].toFixed(1)}: on a loaded machine the ratios hold better than the seconds`);
  return 0;
}
