/**
 * Provider modes: how a synth configures the stacks' AWS provider, and where their state goes.
 *
 * - `real`: the credentials of your environment and the configured backend (`backend.*`):
 *   what `npx cdktf deploy` deploys.
 * - `offline` (`OFFLINE_PLAN=1`): fake credentials and the provider's skip flags, and the
 *   state in a scratch local file instead of the configured backend, so `terraform init` and
 *   `plan` contact neither AWS nor the backend (an S3 backend would want credentials). An
 *   offline plan starts from an empty state: it shows what a first deploy creates. Nothing
 *   synthesized this way can be deployed: the credentials are not real.
 * - `sandbox` (`SANDBOX_ENDPOINT=http://127.0.0.1:<port>`, with `AWS_ENDPOINT_URL` set to the
 *   same): deploys to a local AWS emulator (lib/emulator.ts, `npm run sandbox`). The endpoint
 *   reaches Terraform through the environment, which the AWS provider reads (`AWS_ENDPOINT_URL`,
 *   see {@link SANDBOX_ENV}), not through an `endpoints` block, so the resources deployed to the
 *   emulator are the bytes a real deploy uses. The provider gets fake credentials and
 *   `allowed_account_ids` = the emulator's account, and the state is a scratch file: nothing
 *   synthesized this way can act on an AWS account or the configured backend. Only loopback
 *   endpoints are accepted.
 *
 * Only `real` deploys to AWS ({@link ProviderMode.deploysToAws}).
 *
 * A mode is chosen per synth from the environment ({@link providerModeFromEnv}); another mode
 * is one more entry in {@link PROVIDER_MODES}.
 */
import * as fs from "fs";
import * as path from "path";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import * as ipaddr from "ipaddr.js";
import type { StackConfig } from "../config/schema";
import { EMULATOR_ACCOUNT_ID } from "../lib/emulator";
import { Problem, ValidationError } from "../lib/validation";

/** Environment variable that switches on the offline mode (`1` or `true`). */
export const OFFLINE_ENV = "OFFLINE_PLAN";

export interface ProviderMode {
  readonly name: string;
  /** Arguments added to every stack's AWS provider block. */
  readonly provider: Readonly<Partial<AwsProviderConfig>>;
  /**
   * A local state file, relative to the stack's directory, used instead of the configured
   * backend. @default - the configured backend
   */
  readonly scratchState?: (stack: string) => string;
  /** Whether Terraform runs on the AWS credentials of the environment (there must be some to plan or deploy). */
  readonly usesAccountCredentials: boolean;
  /**
   * Whether this synth can be deployed to real AWS. Such a synth must name what a real
   * account accepts (config/deploy-requirements.ts): synth refuses it otherwise.
   */
  readonly deploysToAws: boolean;
  /**
   * The hosted zone id the stacks' records go into while `dns.zoneId` is unset, in a mode
   * that never applies (a deploy needs `dns.zoneId`, an existing zone all stacks share).
   * @default - none: with `dns.zoneId` unset, each stack creates a zone for `dns.zoneName`
   */
  readonly standInZoneId?: string;
  /** What synth says on stderr about this mode, or nothing. */
  readonly announcement?: (config: StackConfig, env?: NodeJS.ProcessEnv) => string;
}

const REAL: ProviderMode = { name: "real", provider: {}, usesAccountCredentials: true, deploysToAws: true };

/** A syntactically valid Route 53 zone id that names no zone: the offline plan never looks it up. */
export const OFFLINE_ZONE_ID = "ZOFFLINEPLANNOZONE";

/** Beside the stack directories: `<outdir>/offline-state/<stack>.tfstate`. Plans never write it. */
const offlineState = (stack: string) => `../../offline-state/${stack}.tfstate`;

