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
import { PROVIDER_MODES, ProviderMode, prepareWorkingDirectory, providerModeFromEnv } from "./modules/provider-mode";
import { findCredentialSources, missingCredentialsError, missingCredentialsWarning } from "./lib/aws-credentials";
import { AWS_COMMANDS, cdktfInvocation, targetedStacks } from "./lib/cdktf-command";
import { CliIo, runIfEntryPoint } from "./lib/cli";

/**
 * Before a synth in a mode that runs Terraform on the environment's credentials: with none,
 * stop when the cdktf command running the app is about to call AWS (deploy, diff, destroy),
 * rather than let Terraform fail after its retries; otherwise warn. Nothing is called.
 */
async function checkCredentials(mode: ProviderMode, command: string | undefined, env: NodeJS.ProcessEnv, io: CliIo): Promise<boolean> {
  if (!mode.usesAccountCredentials) return true;
  const search = await findCredentialSources({ env });
  if (search.found.length > 0) return true;
  if (command && AWS_COMMANDS.has(command)) {
    io.stderr.write(`${missingCredentialsError(search, `npx cdktf ${command}`)}\n`);
    return false;
  }
  io.stderr.write(`${missingCredentialsWarning(search)}\n`);
  return true;
}

/**
 * The app: synthesizes the configured stacks (`STACK_CONFIG` of `env`) into `CDKTF_OUTDIR`
 * (default `cdktf.out`, relative to `io.cwd`). Exit 1 on invalid configuration, nothing written.
 * Takes no arguments (cdktf runs it bare).
 */
export async function run(_argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  try {
    return await synth(env, io);
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    io.stderr.write(`synth failed, nothing was written:\n${e.problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}\n`);
    return 1;
  }
}

async function synth(env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const config = loadConfig(env, io.cwd);
  const mirror = findProviderMirror(env);
  const outdir = path.resolve(io.cwd, env.CDKTF_OUTDIR ?? "cdktf.out");
  const modeName = providerModeFromEnv(env);
  const mode = PROVIDER_MODES[modeName];
  const invocation = cdktfInvocation();
  if (!(await checkCredentials(mode, invocation?.command, env, io))) return 1;
  // A destroy that cannot succeed stops here, before Terraform deletes part of a stack.
  const destroying = invocation?.command === "destroy" ? targetedStacks(invocation.args, config.stacks) : [];
  // One zone serves every stack: a record name claimed by two stacks fails the synth.
  const zoneRecords = new ZoneRecords();
  const result = synthesizeAtomically(outdir, [
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
  ]);
  for (const [stack, dir] of Object.entries(result.stackDirs)) {
    if (mirror) linkMirror(dir, mirror);
    prepareWorkingDirectory(dir, stack, mode);
  }
  for (const warning of synthWarnings(outdir)) io.stderr.write(`${formatWarning(warning)}\n`);
  // What the analysis at synth noted: the security checks' warnings and unknown verdicts.
  for (const note of result.notes) io.stderr.write(`${note}\n`);
  for (const line of removedStackLines(result.removed, io.cwd)) io.stderr.write(`${line}\n`);
  if (mode.announcement) io.stderr.write(`${mode.announcement(config, env)}\n`);
  const configFile = stackConfigPath(env, io.cwd);
  const from = configFile ? ` with STACK_CONFIG ${configFile}` : " with the default configuration";
  io.stderr.write(`synthesized ${Object.keys(result.stackDirs).join(", ")} into ${path.relative(io.cwd, outdir) || "."}${from}\n`);
  return 0;
}

// An error that is no configuration problem is the project's bug: its stack trace.
runIfEntryPoint(module, __filename, run, (e, io) => io.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
