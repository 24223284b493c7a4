/**
 * `npm run scan`: checkov on every stack of every scan variant (scan/variants.ts), as
 * synthesized and as planned offline, with the skips of policy/checkov-skips.ts; prints the
 * table (stack/variant, framework, passed, failed, skipped) and exits 1 on any failed check
 * that is not skipped, and on a skip that matches nothing.
 *
 *   node dist/scripts/scan.js [--variant <name>]... [--keep <dir>]
 *     --variant   scan only these variants (stale skips are then not reported)
 *     --keep      leave the synthesized stacks, plans and checkov's inputs in <dir>
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireTool } from "../lib/python-tools";
import { formatScan, planVariants, scanPassed, scanTargets } from "../scan";
import { SCAN_VARIANTS } from "../scan/variants";

const USAGE = "usage: scan.js [--variant <name>]... [--keep <dir>]";

async function main(argv: readonly string[]): Promise<number> {
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

  const workDir = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-scan-"));
  if (keep) fs.rmSync(workDir, { recursive: true, force: true });
  try {
    const started = Date.now();
    const targets = await planVariants(variants, workDir, (line) => console.log(line));
    const report = await scanTargets(targets, path.join(workDir, "checkov"), { requireEverySkipUsed: only.length === 0 });
    for (const line of formatScan(report)) console.log(line);
    console.log(
      `scan ${scanPassed(report) ? "passed" : "FAILED"}: ${targets.length} stack(s) in ${variants.length} variant(s), ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
    );
    return scanPassed(report) ? 0 : 1;
  } finally {
    if (!keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);
