import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { run } from "../main";
import { writePreviousOutput, tree, withTempDir, withTempDirAsync } from "./helpers";
import { entryArgs, runInProcess } from "./run-path";

/** Runs main.ts the way `cdktf synth` runs the app (cdktf.json), with the given environment: a Node process through scripts/run.js. */
function spawnMain(env: Record<string, string>, cwd: string) {
  return spawnSync(process.execPath, entryArgs("main.ts"), {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

/** The same app in this process (its `run`), with the same environment and directory. */
function runMain(env: Record<string, string>, cwd: string) {
  return runInProcess(run, [], { ...process.env, ...env }, cwd);
}

describe("main (the app cdktf runs)", () => {
  test("synthesizes every configured stack into CDKTF_OUTDIR; the offline mode is announced and lands in the provider block (a Node process, the real run path)", () => {
    withTempDir((dir) => {
      const run = spawnMain({ CDKTF_OUTDIR: path.join(dir, "out"), OFFLINE_PLAN: "1" }, dir);
      expect(run.stderr).toMatch(/synthesized multiaz, recovery, web/);
      expect(run.stderr).toMatch(/OFFLINE_PLAN is set: .* never deployed/);
      expect(run.status).toBe(0);
      for (const stack of ["recovery", "multiaz", "web"]) {
        const tf = JSON.parse(fs.readFileSync(path.join(dir, "out", "stacks", stack, "cdk.tf.json"), "utf8"));
        expect(tf.provider.aws[0]).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
        // the defaults' zone is reserved: offline, no stack creates it
        expect(tf.resource.aws_route53_zone).toBeUndefined();
      }
    });
  });

  test("refuses a sandbox endpoint off loopback: exit 1, the variable and the fix, nothing written", async () => {
    await withTempDirAsync(async (dir) => {
      const run = await runMain(
        { CDKTF_OUTDIR: path.join(dir, "out"), SANDBOX_ENDPOINT: "http://10.1.2.3:5000", AWS_ENDPOINT_URL: "http://10.1.2.3:5000" },
        dir,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toBe(
        "synth failed, nothing was written:\n" +
          '  - SANDBOX_ENDPOINT ("http://10.1.2.3:5000"): must be a loopback http://host:port (the local emulator), e.g. http://127.0.0.1:<port>, as `npm run sandbox -- --keep` prints it; unset it to deploy for real\n',
      );
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    });
  });

  test("a deployable (real-mode) synth of the defaults stops: the reserved zone name and the missing zone id, nothing written", async () => {
    await withTempDirAsync(async (dir) => {
      const run = await runMain(
        { CDKTF_OUTDIR: path.join(dir, "out"), AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE", AWS_SECRET_ACCESS_KEY: "fake", OFFLINE_PLAN: "" },
        dir,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/synth failed, nothing was written/);
      expect(run.stderr).toMatch(/^ {2}- dns\.zoneName \("ha\.example\.com"\): lies in example\.com, reserved \(RFC 2606\/6761\).*set dns\.zoneName to /m);
      expect(run.stderr).toMatch(
        /^ {2}- dns\.zoneId \(not set\): a deploy adds every stack's records to one existing public hosted zone and creates none: set dns\.zoneId to /m,
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    });
  });

  test("a real-mode synth with a domain you own and its zone id writes every stack, none creating a zone", async () => {
    await withTempDirAsync(async (dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, JSON.stringify({ dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }));
      const run = await runMain(
        { STACK_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out"), AWS_ACCESS_KEY_ID: "AKIAFAKEFAKEFAKEFAKE", AWS_SECRET_ACCESS_KEY: "fake", OFFLINE_PLAN: "" },
        dir,
      );
      expect(run.stderr).toMatch(/synthesized multiaz, recovery, web/);
      expect(run.status).toBe(0);
      for (const stack of ["recovery", "multiaz", "web"]) {
        const tf = JSON.parse(fs.readFileSync(path.join(dir, "out", "stacks", stack, "cdk.tf.json"), "utf8"));
        expect(tf.resource.aws_route53_zone).toBeUndefined();
        expect(Object.values(tf.resource.aws_route53_record).map((r: any) => r.zone_id)).toEqual(expect.arrayContaining(["Z0123456789ABCDEFGHIJ"]));
      }
    });
  });

  test("record names that collide across stacks fail the synth in any mode, naming both keys", async () => {
    await withTempDirAsync(async (dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, JSON.stringify({ recovery: { recordName: "www" } }));
      const run = await runMain({ STACK_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out"), OFFLINE_PLAN: "1" }, dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/- web\.recordName \("www\.ha\.example\.com"\): is also the record of recovery\.recordName/);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    });
  });

  test("fails when the configuration is invalid: exit 1, one line per problem, nothing written", async () => {
    await withTempDirAsync(async (dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, JSON.stringify({ region: "mars-1", azs: ["ap-northeast-2a"] }));
      const run = await runMain({ STACK_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out") }, dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/synth failed, nothing was written/);
      expect(run.stderr).toMatch(/- region \("mars-1"\): must be an AWS region name/);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    });
  });

  test("fails when a construct rejects the configuration, with nothing written", async () => {
    await withTempDirAsync(async (dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, JSON.stringify({ azs: ["ap-northeast-2a"] }));
      const run = await runMain({ STACK_CONFIG: file, CDKTF_OUTDIR: path.join(dir, "out"), OFFLINE_PLAN: "1" }, dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/- azs \(\["ap-northeast-2a"\]\): list 2 to 6 availability zones/);
      expect(fs.readdirSync(dir)).toEqual(["stack.json"]);
    });
  });

  test.each([
    [
      "nesting 100,000 levels deep",
      `{"web": ${'{"a":'.repeat(100000)}1${"}".repeat(100000)}}`,
      [/^web(\.a)+ \("\(nested deeper\)"\): nests deeper than 8 levels/],
    ],
    [
      "a byte order mark, a null section, a string for a boolean, a misspelled key and an instance type that does not exist",
      `\uFEFF${JSON.stringify({ network: null, regoin: "eu-west-1", web: { deletionProtection: "false", instanceType: "t3.mirco" } })}`,
      [
        /^network \(null\): must be an object of settings/,
        /^regoin \("eu-west-1"\): is not a setting; did you mean region\?/,
        /^web\.deletionProtection \("false"\): must be true or false$/,
        /^web\.instanceType \("t3\.mirco"\): .*did you mean t3\.micro\?$/,
      ],
    ],
    [
      "AZs of another region (found by the network construct)",
      JSON.stringify({ azs: ["us-east-1a", "us-east-1b"] }),
      [/^azs\[0\] \("us-east-1a"\): is not an AZ of region/, /^azs\[1\] \("us-east-1b"\): is not an AZ of region/],
    ],
  ])("fails on %s: exit 1, one line per problem, no trace, the output folder as it was", async (_case, text, expected) => {
    await withTempDirAsync(async (dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, text);
      const outdir = path.join(dir, "cdktf.out");
      writePreviousOutput(outdir);
      const before = tree(outdir);
      const run = await runMain({ STACK_CONFIG: file, CDKTF_OUTDIR: outdir, OFFLINE_PLAN: "1" }, dir);
      expect(run.status).toBe(1);
      const [header, ...lines] = run.stderr.trimEnd().split("\n");
      expect(header).toBe("synth failed, nothing was written:");
      expect(lines).toHaveLength(expected.length);
      for (const re of expected) expect(lines.filter((l) => re.test(l.replace(/^ {2}- /, "")))).toHaveLength(1);
      expect(tree(outdir)).toEqual(before);
    });
  });
});
