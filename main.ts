/**
 * Composes the app: the configuration (defaults + STACK_CONFIG), the configured stacks, and
 * an atomic synth into cdktf.out (or CDKTF_OUTDIR). Invalid configuration, a deployable synth
 * whose configuration a real account would refuse (config/deploy-requirements.ts), a record
 * name two stacks claim in their shared zone, and a security check's error no construct
 * suppressed print one line per problem and exit 1 with the output folder untouched.
 */
import * as path from "path";
import type { App } from "cdktf";
import { loadConfig, stackConfigPath } from "./config/load";
import { deployProblems } from "./config/deploy-requirements";
import { ZoneRecords } from "./constructs/dns/zone-records";
import { removedStackLines, synthesizeAtomically } from "./lib/atomic-synth";
import { findProviderMirror, linkMirror } from "./lib/provider-mirror";
import { formatWarning, synthWarnings } from "./lib/synth-warnings";
import { ValidationError, formatProblem } from "./lib/validation";
import { buildStack } from "./modules";
import { checkSynthesized } from "./policy/synth-check";
import { PROVIDER_MODES, ProviderMode, prepareWorkingDirectory, providerModeFromEnv } from "./modules/provider-mode";
import { findCredentialSources, missingCredentialsError, missingCredentialsWarning } from "./lib/aws-credentials";
import { AWS_COMMANDS, cdktfInvocation, targetedStacks } from "./lib/cdktf-command";

/**
 * Before a synth in a mode that runs Terraform on the environment's credentials: with none,
 * stop when the cdktf command running the app is about to call AWS (deploy, diff, destroy),
 * rather than let Terraform fail after its retries; otherwise warn. Nothing is called.
 */
async function checkCredentials(mode: ProviderMode, command: string | undefined): Promise<boolean> {
  if (!mode.usesAccountCredentials) return true;
  const search = await findCredentialSources();
  if (search.found.length > 0) return true;
  if (command && AWS_COMMANDS.has(command)) {
    process.stderr.write(`${missingCredentialsError(search, `npx cdktf ${command}`)}\n`);
    return false;
  }
  process.stderr.write(`${missingCredentialsWarning(search)}\n`);
  return true;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const mirror = findProviderMirror();
  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const modeName = providerModeFromEnv();
  const mode = PROVIDER_MODES[modeName];
  const invocation = cdktfInvocation();
  if (!(await checkCredentials(mode, invocation?.command))) return 1;
  // A destroy that cannot succeed stops here, before Terraform deletes part of a stack.
  const destroying = invocation?.command === "destroy" ? targetedStacks(invocation.args, config.stacks) : [];
  const securityNotes: string[] = [];
  // One zone serves every stack: a record name claimed by two stacks fails the synth.
  const zoneRecords = new ZoneRecords();
  const result = synthesizeAtomically(
    outdir,
    [
      // A synth that can be deployed must name what a real account accepts (reported with the stacks' problems).
      () => {
        const undeployable = mode.deploysToAws ? deployProblems(config) : [];
        if (undeployable.length > 0) throw new ValidationError(undeployable);
      },
      ...config.stacks.map((name) => (app: App) => {
        const stack = buildStack(app, name, config, { mode: modeName, zoneRecords });
        const blockers = destroying.includes(name) ? stack.destroyBlockers() : [];
        if (blockers.length > 0) throw new ValidationError(blockers);
      }),
    ],
    // The security checks (policy/): an unsuppressed error fails the synth, so deploy too.
    { check: checkSynthesized(securityNotes) },
  );
  for (const [stack, dir] of Object.entries(result.stackDirs)) {
    if (mirror) linkMirror(dir, mirror);
    prepareWorkingDirectory(dir, stack, mode);
  }
  for (const warning of synthWarnings(outdir)) process.stderr.write(`${formatWarning(warning)}\n`);
  for (const note of securityNotes) process.stderr.write(`${note}\n`);
  for (const line of removedStackLines(result.removed)) process.stderr.write(`${line}\n`);
  if (mode.announcement) process.stderr.write(`${mode.announcement(config)}\n`);
  const configFile = stackConfigPath();
  const from = configFile ? ` with STACK_CONFIG ${configFile}` : " with the default configuration";
  process.stderr.write(`synthesized ${Object.keys(result.stackDirs).join(", ")} into ${path.relative(process.cwd(), path.resolve(outdir)) || "."}${from}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof ValidationError) {
      process.stderr.write(`synth failed, nothing was written:\n${e.problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}\n`);
      process.exit(1);
    }
    throw e;
  },
);
