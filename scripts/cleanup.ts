/**
 * `npm run cleanup -- --stack <stack> [--yes]`: what a stack leaves behind after
 * `npx cdktf destroy <stack>`, found and (with --yes) removed. Without --yes it only lists.
 *
 * - multiaz and its variants (multiaz-efs, ...): the AMI pipeline's images and their snapshots
 *   (Data Lifecycle Manager keeps them when its policy is deleted): exactly the images DLM made
 *   for this stack's pipeline
 *   (lib/pipeline-images.ts). Refused while the pipeline's policy exists, i.e. before the
 *   destroy: those images back the next replacement. EFS backups are AWS Backup's, in EFS's
 *   own vault: listed as a note, never deleted here.
 * - recovery, web and their variants: nothing that cleanup knows of.
 *
 * Runs against the AWS account and region of the configuration (`STACK_CONFIG`), with the
 * SDK's usual credentials and endpoints (`AWS_ENDPOINT_URL` points it at an emulator;
 * `--skip-policy-check` for one without Data Lifecycle Manager, such as moto).
 * Exits 0 when there is nothing left to do, 1 when something was refused or failed, 2 on
 * bad arguments.
 */
import { App } from "cdktf";
import { STACK_IDS, StackConfig, StackId } from "../config/schema";
import { loadConfig } from "../config/load";
import { similarTo } from "../config/suggest";
import { findCredentialSources, missingCredentialsError } from "../lib/aws-credentials";
import { CliIo, runIfEntryPoint } from "../lib/cli";
import { DlmApi, Ec2Api, findPipelineImages, removePipelineImages } from "../lib/pipeline-images";
import { ValidationError, formatProblem } from "../lib/validation";
import { buildStack } from "../modules";
import { MultiAzStack } from "../modules/multiaz-stack";

const USAGE = `usage: npm run cleanup -- --stack <${STACK_IDS.join("|")}> [--yes] [--skip-policy-check]`;

/** Where AWS Backup keeps the automatic backups of EFS file systems; EFS creates it, and it cannot be deleted. */
export const EFS_AUTOMATIC_BACKUP_VAULT = "aws/efs/automatic-backup-vault";

export interface CleanupDeps {
  readonly config: StackConfig;
  /** The AWS clients, made only when a stack needs them; undefined when they cannot be (said already). */
  readonly aws: () => Promise<{ readonly ec2: Ec2Api; readonly dlm: DlmApi } | undefined>;
  readonly print: (line: string) => void;
}

export interface CleanupArgs {
  /** A stack id: a base stack or a variant (config/schema.ts STACK_IDS). */
  readonly stack: StackId;
  /** Remove; without it, only list. */
  readonly yes: boolean;
  /**
   * Do not ask Data Lifecycle Manager whether the pipeline's policy still exists, for an AWS
   * emulator without DLM: the operator vouches that the stack is destroyed.
   */
  readonly skipPolicyCheck: boolean;
}

export function parseArgs(argv: readonly string[]): CleanupArgs {
  let stack: string | undefined;
  let yes = false;
  let skipPolicyCheck = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--yes") yes = true;
    else if (argv[i] === "--skip-policy-check") skipPolicyCheck = true;
    else if (argv[i] === "--stack" && argv[i + 1] !== undefined) stack = argv[++i];
    else throw new Error(`unexpected argument ${JSON.stringify(argv[i])}\n${USAGE}`);
  }
  if (stack === undefined) throw new Error(`--stack is required\n${USAGE}`);
  if (!(STACK_IDS as readonly string[]).includes(stack)) {
    const near = similarTo(stack, STACK_IDS);
    const hint = near.length > 0 ? `; did you mean ${near.join(" or ")}?` : "";
    throw new Error(`--stack ${JSON.stringify(stack)} is not a stack of this project (${STACK_IDS.join(", ")})${hint}\n${USAGE}`);
  }
  return { stack: stack as StackId, yes, skipPolicyCheck };
}

const gib = (n?: number) => (n === undefined ? "" : ` (${n} GiB)`);

