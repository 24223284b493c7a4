/**
 * lib/terraform.ts's scratch directories: the lock keeps the provider's version and loses its
 * checksums, which Terraform then does not check on every command; a kept directory's lock keeps
 * them, and Terraform does check those (so leaving them out is what saves the work). A scratch
 * init is kept and copied into the next directory that needs the same init, with no Terraform run.
 * A Terraform run ends with the process that started it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findProviderMirror, linkMirror } from "../../lib/provider-mirror";
import { INIT_CACHE_ENV, TerraformError, initScratch, planStack, terraform, terraformEnv, withoutChecksums } from "../../lib/terraform";
import { processAlive, withTempDirAsync } from "../helpers";

const LOCK = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.100.0"
  constraints = "5.100.0"
  hashes = [
    "h1:edXOJWE4ORX8Fm+dpVpICzMZJat4AX0VRCAy/xkcOc0=",
    "zh:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version = "3.6.0"
  hashes  = ["h1:R5Ucn26riKIEijcsiOMBR3uOAjuOMfI1x7XvH4P6B1w="]
}
`;

describe("withoutChecksums", () => {
  test("takes out every provider's checksums, one-line or many, and keeps the rest as it was", () => {
    const out = withoutChecksums(LOCK);
    expect(out).not.toMatch(/hashes|h1:|zh:/);
    expect(out).toBe(
      LOCK.replace(/ {2}hashes = \[\n(?: {4}".*",\n)+ {2}\]\n/, "").replace(/ {2}hashes {2}= \["h1:R5Ucn26riKIEijcsiOMBR3uOAjuOMfI1x7XvH4P6B1w="\]\n/, ""),
    );
    expect(out).toContain('  version     = "5.100.0"\n  constraints = "5.100.0"\n}');
    expect(out).toContain('  version = "3.6.0"\n}');
  });

  test("leaves a lock with no checksums as it is", () => {
    const bare = withoutChecksums(LOCK);
    expect(withoutChecksums(bare)).toBe(bare);
  });
});

const AWS = { source: "hashicorp/aws", version: "5.100.0" };
const OFFLINE_AWS = { region: "us-east-1", access_key: "a", secret_key: "b", skip_credentials_validation: true, skip_requesting_account_id: true };

/** A root module in `dir/name`, in `file`, needing the AWS provider (offline), plus `extra`; the image's mirror linked. */
function root(dir: string, name: string, file: string, extra: { backend?: object; resource?: object } = {}): string {
  const stackDir = path.join(dir, name);
  fs.mkdirSync(stackDir);
  const terraform = { required_providers: { aws: AWS }, ...(extra.backend ? { backend: extra.backend } : {}) };
  fs.writeFileSync(
    path.join(stackDir, file),
    JSON.stringify({ terraform, provider: { aws: [OFFLINE_AWS] }, ...(extra.resource ? { resource: extra.resource } : {}) }),
  );
  const mirror = findProviderMirror();
  if (mirror) linkMirror(stackDir, mirror);
  return stackDir;
}

/** A root module that needs the AWS provider and declares nothing. */
const emptyRoot = (dir: string): string => root(dir, "stack", "main.tf.json");

describe("a scratch directory's plan", () => {
  test("inits, keeps the provider's version in the lock without its checksums, and plans; a wrong checksum would fail the plan", async () => {
    await withTempDirAsync(async (dir) => {
      const stackDir = emptyRoot(dir);
      const summary = await planStack("empty", stackDir, path.join(dir, "empty.plan.json"), undefined, { scratch: true });
      expect(summary).toMatchObject({ add: 0, change: 0, destroy: 0 });

      const lockFile = path.join(stackDir, ".terraform.lock.hcl");
      const lock = fs.readFileSync(lockFile, "utf8");
      expect(lock).toMatch(/provider "registry\.terraform\.io\/hashicorp\/aws" \{\n\s+version\s+= "5\.100\.0"/);
      expect(lock).not.toMatch(/hashes/);

      // What the saved work is: with a checksum in the lock, every command hashes the package and
      // compares, and stops when it does not match.
      fs.writeFileSync(lockFile, lock.replace(/(constraints\s+= "5\.100\.0"\n)/, `$1  hashes = ["h1:${"A".repeat(43)}="]\n`));
      const failed = await terraform(["plan", "-input=false", "-no-color", "-lock=false"], stackDir).catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(TerraformError);
      expect((failed as TerraformError).message).toMatch(/does not match any of the checksums recorded in the dependency lock file/);
    });
  });

  test("a kept directory (no scratch) keeps the checksums terraform init recorded", async () => {
    await withTempDirAsync(async (dir) => {
      const stackDir = emptyRoot(dir);
      await planStack("empty", stackDir, path.join(dir, "empty.plan.json"));
      expect(fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8")).toMatch(/hashes = \[\n\s+"h1:/);
    });
  });
});

/** A cdktf stack directory (`cdk.tf.json`) needing the AWS provider, its state in a local file named for `stack`. */
const cdktfRoot = (dir: string, name: string, stack: string): string =>
  root(dir, name, "cdk.tf.json", { backend: { local: { path: `../state/${stack}.tfstate` } }, resource: { aws_sns_topic: { t: { name: stack } } } });

describe("a scratch init, kept and copied", () => {
  test("a second directory with the same init gets a copy, with no Terraform run, and plans; another backend gets its own init", async () => {
    await withTempDirAsync(async (dir) => {
      const cache = path.join(dir, "cache");
      fs.mkdirSync(cache);
      const env = terraformEnv({ [INIT_CACHE_ENV]: cache });
      const first = cdktfRoot(dir, "first", "web");
      await initScratch(first, env);
      expect(fs.readdirSync(cache)).toHaveLength(1);

      // Terraform cannot even be found: the init must come from the kept one.
      const second = cdktfRoot(dir, "second", "web");
      fs.writeFileSync(path.join(second, "cdk.tf.json"), fs.readFileSync(path.join(second, "cdk.tf.json"), "utf8").replace('"name":"web"', '"name":"other"'));
      await initScratch(second, { ...env, PATH: path.join(dir, "no-terraform-here") });
      for (const file of [".terraform.lock.hcl", path.join(".terraform", "terraform.tfstate")])
        expect([file, fs.readFileSync(path.join(second, file), "utf8")]).toEqual([file, fs.readFileSync(path.join(first, file), "utf8")]);
      expect(fs.readFileSync(path.join(second, ".terraform.lock.hcl"), "utf8")).not.toMatch(/hashes/);
      const pkg = path.join(".terraform", "providers", "registry.terraform.io", "hashicorp", "aws", "5.100.0");
      const [platform] = fs.readdirSync(path.join(first, pkg));
      expect(fs.readlinkSync(path.join(second, pkg, platform))).toBe(fs.readlinkSync(path.join(first, pkg, platform)));
      const plan = await terraform(["plan", "-input=false", "-no-color", "-lock=false"], second, env);
      expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);

      // Another backend path is another init: Terraform would refuse a copy recording the first's.
      const third = cdktfRoot(dir, "third", "recovery");
      await initScratch(third, env);
      expect(fs.readdirSync(cache)).toHaveLength(2);
      expect(fs.readFileSync(path.join(third, ".terraform", "terraform.tfstate"), "utf8")).toContain("../state/recovery.tfstate");
    });
  });
});

