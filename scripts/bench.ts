/**
 * `npm run bench`: wall time and peak RSS of synthesizing every stack the project's way
 * (compiled JavaScript, provider imported per resource from `@cdktf/provider-aws/lib/...`),
 * next to the stock CDKTF way measured in the same run (the template's `ts-node main.ts`,
 * type-checking at every synth, with the provider imported through its package index),
 * and the ratio. Exits 1 when a target is missed.
 *
 * With `--sandbox` (`npm run bench -- --sandbox`): apply + destroy of each default stack against
 * the emulator (one stack at a time, on one emulator), next to `terraform init` + `validate` of
 * the same stack directory measured in the same run, and the ratio; a figure, not a target.
 *
 *   node dist/scripts/bench.js [--runs N] [--stock-runs N]
 *   node dist/scripts/bench.js --sandbox
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { terraform } from "../lib/terraform";
import { Sandbox } from "../sandbox/sandbox";

const TARGET_WALL_S = 1.5;
const TARGET_RSS_MB = 250;
const TARGET_SPEEDUP = 8;

const ROOT = path.resolve(__dirname, "..", "..");

interface Sample {
  readonly wallS: number;
  readonly maxRssMb: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function measure(label: string, nodeArgs: string[], env: NodeJS.ProcessEnv): Sample {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
  try {
    const probe = path.join(dir, "probe.json");
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ["-r", path.join(__dirname, "bench-probe.js"), ...nodeArgs], {
      cwd: ROOT,
      // Offline: a real-mode synth of the defaults stops on their reserved zone (config/deploy-requirements.ts).
      env: { ...process.env, ...env, OFFLINE_PLAN: "1", CDKTF_OUTDIR: path.join(dir, "out"), BENCH_PROBE_FILE: probe, TF_PROVIDER_MIRROR: "none" },
      encoding: "utf8",
    });
    const wallS = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) throw new Error(`${label} failed (exit ${run.status}):\n${run.stderr}`);
    const { maxRssMb } = JSON.parse(fs.readFileSync(probe, "utf8")) as { maxRssMb: number };
    return { wallS, maxRssMb };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function series(label: string, runs: number, nodeArgs: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(measure(label, nodeArgs, env));
  const result = { wallS: median(samples.map((s) => s.wallS)), maxRssMb: median(samples.map((s) => s.maxRssMb)) };
  console.log(
    `${label.padEnd(48)} wall ${result.wallS.toFixed(2).padStart(6)} s   peak RSS ${result.maxRssMb.toFixed(0).padStart(5)} MB   ` +
      `(median of ${runs}: ${samples.map((s) => s.wallS.toFixed(2)).join(", ")} s)`,
  );
  return result;
}

function main(): number {
  const runs = arg("--runs", 5);
  const stockRuns = arg("--stock-runs", 2);
  console.log(`synthesizing all stacks; ${os.cpus().length} cores, node ${process.version}`);
  const project = series("project: node dist/main.js (deep imports)", runs, [path.join(ROOT, "dist", "main.js")]);
  const stock = series("stock: ts-node main.ts + provider index import", stockRuns, ["-r", require.resolve("ts-node/register"), path.join(ROOT, "main.ts")], {
    BENCH_INDEX_IMPORT: "1",
    TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"),
  });
  const speedup = stock.wallS / project.wallS;
  const checks: [string, boolean][] = [
    [`wall ${project.wallS.toFixed(2)} s < ${TARGET_WALL_S} s`, project.wallS < TARGET_WALL_S],
    [`peak RSS ${project.maxRssMb.toFixed(0)} MB < ${TARGET_RSS_MB} MB`, project.maxRssMb < TARGET_RSS_MB],
    [`${speedup.toFixed(1)}x faster than stock >= ${TARGET_SPEEDUP}x`, speedup >= TARGET_SPEEDUP],
  ];
  console.log(`ratio: ${speedup.toFixed(1)}x faster, ${(stock.maxRssMb / project.maxRssMb).toFixed(1)}x less memory`);
  for (const [text, ok] of checks) console.log(`${ok ? "PASS" : "MISS"} ${text}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

async function sandboxBench(): Promise<number> {
  console.log(`apply + destroy per stack against the emulator; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}, node ${process.version}`);
  const sandbox = await Sandbox.start();
  try {
    for (const stack of sandbox.stacks) {
      const dir = sandbox.stackDir(stack);
      const t0 = Date.now();
      await terraform(["init", "-input=false", "-no-color"], dir, sandbox.env());
      await terraform(["validate", "-no-color"], dir, sandbox.env());
      const baselineS = (Date.now() - t0) / 1000;
      const applied = await sandbox.apply(stack);
      const destroyed = await sandbox.destroy(stack);
      const total = applied.seconds + destroyed.seconds;
      console.log(
        `${stack.padEnd(9)} apply ${applied.seconds.toFixed(1).padStart(6)} s + destroy ${destroyed.seconds.toFixed(1).padStart(6)} s = ${total.toFixed(1).padStart(6)} s   ` +
          `${(total / baselineS).toFixed(1)}x terraform init + validate of the stack (${baselineS.toFixed(1)} s)`,
      );
    }
  } finally {
    await sandbox.stop();
  }
  return 0;
}

if (process.argv.includes("--sandbox")) {
  sandboxBench().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`bench --sandbox: ${(e as Error).message}`);
      process.exit(1);
    },
  );
} else {
  process.exit(main());
}
