/**
 * `npm run scan`: checkov on every stack of every scan variant (scan/variants.ts), as
 * synthesized and as planned offline, with the skips of policy/checkov-skips.ts; prints the
 * table (stack/variant, framework, passed, failed, skipped) and exits 1 on any failed check
 * that is not skipped, and on a skip that matches nothing.
 *
 *   npm run scan -- [--variant <name>]... [--keep <dir>]
 *     --variant   scan only these variants (stale skips are then not reported)
 *     --keep      leave the synthesized stacks, plans and checkov's inputs in <dir>
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliIo, runIfEntryPoint } from "../lib/cli";
import { requireTool } from "../lib/python-tools";
import { formatScan, planVariants, scanPassed, scanTargets } from "../scan";
import { SCAN_VARIANTS } from "../scan/variants";

const USAGE = "usage: scan.js [--variant <name>]... [--keep <dir>]";

/** Paths (`--keep`) are taken from `io.cwd`; Terraform and checkov get the process's environment. */
export async function run(argv: readonly string[], _env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    return await scan(argv, io);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

async function scan(argv: readonly string[], io: CliIo): Promise<number> {
  const log = (line: string) => io.stdout.write(`${line}\n`);
  const only: string[] = [];
  let keep: string | undefined;
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (value === undefined || value.startsWith("--")) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    if (argv[i] === "--variant") only.push(value);
    else if (argv[i] === "--keep") keep = value;
    else throw new Error(`unexpected argument ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  const unknown = only.filter((v) => !SCAN_VARIANTS.some((s) => s.name === v));
  if (unknown.length > 0) throw new Error(`unknown variant(s) ${unknown.join(", ")}; use ${SCAN_VARIANTS.map((v) => v.name).join(", ")}`);
  requireTool("checkov");
  const variants = only.length > 0 ? SCAN_VARIANTS.filter((v) => only.includes(v.name)) : SCAN_VARIANTS;

  const workDir = keep ? path.resolve(io.cwd, keep) : fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-scan-"));
  if (keep) fs.rmSync(workDir, { recursive: true, force: true });
  try {
    const started = Date.now();
    const targets = await planVariants(variants, workDir, log);
    const report = await scanTargets(targets, path.join(workDir, "checkov"), { requireEverySkipUsed: only.length === 0 });
    for (const line of formatScan(report)) log(line);
    log(
      `scan ${scanPassed(report) ? "passed" : "FAILED"}: ${targets.length} stack(s) in ${variants.length} variant(s), ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
    return scanPassed(report) ? 0 : 1;
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

runIfEntryPoint(module, __filename, run);
