/**
 * `npm run plan`: synthesizes every configured stack, then for each, all at once, runs
 * `terraform init` when the stack's providers or backend changed since the last (the provider
 * from a filesystem mirror when one is found, the public registry otherwise) and `terraform
 * plan` (which validates the configuration too), printing a line as each step starts; saves the plan as JSON under
 * `plan-review/<stack>.plan.json` and prints one line per stack; then writes the plan review
 * beside the plans (`<stack>.md`, `<stack>.svg`, `README.md`; see review/) and fails when a
 * security check finds an unsuppressed error; then, when checkov is installed, scans these
 * stacks with it (scan/) and fails on a failed check that is not skipped.
 *
 *   node scripts/run.js scripts/plan.ts --offline   fake credentials + skip flags: no AWS account needed
 *   node scripts/run.js scripts/plan.ts             plan against the account in your AWS environment
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run as synth } from "../main";
import { CliIo, cliPath, runIfEntryPoint } from "../lib/cli";
import { INSTALL_COMMAND, toolInstalled } from "../lib/python-tools";
import { formatScan, scanPassed, scanTargets } from "../scan";
import { OFFLINE_ENV, offlineRequested } from "../modules/provider-mode";
import { PlanStep, formatSummary, planStack } from "../lib/terraform";
import { findCredentialSources, missingCredentialsError } from "../lib/aws-credentials";
import { reviewLines, writeReview } from "../review";
import { manifestInputs } from "../review/inputs";

const REVIEW_DIR = "plan-review";

const STEP_TEXT: Readonly<Record<PlanStep, string>> = {
  init: "terraform init (providers or backend changed)",
  plan: "terraform plan",
  show: "terraform show -json",
};

interface Manifest {
  stacks: Record<string, { workingDirectory: string }>;
}

/**
 * `--offline` (or OFFLINE_PLAN=1 in `env`) plans without an account. Paths (CDKTF_OUTDIR,
 * plan-review/) are taken from `io.cwd`; the synth and Terraform read `env`.
 */
export async function run(argv: readonly string[], baseEnv: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const log = (line: string) => io.stdout.write(`${line}\n`);
  const offline = argv.includes("--offline") || offlineRequested(baseEnv);
  const outdir = cliPath(io, baseEnv.CDKTF_OUTDIR ?? "cdktf.out");
  const reviewDir = cliPath(io, REVIEW_DIR);
  const env = { ...baseEnv, ...(offline ? { [OFFLINE_ENV]: "1" } : {}) };
  if (offline) {
    log(`offline mode: fake credentials and skip flags (${OFFLINE_ENV}=1), a scratch state; no AWS account or backend is used.`);
  } else {
    // Terraform would spend its retries finding out; without credentials this plan cannot work.
    const search = await findCredentialSources({ env });
    if (search.found.length === 0) {
      io.stderr.write(`${missingCredentialsError(search, "npm run plan:account")}\n`);
      return 1;
    }
  }

  // The app's synth, in this process (main.ts).
  const synthCode = await synth([], env, io);
  if (synthCode !== 0) return synthCode;

  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
  const stacks = Object.entries(manifest.stacks);
  let failed = 0;
  // Every stack at once: Terraform waits on the provider much of the time, and each plan's
  // provider process takes a few hundred MB, not more.
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  await Promise.all(
    stacks.map(async ([name, stack]) => {
      try {
        const onStep = (step: PlanStep) => log(`${name}: ${STEP_TEXT[step]} (at ${elapsed()})`);
        const summary = await planStack(name, path.join(outdir, stack.workingDirectory), path.join(reviewDir, `${name}.plan.json`), env, { onStep });
        log(formatSummary(summary));
      } catch (e) {
        failed++;
        io.stderr.write(`${name}: FAILED\n${(e as Error).message}\n`);
      }
    }),
  );
  if (failed > 0) return 1;

  const review = await writeReview(reviewDir, manifestInputs(outdir, reviewDir));
  for (const line of reviewLines(review.stacks, review.readme, review.removed)) log(line);
  const reviewFailed = review.stacks.some((s) => s.openErrors.length > 0);
  const scanFailed = !(await scanConfigured(
    outdir,
    reviewDir,
    stacks.map(([name, stack]) => [name, stack.workingDirectory]),
    log,
  ));
  return reviewFailed || scanFailed ? 1 : 0;
}

/**
 * checkov on the stacks just planned (this configuration only; `npm run scan` covers every
 * variant), when it is installed; says so when it is not. Whether the scan passed.
 */
async function scanConfigured(
  outdir: string,
  reviewDir: string,
  stacks: readonly (readonly [string, string])[],
  log: (line: string) => void,
): Promise<boolean> {
  if (!toolInstalled("checkov")) {
    log(`checkov is not installed in .venv/: no scan. Run \`${INSTALL_COMMAND}\`, then \`npm run plan\` or \`npm run scan\`.`);
    return true;
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-plan-scan-"));
  try {
    const targets = stacks.map(([name, dir]) => ({
      stack: name,
      variant: "configured",
      synthesized: path.join(outdir, dir, "cdk.tf.json"),
      plan: path.join(reviewDir, `${name}.plan.json`),
    }));
    const report = await scanTargets(targets, workDir);
    log("checkov (policy/checkov-skips.ts and the constructs' suppressions applied):");
    for (const line of formatScan(report)) log(line);
    return scanPassed(report);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// An unexpected error is the project's bug: its stack trace.
runIfEntryPoint(module, __filename, run, (e, io) => io.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
