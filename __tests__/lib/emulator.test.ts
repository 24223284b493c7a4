import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { CreateVpcCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { EMULATOR_ACCOUNT_ID, Emulator, startEmulator, withEmulator } from "../../lib/emulator";
import { processAlive, withTempDirAsync } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");

async function gone(pid: number, withinMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (processAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

async function refuses(endpoint: string): Promise<boolean> {
  try {
    await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(3000) });
    return false;
  } catch {
    return true;
  }
}

/** Runs support/emulator-parent.ts; resolves with the child and the emulator it started. */
function parentWithEmulator(how: "wait" | "exit" | "throw"): Promise<{ child: ChildProcess; pid: number; endpoint: string; closed: Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "support", "emulator-parent.ts"), how],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const closed = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n")[0];
      if (out.includes("\n")) resolve({ child, closed, ...(JSON.parse(line) as { pid: number; endpoint: string }) });
    });
    void closed.then((code) => reject(new Error(`the parent program ended (${code}) before its emulator was ready: ${err}`)));
  });
}

describe("the emulator", () => {
  test("starts on a port the kernel picks, answers as moto with Lambda off Docker, and stop() ends it", async () => {
    const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
    const emulators: Emulator[] = [a, b];
    try {
      expect(a.port).not.toBe(b.port);
      for (const e of emulators) {
        expect(e.endpoint).toBe(`http://127.0.0.1:${e.port}`);
        expect(e.port).not.toBe(5000); // moto's default port is never assumed
      }
      const config = (await (await fetch(`${a.endpoint}/moto-api/config`)).json()) as { lambda: { use_docker: boolean } };
      expect(config.lambda.use_docker).toBe(false);
      const client = (e: Emulator) =>
        new EC2Client({ endpoint: e.endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      const vpcs = await client(a).send(new DescribeVpcsCommand({}));
      expect(vpcs.Vpcs?.map((v) => v.OwnerId)).toEqual([EMULATOR_ACCOUNT_ID]); // the default VPC
      // each emulator has its own state
      await client(a).send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
      expect((await client(a).send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(2);
      expect((await client(b).send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
    } finally {
      await Promise.all(emulators.map((e) => e.stop()));
    }
    for (const e of emulators) {
      expect(processAlive(e.pid)).toBe(false);
      expect(await refuses(e.endpoint)).toBe(true);
    }
    await a.stop(); // a second stop is harmless
  });

  test("withEmulator stops it when the body fails", async () => {
    let pid = 0;
    await expect(
      withEmulator(async (e) => {
        pid = e.pid;
        throw new Error("body failed");
      }),
    ).rejects.toThrow("body failed");
    expect(pid).toBeGreaterThan(0);
    expect(processAlive(pid)).toBe(false);
  });

  test.concurrent.each(["exit", "throw"] as const)("a program that ends (%s) without stop() leaves no emulator", async (how) => {
    const run = await parentWithEmulator(how);
    expect(await run.closed).not.toBe(null);
    expect(await gone(run.pid, 2000)).toBe(true);
  });

  test.concurrent.each(["SIGKILL", "SIGTERM", "SIGINT"] as const)("a parent ended by %s leaves no emulator", async (signal) => {
    const run = await parentWithEmulator("wait");
    expect(processAlive(run.pid)).toBe(true);
    run.child.kill(signal);
    await run.closed;
    // SIGKILL runs no exit hook: the emulator sees its parent gone and stops by itself.
    expect(await gone(run.pid, signal === "SIGKILL" ? 5000 : 2000)).toBe(true);
  });

  test("missing tools or an emulator that dies at start: a clear error and nothing left running", async () => {
    await withTempDirAsync(async (dir) => {
      await expect(startEmulator({ venv: path.join(dir, "none") })).rejects.toThrow(/moto_server is not installed in .*: run `bash tools\/install\.sh`/);
      const venv = path.join(dir, "venv");
      fs.mkdirSync(path.join(venv, "bin"), { recursive: true });
      fs.writeFileSync(path.join(venv, ".requirements.sha256"), "x");
      fs.writeFileSync(path.join(venv, "bin", "moto_server"), "#!/bin/sh\n", { mode: 0o755 });
      fs.writeFileSync(path.join(venv, "bin", "python"), "#!/bin/sh\necho \"pid $$\" >&2\necho 'ModuleNotFoundError: No module named werkzeug' >&2\nexit 3\n", {
        mode: 0o755,
      });
      const error = await startEmulator({ venv }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(
        /^the emulator \(.*tools\/emulator\/server\.py\) exited \(3\) before it was ready:\npid \d+\nModuleNotFoundError: No module named werkzeug$/,
      );
      const pid = Number(/pid (\d+)/.exec(error!.message)![1]);
      expect(processAlive(pid)).toBe(false);
    });
  });
});