describe("a Terraform run ends with the process that started it", () => {
  const until = async (what: () => boolean, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!what() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return what();
  };
  /** A root module whose apply runs `sleep` (Terraform's own `terraform_data` and `local-exec`, no provider), recording its pid. */
  function sleepingRoot(dir: string): { stackDir: string; pidFile: string } {
    const stackDir = path.join(dir, "sleeping");
    fs.mkdirSync(stackDir);
    const pidFile = path.join(dir, "sleep.pid");
    fs.writeFileSync(
      path.join(stackDir, "main.tf.json"),
      JSON.stringify({
        resource: { terraform_data: { sleep: { provisioner: [{ "local-exec": { command: `echo $$ > ${pidFile}; exec sleep 120` } }] } } },
      }),
    );
    return { stackDir, pidFile };
  }

  test.each(["SIGTERM", "SIGINT"] as const)("ended by %s while an apply runs, it leaves neither Terraform nor what Terraform started", async (signal) => {
    await withTempDirAsync(async (dir) => {
      const { stackDir, pidFile } = sleepingRoot(dir);
      await terraform(["init", "-input=false", "-no-color"], stackDir);
      const parent = spawn(
        process.execPath,
        ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "support", "terraform-parent.ts"), stackDir],
        { stdio: "ignore", env: terraformEnv() },
      );
      const ended = new Promise<NodeJS.Signals | null>((resolve) => parent.on("exit", (_code, s) => resolve(s)));
      expect(await until(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, "utf8").trim() !== "", 60_000)).toBe(true);
      const sleepPid = Number(fs.readFileSync(pidFile, "utf8").trim());
      // The provisioner's shell is Terraform's child: its parent is the Terraform process.
      const terraformPid = Number(fs.readFileSync(`/proc/${sleepPid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      expect([processAlive(sleepPid), processAlive(terraformPid), terraformPid === parent.pid]).toEqual([true, true, false]);

      parent.kill(signal);
      expect(await ended).toBe(signal);
      expect(await until(() => !processAlive(sleepPid) && !processAlive(terraformPid), 10_000)).toBe(true);
    });
  });

  test("(what the check counts) a process that has ended but not been collected yet is no longer alive", async () => {
    // The inner sleep ends first; its parent, now the outer sleep, never collects it.
    const child = spawn("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 5"], { stdio: ["ignore", "pipe", "ignore"] });
    const inner = Number(await new Promise<string>((resolve) => child.stdout!.once("data", (d: Buffer) => resolve(d.toString()))));
    try {
      expect(await until(() => !processAlive(inner), 5000)).toBe(true);
      expect(fs.readFileSync(`/proc/${inner}/stat`, "utf8")).toMatch(/\) Z /);
      expect(processAlive(child.pid!)).toBe(true);
    } finally {
      child.kill("SIGKILL");
    }
  });

  test("with no run left, the signals are as they were", async () => {
    const before = Object.fromEntries((["SIGINT", "SIGTERM", "SIGHUP", "exit"] as const).map((s) => [s, process.listenerCount(s)]));
    await withTempDirAsync(async (dir) => {
      await terraform(["version"], dir);
    });
    const after = Object.fromEntries(Object.keys(before).map((s) => [s, process.listenerCount(s)]));
    expect(after).toEqual(before);
  });
});
