import * as fs from "fs";
import * as path from "path";
import { App, Testing } from "cdktf";
import { EMULATOR_ACCOUNT_ID } from "../../lib/emulator";
import { ValidationError } from "../../lib/validation";
import { buildStack } from "../../modules";
import { PROVIDER_MODES, ProviderModeName, prepareWorkingDirectory, providerModeFromEnv, sandboxEndpoint, sandboxEnv } from "../../modules/provider-mode";
import { config, withTempDir } from "../helpers";

/** The problems (key: fix) the environment's sandbox switch is refused with, or [] when accepted. */
function refusals(env: NodeJS.ProcessEnv): string[] {
  try {
    sandboxEndpoint(env);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.problems.map((p) => `${p.key}: ${p.fix}`);
  }
}

function synthJson(mode: ProviderModeName, stack: "recovery" | "multiaz" | "web"): Record<string, any> {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    return JSON.parse(Testing.synth(buildStack(app, stack, config(), { mode })));
  });
}

/** A stack directory whose `.terraform/` records `backend` as the one it was initialised with. */
function initialised(dir: string, backend: { type: string; config: Record<string, unknown> }): string {
  fs.mkdirSync(path.join(dir, ".terraform", "providers"), { recursive: true });
  fs.writeFileSync(path.join(dir, ".terraform", "terraform.tfstate"), JSON.stringify({ version: 3, backend: { ...backend, hash: 1 } }));
  return path.join(dir, ".terraform", "terraform.tfstate");
}

