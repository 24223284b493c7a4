import * as fs from "fs";
import * as path from "path";
import { PROVIDER_MODES, prepareWorkingDirectory, providerModeFromEnv } from "../../modules/provider-mode";
import { config, withTempDir } from "../helpers";

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
  });

  test("offline announces what it replaces; real says nothing and needs the account's credentials", () => {
    expect(PROVIDER_MODES.real.announcement).toBeUndefined();
    expect(PROVIDER_MODES.real.usesAccountCredentials).toBe(true);
    expect(PROVIDER_MODES.offline.usesAccountCredentials).toBe(false);
    const s3 = PROVIDER_MODES.offline.announcement!(config({ backend: { type: "s3", bucket: "team-state" } }));
    expect(s3).toMatch(/^OFFLINE_PLAN is set: .*offline-state\/<stack>\.tfstate.* instead of the s3 backend \(bucket team-state\), which is never contacted: plans start from an empty state; .*never deployed\.$/);
    expect(PROVIDER_MODES.offline.announcement!(config())).toMatch(/instead of your local state/);
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
