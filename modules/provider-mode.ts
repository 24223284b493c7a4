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
 *
 * A mode is chosen per synth from the environment ({@link providerModeFromEnv}); another mode
 * (e.g. a sandbox against a local AWS emulator) is one more entry in {@link PROVIDER_MODES}.
 */
import * as fs from "fs";
import * as path from "path";
import type { AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import type { StackConfig } from "../config/schema";

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
  /** What synth says on stderr about this mode, or nothing. */
  readonly announcement?: (config: StackConfig) => string;
}

const REAL: ProviderMode = { name: "real", provider: {}, usesAccountCredentials: true };

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
  announcement: (config) => {
    const backend = config.backend.type === "s3" ? `the s3 backend (bucket ${config.backend.bucket})` : "your local state";
    return (
      `${OFFLINE_ENV} is set: the provider uses fake credentials and skip flags, and the state is a scratch file ` +
      `(${offlineState("<stack>").slice("../../".length)} in the output folder) instead of ${backend}, which is never contacted: ` +
      `plans start from an empty state; this output can be planned, never deployed.`
    );
  },
};

export const PROVIDER_MODES = { real: REAL, offline: OFFLINE } as const;
export type ProviderModeName = keyof typeof PROVIDER_MODES;

export function offlineRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_ENV] === "1" || env[OFFLINE_ENV] === "true";
}

/** The mode the environment asks for: `offline` with `OFFLINE_PLAN=1`, else `real`. */
export function providerModeFromEnv(env: NodeJS.ProcessEnv = process.env): ProviderModeName {
  return offlineRequested(env) ? "offline" : "real";
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