describe("provider modes", () => {
  test("chosen by OFFLINE_PLAN, real otherwise", () => {
    expect(providerModeFromEnv({})).toBe("real");
    expect(providerModeFromEnv({ OFFLINE_PLAN: "1" })).toBe("offline");
    expect(providerModeFromEnv({ OFFLINE_PLAN: "true" })).toBe("offline");
    expect(providerModeFromEnv({ OFFLINE_PLAN: "0" })).toBe("real");
    expect(providerModeFromEnv(sandboxEnv("http://127.0.0.1:41234"))).toBe("sandbox");
    expect(providerModeFromEnv({ SANDBOX_ENDPOINT: "" })).toBe("real");
  });

  test("the sandbox switch takes loopback http://host:port endpoints only, the same in AWS_ENDPOINT_URL", () => {
    for (const endpoint of ["http://127.0.0.1:41234", "http://localhost:5000", "http://[::1]:5000", "http://127.3.2.1:8080/"]) {
      expect([endpoint, refusals({ SANDBOX_ENDPOINT: endpoint, AWS_ENDPOINT_URL: endpoint })]).toEqual([endpoint, []]);
    }
    expect(sandboxEndpoint({ SANDBOX_ENDPOINT: "http://127.0.0.1:41234/", AWS_ENDPOINT_URL: "http://127.0.0.1:41234" })).toBe("http://127.0.0.1:41234");
    expect(sandboxEndpoint({})).toBeUndefined();
    for (const endpoint of [
      "http://10.0.0.5:5000",
      "http://169.254.169.254:80",
      "http://0.0.0.0:5000",
      "http://127.0.0.1.example.com:5000",
      "https://127.0.0.1:5000",
      "http://127.0.0.1",
      "http://127.0.0.1:5000/moto",
      "http://user:pw@127.0.0.1:5000",
      "127.0.0.1:5000",
      "ec2.eu-west-1.amazonaws.com",
    ]) {
      expect([endpoint, refusals({ SANDBOX_ENDPOINT: endpoint, AWS_ENDPOINT_URL: endpoint })]).toEqual([
        endpoint,
        [
          expect.stringMatching(
            /^SANDBOX_ENDPOINT: must be a loopback http:\/\/host:port \(the local emulator\), e\.g\. http:\/\/127\.0\.0\.1:<port>.*; unset it to deploy for real$/,
          ),
        ],
      ]);
    }
  });

  test("the sandbox is refused when any AWS call could go elsewhere, or with the offline switch", () => {
    const on = "http://127.0.0.1:41234";
    expect(refusals({ SANDBOX_ENDPOINT: on })).toEqual([
      expect.stringMatching(/^AWS_ENDPOINT_URL: must be http:\/\/127\.0\.0\.1:41234 too, as SANDBOX_ENDPOINT: /),
    ]);
    expect(refusals({ SANDBOX_ENDPOINT: on, AWS_ENDPOINT_URL: "http://127.0.0.1:5000" })).toHaveLength(1);
    expect(refusals({ ...sandboxEnv(on), AWS_ENDPOINT_URL_EC2: "https://ec2.eu-west-1.amazonaws.com" })).toEqual([
      expect.stringMatching(/^AWS_ENDPOINT_URL_EC2: unset it, or set it to http:\/\/127\.0\.0\.1:41234: /),
    ]);
    expect(refusals({ ...sandboxEnv(on), AWS_ENDPOINT_URL_EC2: on })).toEqual([]);
    expect(refusals({ ...sandboxEnv(on), AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" })).toEqual([
      expect.stringMatching(/^AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: unset it/),
    ]);
    expect(refusals({ ...sandboxEnv(on), OFFLINE_PLAN: "1" })).toEqual([expect.stringMatching(/^OFFLINE_PLAN: cannot be set with SANDBOX_ENDPOINT/)]);
    expect(() => providerModeFromEnv({ ...sandboxEnv(on), OFFLINE_PLAN: "1" })).toThrow(ValidationError);
  });

  test("a sandbox synth deploys the bytes a real deploy does: only the provider's credentials and account guard and the state differ", () => {
    for (const stack of ["recovery", "multiaz", "web"] as const) {
      const real = synthJson("real", stack);
      const sandbox = synthJson("sandbox", stack);
      const { provider: realProvider, terraform: realTerraform, ...realRest } = real;
      const { provider: sandboxProvider, terraform: sandboxTerraform, ...sandboxRest } = sandbox;
      expect(sandboxRest).toEqual(realRest);
      expect(sandboxProvider.aws[0]).toEqual({
        ...realProvider.aws[0],
        access_key: "sandbox-emulator-not-a-key",
        secret_key: "sandbox-emulator-not-a-secret",
        allowed_account_ids: [EMULATOR_ACCOUNT_ID],
        skip_metadata_api_check: "true",
      });
      // no endpoints block: the endpoint comes from AWS_ENDPOINT_URL
      expect(JSON.stringify(sandboxProvider)).not.toMatch(/endpoint|127\.0\.0\.1/);
      expect(sandboxTerraform.backend).toEqual({ local: { path: `../../sandbox-state/${stack}.tfstate` } });
      expect({ ...sandboxTerraform, backend: undefined }).toEqual({ ...realTerraform, backend: undefined });
    }
  });

  test("offline announces what it replaces; real says nothing and needs the account's credentials", () => {
    expect(PROVIDER_MODES.real.announcement).toBeUndefined();
    expect(PROVIDER_MODES.real.usesAccountCredentials).toBe(true);
    expect(PROVIDER_MODES.offline.usesAccountCredentials).toBe(false);
    const s3 = PROVIDER_MODES.offline.announcement!(
      config({ backend: { type: "s3", bucket: "team-state" }, dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }),
    );
    expect(s3).toMatch(
      /^OFFLINE_PLAN is set: .*offline-state\/<stack>\.tfstate.* instead of the s3 backend \(bucket team-state\), which is never contacted: plans start from an empty state; .*never deployed\.$/,
    );
    expect(PROVIDER_MODES.offline.announcement!(config())).toMatch(
      /instead of your local state.* With dns\.zoneId unset, the records go into the stand-in zone id ZOFFLINEPLANNOZONE, as a deploy puts them into the existing zone dns\.zoneId names\.$/,
    );
    expect(PROVIDER_MODES.sandbox.usesAccountCredentials).toBe(false);
    expect(PROVIDER_MODES.sandbox.announcement!(config(), sandboxEnv("http://127.0.0.1:41234"))).toMatch(
      /^SANDBOX_ENDPOINT is set: the stacks deploy to the local AWS emulator at http:\/\/127\.0\.0\.1:41234 \(AWS_ENDPOINT_URL\) with fake credentials, allowed only in the emulator's account 123456789012; .*sandbox-state\/<stack>\.tfstate.* instead of your local state, which is never contacted; this output cannot deploy to AWS\.$/,
    );
  });

  test("only the real mode deploys to AWS (the sandbox deploys to the emulator); offline stands in a zone id for an unset dns.zoneId, real has none", () => {
    expect(PROVIDER_MODES.real.deploysToAws).toBe(true);
    expect(PROVIDER_MODES.offline.deploysToAws).toBe(false);
    expect(PROVIDER_MODES.sandbox.deploysToAws).toBe(false);
    expect(PROVIDER_MODES.real.standInZoneId).toBeUndefined();
    expect(PROVIDER_MODES.offline.standInZoneId).toMatch(/^Z[A-Z0-9]{1,31}$/);
  });

  test("the recorded backend is dropped when a synth switches between a scratch state and a real backend, and only then", () => {
    withTempDir((dir) => {
      const cases: [string, { type: string; config: Record<string, unknown> }, keyof typeof PROVIDER_MODES, boolean][] = [
        ["real local -> offline", { type: "local", config: { path: "../../../terraform.web.tfstate" } }, "offline", true],
        ["s3 -> offline", { type: "s3", config: { bucket: "b", key: "k" } }, "offline", true],
        ["offline -> real", { type: "local", config: { path: "../../offline-state/web.tfstate" } }, "real", true],
        ["offline -> offline", { type: "local", config: { path: "../../offline-state/web.tfstate" } }, "offline", false],
        ["s3 -> real (a migration Terraform must see)", { type: "s3", config: { bucket: "b", key: "k" } }, "real", false],
        ["local -> real", { type: "local", config: { path: "../../../terraform.web.tfstate" } }, "real", false],
        ["offline -> sandbox", { type: "local", config: { path: "../../offline-state/web.tfstate" } }, "sandbox", true],
        ["sandbox -> real", { type: "local", config: { path: "../../sandbox-state/web.tfstate" } }, "real", true],
        ["sandbox -> sandbox", { type: "local", config: { path: "../../sandbox-state/web.tfstate" } }, "sandbox", false],
      ];
      for (const [name, backend, mode, dropped] of cases) {
        const stackDir = path.join(dir, name.replace(/\W+/g, "-"));
        const record = initialised(stackDir, backend);
        expect([name, prepareWorkingDirectory(stackDir, "web", PROVIDER_MODES[mode])]).toEqual([name, dropped]);
        expect([name, fs.existsSync(record)]).toEqual([name, !dropped]);
        // the providers Terraform installed stay either way
        expect(fs.existsSync(path.join(stackDir, ".terraform", "providers"))).toBe(true);
      }
      // a directory never initialised is left alone
      expect(prepareWorkingDirectory(path.join(dir, "fresh"), "web", PROVIDER_MODES.offline)).toBe(false);
    });
  });
});