const OFFLINE: ProviderMode = {
  name: "offline",
  provider: {
    accessKey: "offline-plan-not-a-key",
    secretKey: "offline-plan-not-a-secret",
    skipCredentialsValidation: true,
    skipRequestingAccountId: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
  },
  scratchState: offlineState,
  usesAccountCredentials: false,
  deploysToAws: false,
  standInZoneId: OFFLINE_ZONE_ID,
  announcement: (config) => {
    const backend = configuredBackend(config);
    const zone = config.dns.zoneId
      ? ""
      : ` With dns.zoneId unset, the records go into the stand-in zone id ${OFFLINE_ZONE_ID}, as a deploy puts them into the existing zone dns.zoneId names.`;
    return (
      `${OFFLINE_ENV} is set: the provider uses fake credentials and skip flags, and the state is a scratch file ` +
      `(${offlineState("<stack>").slice("../../".length)} in the output folder) instead of ${backend}, which is never contacted: ` +
      `plans start from an empty state; this output can be planned, never deployed.${zone}`
    );
  },
};

/**
 * Environment variable that switches on the sandbox mode: the emulator's endpoint,
 * `http://127.0.0.1:<port>`. `AWS_ENDPOINT_URL` must name the same endpoint: it is what the
 * AWS provider (5.100.0, like the AWS SDKs and CLI) sends every service's calls to.
 */
export const SANDBOX_ENV = "SANDBOX_ENDPOINT";
/** The AWS SDKs' and the AWS provider's endpoint for every service. */
export const AWS_ENDPOINT_ENV = "AWS_ENDPOINT_URL";

const sandboxState = (stack: string) => `../../sandbox-state/${stack}.tfstate`;

const SANDBOX: ProviderMode = {
  name: "sandbox",
  provider: {
    accessKey: "sandbox-emulator-not-a-key",
    secretKey: "sandbox-emulator-not-a-secret",
    // Should the endpoint ever be missing, Terraform stops at the account check: no AWS
    // account is the emulator's.
    allowedAccountIds: [EMULATOR_ACCOUNT_ID],
    skipMetadataApiCheck: "true",
  },
  scratchState: sandboxState,
  usesAccountCredentials: false,
  // The emulator is no AWS account; with dns.zoneId unset each stack creates its zone there.
  deploysToAws: false,
  announcement: (config, env = process.env) =>
    `${SANDBOX_ENV} is set: the stacks deploy to the local AWS emulator at ${env[SANDBOX_ENV]} (${AWS_ENDPOINT_ENV}) with fake credentials, ` +
    `allowed only in the emulator's account ${EMULATOR_ACCOUNT_ID}; the state is a scratch file ` +
    `(${sandboxState("<stack>").slice("../../".length)} in the output folder) instead of ${configuredBackend(config)}, which is never contacted; ` +
    `this output cannot deploy to AWS.`,
};

function configuredBackend(config: StackConfig): string {
  return config.backend.type === "s3" ? `the s3 backend (bucket ${config.backend.bucket})` : "your local state";
}

export const PROVIDER_MODES = { real: REAL, offline: OFFLINE, sandbox: SANDBOX } as const;
export type ProviderModeName = keyof typeof PROVIDER_MODES;

export function offlineRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_ENV] === "1" || env[OFFLINE_ENV] === "true";
}

/**
 * The sandbox endpoint the environment names (`SANDBOX_ENDPOINT`), as `http://<host>:<port>`,
 * or undefined when the sandbox is off. Throws a {@link ValidationError} when it is not a
 * loopback `http://host:port`, or when `AWS_ENDPOINT_URL` (or a per-service
 * `AWS_ENDPOINT_URL_<SERVICE>`) would send Terraform's calls anywhere else.
 */
