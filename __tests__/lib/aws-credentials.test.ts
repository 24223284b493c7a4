import * as fs from "fs";
import * as path from "path";
import { describeMissingCredentials, findCredentialSources, missingCredentialsError, missingCredentialsWarning } from "../../lib/aws-credentials";
import { withTempDirAsync } from "../helpers";

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Searches with only `env` (no AWS variables of this machine), a home and a firmware root in `dir`. */
const search = (dir: string, env: NodeJS.ProcessEnv = {}) => findCredentialSources({ env, homeDir: path.join(dir, "home"), sysRoot: path.join(dir, "root") });

describe("finding AWS credentials without calling AWS", () => {
  test("nothing set: none found, and the line says what was looked for", async () => {
    await withTempDirAsync(async (dir) => {
      const result = await search(dir);
      expect(result).toEqual({ found: [] });
      expect(describeMissingCredentials(result)).toMatch(
        /^no AWS credentials found \(looked for AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, .*SSO.*EC2 instance role\)$/,
      );
    });
  });

  test("environment variables: keys (both halves), web identity, container credentials", async () => {
    await withTempDirAsync(async (dir) => {
      expect((await search(dir, { AWS_ACCESS_KEY_ID: "AKIA0", AWS_SECRET_ACCESS_KEY: "s" })).found).toEqual(["AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"]);
      expect((await search(dir, { AWS_ACCESS_KEY_ID: "AKIA0" })).found).toEqual([]);
      expect((await search(dir, { AWS_WEB_IDENTITY_TOKEN_FILE: "/t", AWS_ROLE_ARN: "arn:aws:iam::1:role/r" })).found).toEqual([
        "AWS_WEB_IDENTITY_TOKEN_FILE/AWS_ROLE_ARN",
      ]);
      expect((await search(dir, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "/v2/credentials/x" })).found).toEqual([
        "container credentials (AWS_CONTAINER_CREDENTIALS_*)",
      ]);
    });
  });

  test("shared files: a default profile with keys, a named SSO profile; a profile with only a region is no credentials", async () => {
    await withTempDirAsync(async (dir) => {
      const home = path.join(dir, "home");
      write(
        path.join(home, ".aws", "config"),
        "[default]\nregion = ap-northeast-2\n\n[profile work]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n",
      );
      expect((await search(dir)).found).toEqual([]);
      expect((await search(dir, { AWS_PROFILE: "work" })).found).toEqual([`profile work (${path.join(home, ".aws", "config")})`]);

      write(path.join(home, ".aws", "credentials"), "[default]\naws_access_key_id = AKIA0\naws_secret_access_key = s\n");
      expect((await search(dir)).found).toEqual([`profile default (${path.join(home, ".aws", "config")}, ${path.join(home, ".aws", "credentials")})`]);
    });
  });

  test("files named by AWS_CONFIG_FILE are read; AWS_PROFILE naming a missing profile is said so", async () => {
    await withTempDirAsync(async (dir) => {
      const config = path.join(dir, "elsewhere", "config");
      write(config, "[profile ci]\ncredential_process = /usr/bin/get-creds\n");
      expect((await search(dir, { AWS_CONFIG_FILE: config, AWS_PROFILE: "ci" })).found).toEqual([`profile ci (${config})`]);
      const missing = await search(dir, { AWS_CONFIG_FILE: config, AWS_PROFILE: "prod" });
      expect(missing.found).toEqual([]);
      expect(missing.problem).toMatch(/^AWS_PROFILE=prod names no profile in .*elsewhere\/config or .*credentials$/);
      expect(describeMissingCredentials(missing)).toMatch(/^AWS_PROFILE=prod names no profile .*, and no other AWS credentials were found \(looked for/);
    });
  });

  test("an EC2 instance is recognised from its firmware, not by calling the metadata service; AWS_EC2_METADATA_DISABLED turns that off", async () => {
    await withTempDirAsync(async (dir) => {
      write(path.join(dir, "root", "sys", "devices", "virtual", "dmi", "id", "sys_vendor"), "Amazon EC2\n");
      expect((await search(dir)).found).toEqual(["the EC2 instance metadata service (this is an EC2 instance; its role is not checked)"]);
      expect((await search(dir, { AWS_EC2_METADATA_DISABLED: "true" })).found).toEqual([]);
    });
  });

  test("the error names the command, how to set credentials, and what offline mode is instead; the warning the commands that will fail", async () => {
    const line = missingCredentialsError({ found: [] }, "npx cdktf deploy");
    expect(line).toMatch(
      /^npx cdktf deploy needs AWS credentials and stopped before running Terraform: no AWS credentials found \(.*\); set some \(aws configure, aws sso login, or AWS_PROFILE=<profile>\); the offline mode .* plans with none: fake credentials and an empty scratch state, never deployable\.$/,
    );
    expect(line).not.toMatch(/\n/);
    expect(missingCredentialsWarning({ found: [] })).toMatch(
      /^warning: no AWS credentials found .*: npx cdktf diff, deploy and destroy and npm run plan:account will fail until you/,
    );
  });
});
