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
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { INSTALL_COMMAND, PROJECT_ROOT, toolInstalled } from "../lib/python-tools";
import { formatScan, scanPassed, scanTargets } from "../scan";
import { OFFLINE_ENV, offlineRequested } from "../modules/reference-stack";
import { PlanStep, formatSummary, planStack } from "../lib/terraform";
import { findCredentialSources, missingCredentialsError } from "../lib/aws-credentials";
import { reviewLines, writeReview } from "../review";
import { manifestInputs } from "../review/inputs";

const REVIEW_DIR = "plan-review";

const STEP_TEXT: Readonly<Record<PlanStep, string>> = {
  init: "terraform init (providers or backend changed)",
  validate: "terraform validate",
  plan: "terraform plan",
  show: "terraform show -json",
};

interface Manifest {
  stacks: Record<string, { workingDirectory: string }>;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const offline = args.includes("--offline") || offlineRequested();
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const env = { ...process.env, ...(offline ? { [OFFLINE_ENV]: "1" } : {}) };
  if (offline) {
    console.log(`offline mode: fake credentials and skip flags (${OFFLINE_ENV}=1), a scratch state; no AWS account or backend is used.`);
  } else {
    // Terraform would spend its retries finding out; without credentials this plan cannot work.
    const search = await findCredentialSources();
    if (search.found.length === 0) {
      console.error(missingCredentialsError(search, "npm run plan:account"));
      return 1;
    }
  }

  const synth = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "scripts", "run.js"), path.join(PROJECT_ROOT, "main.ts")], { env, stdio: "inherit" });
  if (synth.status !== 0) return synth.status ?? 1;

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
        const onStep = (step: PlanStep) => console.log(`${name}: ${STEP_TEXT[step]} (at ${elapsed()})`);
        const summary = await planStack(name, path.join(outdir, stack.workingDirectory), path.join(REVIEW_DIR, `${name}.plan.json`), env, { onStep });
        console.log(formatSummary(summary));
      } catch (e) {
        failed++;
        console.error(`${name}: FAILED\n${(e as Error).message}`);
      }
    }),
  );
  if (failed > 0) return 1;

  const review = await writeReview(REVIEW_DIR, manifestInputs(outdir, REVIEW_DIR));
  for (const line of reviewLines(review.stacks, review.readme, review.removed)) console.log(line);
  const reviewFailed = review.stacks.some((s) => s.openErrors.length > 0);
  const scanFailed = !(await scanConfigured(
    outdir,
    stacks.map(([name, stack]) => [name, stack.workingDirectory]),
  ));
  return reviewFailed || scanFailed ? 1 : 0;
}

/**
 * checkov on the stacks just planned (this configuration only; `npm run scan` covers every
 * variant), when it is installed; says so when it is not. Whether the scan passed.
 */
async function scanConfigured(outdir: string, stacks: readonly (readonly [string, string])[]): Promise<boolean> {
  if (!toolInstalled("checkov")) {
    console.log(`checkov is not installed in .venv/: no scan. Run \`${INSTALL_COMMAND}\`, then \`npm run plan\` or \`npm run scan\`.`);
    return true;
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-plan-scan-"));
  try {
    const targets = stacks.map(([name, dir]) => ({
      stack: name,
      variant: "configured",
      synthesized: path.join(outdir, dir, "cdk.tf.json"),
      plan: path.join(REVIEW_DIR, `${name}.plan.json`),
    }));
    const report = await scanTargets(targets, workDir);
    console.log("checkov (policy/checkov-skips.ts and the constructs' suppressions applied):");
    for (const line of formatScan(report)) console.log(line);
    return scanPassed(report);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