export async function cleanup({ stack, yes, skipPolicyCheck }: CleanupArgs, deps: CleanupDeps): Promise<number> {
  const { config, print } = deps;
  // The names come from the stack itself, built as synth builds it, so they are the ones it deployed with.
  const multiaz = buildStack(new App({ stackTraces: false }), stack, config, { mode: "real" });
  if (!(multiaz instanceof MultiAzStack)) {
    print(`${stack}: cleanup knows of nothing that ${stack} leaves behind after npx cdktf destroy ${stack}.`);
    return 0;
  }
  const settings = multiaz.config.multiaz;
  const aws = await deps.aws();
  if (!aws) return 1;
  if (skipPolicyCheck) print("--skip-policy-check: Data Lifecycle Manager is not asked whether the pipeline is still deployed.");
  const found = await findPipelineImages(
    aws.ec2,
    skipPolicyCheck ? undefined : aws.dlm,
    multiaz.amiPipelineName,
    settings.fixedAmiId ? [settings.fixedAmiId] : [],
  );

  const snapshots = found.images.reduce((n, i) => n + i.snapshots.length, 0);
  print(`${stack}: the AMI pipeline ${found.pipeline} left ${found.images.length} image(s) with ${snapshots} snapshot(s) in ${config.region}:`);
  for (const image of found.images) {
    print(
      `  ${image.imageId}  ${image.name ?? "-"}  ${image.created ?? "-"}  made by ${image.policyId}  snapshots: ${image.snapshots.map((s) => `${s.snapshotId}${gib(s.sizeGb)}`).join(", ") || "none"}`,
    );
  }
  for (const s of found.skipped) print(`  kept ${s.imageId}: ${s.reason}`);
  if (settings.efs.enabled) {
    print(
      `  note: the state file system's automatic backups (AWS Backup, daily, kept 35 days) stay in the vault ${EFS_AUTOMATIC_BACKUP_VAULT}, ` +
        `which EFS owns: cleanup leaves them (see the README, "Destroying a stack").`,
    );
  }

  if (found.livePolicies.length > 0) {
    print(
      `refused: the pipeline's DLM policy ${found.livePolicies.join(", ")} still exists, so the stack is deployed and its newest image backs the next replacement; ` +
        `destroy it first (npx cdktf destroy ${stack}), then run cleanup again. Nothing was removed.`,
    );
    return 1;
  }
  if (found.images.length === 0) return 0;
  if (!yes) {
    print(`dry run: nothing was removed; run again with --yes to deregister these ${found.images.length} image(s) and delete their ${snapshots} snapshot(s).`);
    return 0;
  }
  const result = await removePipelineImages(aws.ec2, found);
  for (const id of result.removed) print(`${id.startsWith("ami-") ? "deregistered" : "deleted"} ${id}`);
  for (const f of result.failed) print(`FAILED ${f.id}: ${f.error}`);
  print(`${stack}: ${result.removed.length} removed, ${result.failed.length} failed.`);
  return result.failed.length > 0 ? 1 : 0;
}

export async function run(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let args: CleanupArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  try {
    const config = loadConfig(env, io.cwd);
    const aws = async () => {
      const search = await findCredentialSources({ env });
      if (search.found.length === 0) {
        io.stderr.write(`${missingCredentialsError(search, "npm run cleanup", true)}\n`);
        return undefined;
      }
      // Loaded only here: the tests give fakes, and the other stacks need no client.
      const { EC2 } = await import("@aws-sdk/client-ec2");
      const { DLM } = await import("@aws-sdk/client-dlm");
      return { ec2: new EC2({ region: config.region }), dlm: new DLM({ region: config.region }) };
    };
    return await cleanup(args, { config, aws, print: (l) => io.stdout.write(`${l}\n`) });
  } catch (e) {
    if (e instanceof ValidationError) io.stderr.write(`invalid configuration:\n${e.problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}\n`);
    else io.stderr.write(`cleanup failed: ${(e as Error).message}\n`);
    return 1;
  }
}

runIfEntryPoint(module, __filename, run);
