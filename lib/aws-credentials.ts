/**
 * Whether the environment offers AWS credentials to Terraform, found the way the AWS
 * provider's default chain would look, without calling anything: environment variables, the
 * shared config and credentials files (static keys, SSO, roles, credential_process, web
 * identity), container and web-identity variables, and the EC2 instance metadata service,
 * which is only assumed present on a machine whose firmware says it is an EC2 instance (no
 * request is made: an IMDS probe off EC2 waits on timeouts and sends traffic off the machine).
 * The answer is a hint for failing fast, not a verdict: found credentials may still be
 * expired or denied, which Terraform reports itself.
 * @see https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseKnownFiles } from "@smithy/shared-ini-file-loader";

export interface CredentialSearch {
  /** Where credentials were found, e.g. `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY`; empty when none. */
  readonly found: readonly string[];
  /** A setting that names credentials that are not there (e.g. AWS_PROFILE naming no profile). */
  readonly problem?: string;
}

export interface CredentialSearchOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.aws/`. @default os.homedir() (or HOME in `env`) */
  readonly homeDir?: string;
  /** Root of the file system the EC2 firmware marks are read from. @default "/" */
  readonly sysRoot?: string;
}

/** Profile keys from which the SDKs and the AWS provider make credentials. */
const CREDENTIAL_KEYS = [
  "aws_access_key_id",
  "role_arn",
  "credential_source",
  "source_profile",
  "web_identity_token_file",
  "credential_process",
  "sso_session",
  "sso_start_url",
  "login_session",
];

/**
 * Files that say "this is an EC2 instance" on Nitro (DMI vendor, the instance id as asset tag)
 * and Xen (hypervisor uuid starting with ec2) instances, readable without privileges.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/identify_ec2_instances.html
 */
const EC2_MARKS: readonly [string, RegExp][] = [
  ["sys/devices/virtual/dmi/id/sys_vendor", /^Amazon EC2/],
  ["sys/devices/virtual/dmi/id/board_asset_tag", /^i-[0-9a-f]+/],
  ["sys/hypervisor/uuid", /^ec2/i],
];

function set(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name] ?? "").trim() !== "";
}

export async function findCredentialSources(options: CredentialSearchOptions = {}): Promise<CredentialSearch> {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? (set(env, "HOME") ? env.HOME! : os.homedir());
  const sysRoot = options.sysRoot ?? "/";
  const found: string[] = [];

  if (set(env, "AWS_ACCESS_KEY_ID") && set(env, "AWS_SECRET_ACCESS_KEY")) found.push("AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
  else if (set(env, "AWS_ACCESS_KEY") && set(env, "AWS_SECRET_KEY")) found.push("AWS_ACCESS_KEY/AWS_SECRET_KEY");
  if (set(env, "AWS_WEB_IDENTITY_TOKEN_FILE") && set(env, "AWS_ROLE_ARN")) found.push("AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN");
  if (set(env, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") || set(env, "AWS_CONTAINER_CREDENTIALS_FULL_URI"))
    found.push("container credentials (AWS_CONTAINER_CREDENTIALS_*)");

  const credentialsFile = set(env, "AWS_SHARED_CREDENTIALS_FILE") ? env.AWS_SHARED_CREDENTIALS_FILE! : path.join(home, ".aws", "credentials");
  const configFile = set(env, "AWS_CONFIG_FILE") ? env.AWS_CONFIG_FILE! : path.join(home, ".aws", "config");
  const profiles = await parseKnownFiles({ filepath: credentialsFile, configFilepath: configFile, ignoreCache: true });
  const named = set(env, "AWS_PROFILE")
    ? ["AWS_PROFILE", env.AWS_PROFILE!]
    : set(env, "AWS_DEFAULT_PROFILE")
      ? ["AWS_DEFAULT_PROFILE", env.AWS_DEFAULT_PROFILE!]
      : undefined;
  const profileName = named?.[1] ?? "default";
  const profile = profiles[profileName];
  let problem: string | undefined;
  if (profile && CREDENTIAL_KEYS.some((k) => profile[k] !== undefined)) {
    found.push(`profile ${profileName} (${[configFile, credentialsFile].filter((f) => fs.existsSync(f)).join(", ")})`);
  } else if (named) {
    problem = `${named[0]}=${named[1]} names ${profile ? "a profile without credentials" : "no profile"} in ${configFile} or ${credentialsFile}`;
  }

  if ((env.AWS_EC2_METADATA_DISABLED ?? "").toLowerCase() !== "true") {
    const mark = EC2_MARKS.find(([file, pattern]) => {
      try {
        return pattern.test(fs.readFileSync(path.join(sysRoot, file), "utf8"));
      } catch {
        return false;
      }
    });
    if (mark) found.push("the EC2 instance metadata service (this is an EC2 instance; its role is not checked)");
  }
  return { found, ...(problem ? { problem } : {}) };
}

/** One line saying what was looked for, for a search that found nothing. */
export function describeMissingCredentials(search: CredentialSearch): string {
  return (
    (search.problem ? `${search.problem}, and no other AWS credentials were found` : "no AWS credentials found") +
    " (looked for AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, a default profile with keys, SSO, a role or credential_process in ~/.aws/config or ~/.aws/credentials, " +
    "web identity and container credentials, an EC2 instance role)"
  );
}

/** Where credentials come from, as an operator sets them; and what the offline mode is instead. */
const HOW_TO_SET = "set some (aws configure, aws sso login, or AWS_PROFILE=<profile>)";
const OFFLINE_INSTEAD =
  "the offline mode (npm run plan, or OFFLINE_PLAN=1 npx cdktf diff <stack>) plans with none: fake credentials and an empty scratch state, never deployable";

/**
 * The one line that stops `command` (e.g. `npx cdktf deploy`) before Terraform runs without
 * credentials; with `callsAwsItself` (a command that calls AWS, not Terraform) it says so and
 * leaves out the offline mode, which is no alternative there.
 */
export function missingCredentialsError(search: CredentialSearch, command: string, callsAwsItself = false): string {
  const tail = callsAwsItself ? "" : `; ${OFFLINE_INSTEAD}`;
  return `${command} needs AWS credentials and stopped before ${callsAwsItself ? "calling AWS" : "running Terraform"}: ${describeMissingCredentials(search)}; ${HOW_TO_SET}${tail}.`;
}

/** The one-line warning for a synth that may not be deployed. */
export function missingCredentialsWarning(search: CredentialSearch): string {
  return `warning: ${describeMissingCredentials(search)}: npx cdktf diff, deploy and destroy and npm run plan:account will fail until you ${HOW_TO_SET.slice("set ".length)}; ${OFFLINE_INSTEAD}.`;
}