export function sandboxEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[SANDBOX_ENV];
  if (given === undefined || given === "") return undefined;
  const example = "http://127.0.0.1:<port>, as `npm run sandbox -- --keep` prints it";
  const endpoint = loopbackOrigin(given);
  if (!endpoint) {
    throw new ValidationError([
      { key: SANDBOX_ENV, value: given, fix: `must be a loopback http://host:port (the local emulator), e.g. ${example}; unset it to deploy for real` },
    ]);
  }
  const problems: Problem[] = [];
  if (offlineRequested(env)) {
    problems.push({
      key: OFFLINE_ENV,
      value: env[OFFLINE_ENV],
      fix: `cannot be set with ${SANDBOX_ENV}: unset one (${OFFLINE_ENV} plans offline, ${SANDBOX_ENV} deploys to the emulator)`,
    });
  }
  const sdkEndpoint = env[AWS_ENDPOINT_ENV];
  if (sdkEndpoint === undefined || loopbackOrigin(sdkEndpoint) !== endpoint) {
    problems.push({
      key: AWS_ENDPOINT_ENV,
      value: sdkEndpoint,
      fix: `must be ${endpoint} too, as ${SANDBOX_ENV}: Terraform's AWS provider sends its calls there (the synthesized JSON names no endpoint)`,
    });
  }
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith(`${AWS_ENDPOINT_ENV}_`) && value && loopbackOrigin(value) !== endpoint) {
      problems.push({ key, value, fix: `unset it, or set it to ${endpoint}: with ${SANDBOX_ENV} every service must go to the emulator` });
    }
  }
  if (/^(1|true)$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "")) {
    problems.push({
      key: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
      value: env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS,
      fix: `unset it: it makes the provider ignore ${AWS_ENDPOINT_ENV} and call AWS`,
    });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return endpoint;
}

/** `http://host:port` when `url` is exactly a loopback http origin, else undefined. */
function loopbackOrigin(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "http:" || !parsed.port || parsed.username || parsed.password || parsed.search || parsed.hash || parsed.pathname !== "/")
    return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const loopback = host === "localhost" || (ipaddr.isValid(host) && ipaddr.parse(host).range() === "loopback");
  return loopback ? parsed.origin : undefined;
}

/**
 * The mode the environment asks for: `sandbox` with `SANDBOX_ENDPOINT` (validated, see
 * {@link sandboxEndpoint}), `offline` with `OFFLINE_PLAN=1`, else `real`.
 */
export function providerModeFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderModeName {
  if (sandboxEndpoint(env)) return "sandbox";
  return offlineRequested(env) ? "offline" : "real";
}

/** The environment that switches the sandbox mode on for `endpoint` (synth, Terraform, `cdktf deploy`). */
export function sandboxEnv(endpoint: string): Record<string, string> {
  return { [SANDBOX_ENV]: endpoint, [AWS_ENDPOINT_ENV]: endpoint };
}

/**
 * Readies a stack directory for the mode it was synthesized in. Terraform records the
 * backend it was initialised with (`.terraform/terraform.tfstate`) and stops `terraform init`
 * with "Backend configuration changed" when the configuration names another: switching
 * between a mode's scratch state and the configured backend would then break the next
 * `npm run plan` or `npx cdktf deploy`. A scratch state holds nothing to migrate, so that
 * record is dropped when one side of the switch is a scratch state (the providers stay); a
 * change between two real backends keeps it, and Terraform offers `-migrate-state` as usual.
 * Returns whether the record was dropped.
 */
export function prepareWorkingDirectory(stackDir: string, stack: string, mode: ProviderMode): boolean {
  const record = path.join(stackDir, ".terraform", "terraform.tfstate");
  let cached: { backend?: { type?: string; config?: { path?: unknown } } };
  try {
    cached = JSON.parse(fs.readFileSync(record, "utf8"));
  } catch {
    return false;
  }
  const cachedPath = cached.backend?.type === "local" ? cached.backend.config?.path : undefined;
  const scratchPaths = Object.values(PROVIDER_MODES as Record<string, ProviderMode>).flatMap((m) => (m.scratchState ? [m.scratchState(stack)] : []));
  const cachedScratch = typeof cachedPath === "string" && scratchPaths.includes(cachedPath);
  const wanted = mode.scratchState?.(stack);
  if (!cachedScratch && wanted === undefined) return false;
  if (cachedScratch && cachedPath === wanted) return false;
  fs.rmSync(record, { force: true });
  return true;
}
