/**
 * The local AWS emulator: moto's server (pinned in tools/requirements.in, installed into
 * `.venv/` by `tools/install.sh`), run by `tools/emulator/server.py` on a loopback port the
 * kernel picks. {@link startEmulator} resolves once the emulator answers; it is stopped on
 * every path:
 * - {@link Emulator.stop} (SIGTERM, then SIGKILL after a grace period);
 * - this process exiting without a stop, or ending on SIGINT, SIGTERM or SIGHUP
 *   (lib/ends-with-process.ts kills it, then the signal ends the process as it would have);
 * - this process killed outright (SIGKILL, a test runner's timeout): the emulator watches its
 *   parent's pid and stops within a second;
 * - under jest, each emulator's pid is recorded in `$MULTIAZ_REF_EMULATORS` and the global
 *   teardown kills any still running.
 *
 * Lambda runs without Docker (moto's simple backend): functions are stored, and an Invoke
 * returns a canned payload (the request's body, or "Simple Lambda happy path OK") without
 * running the function's code.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { endsWithThisProcess } from "./ends-with-process";
import { PROJECT_ROOT, VENV_DIR, requireTool } from "./python-tools";

/** The account moto answers as (`sts get-caller-identity`). */
export const EMULATOR_ACCOUNT_ID = "123456789012";

/** The folder where emulators started under jest record their pid, for the global teardown. */
export const EMULATOR_REGISTRY_ENV = "MULTIAZ_REF_EMULATORS";

const SERVER_SCRIPT = path.join(PROJECT_ROOT, "tools", "emulator", "server.py");

export interface EmulatorOptions {
  /** The virtual environment holding moto. @default the project's `.venv/` */
  readonly venv?: string;
  /** How long to wait for the emulator to answer, in milliseconds. @default 90000 */
  readonly readyTimeoutMs?: number;
  /** How long {@link Emulator.stop} waits after SIGTERM before SIGKILL, in milliseconds. @default 5000 */
  readonly stopGraceMs?: number;
  /** Extra environment for the emulator process (moto's settings, e.g. `MOTO_IAM_LOAD_MANAGED_POLICIES`). @default none */
  readonly env?: Readonly<Record<string, string>>;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>`: the endpoint for the AWS SDKs, the aws CLI and Terraform. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Stops the emulator and waits until its process has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

function registryFile(pid: number): string | undefined {
  const dir = process.env[EMULATOR_REGISTRY_ENV];
  return dir ? path.join(dir, String(pid)) : undefined;
}

/** Keeps the last `limit` characters a stream wrote, for error messages. */
function tail(limit = 4000): { add(chunk: Buffer): void; text(): string } {
  let text = "";
  return {
    add: (chunk) => {
      text = (text + chunk.toString()).slice(-limit);
    },
    text: () => text.trim(),
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts an emulator and resolves when it answers on its port. Rejects, with the emulator's
 * own output and nothing left running, when moto is not installed, the process exits early,
 * or it does not answer within `readyTimeoutMs`.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const venv = options.venv ?? VENV_DIR;
  requireTool("moto_server", venv);
  const python = path.join(venv, "bin", "python");
  const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
  const stopGraceMs = options.stopGraceMs ?? 5000;

  const child = spawn(python, [SERVER_SCRIPT, "--parent-pid", String(process.pid)], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PYTHONUNBUFFERED: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stderr = tail();
  const stdout = tail();
  const exited = new Promise<number | string>((resolve) => {
    child.on("error", (e) => resolve(e.message));
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  if (child.pid === undefined) {
    throw new Error(`cannot start the emulator (${python} ${SERVER_SCRIPT}): ${await exited}; run \`bash tools/install.sh\``);
  }
  const pid = child.pid;
  const release = endsWithThisProcess(() => child.kill("SIGKILL"));
  const record = registryFile(pid);
  if (record) fs.writeFileSync(record, "");

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.ref(); // keep this process alive until the emulator has exited
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), stopGraceMs);
        await exited;
        clearTimeout(timer);
      }
      release();
      if (record) fs.rmSync(record, { force: true });
    })();
    return stopped;
  };

  const fail = async (why: string): Promise<never> => {
    await stop();
    const output = [stdout.text(), stderr.text()].filter(Boolean).join("\n");
    throw new Error(`the emulator (${python} ${path.relative(process.cwd(), SERVER_SCRIPT)}) ${why}${output ? `:\n${output}` : ""}`);
  };

  const port = await new Promise<number | undefined>((resolve) => {
    let seen = "";
    child.stdout!.on("data", (d: Buffer) => {
      stdout.add(d);
      seen += d.toString();
      const m = /moto listening on 127\.0\.0\.1:(\d+)/.exec(seen);
      if (m) resolve(Number(m[1]));
    });
    child.stderr!.on("data", (d: Buffer) => stderr.add(d));
    void exited.then(() => resolve(undefined));
    setTimeout(() => resolve(undefined), readyTimeoutMs).unref();
  });
  if (port === undefined) {
    return fail(
      child.exitCode !== null || child.signalCode !== null ? `exited (${await exited}) before it was ready` : `did not start within ${readyTimeoutMs} ms`,
    );
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await answers(endpoint))) {
    if (child.exitCode !== null || child.signalCode !== null) return fail(`exited (${await exited}) before it answered on ${endpoint}`);
    if (Date.now() > deadline) return fail(`did not answer on ${endpoint} within ${readyTimeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // A program that forgets stop() still ends; the exit hook then kills the emulator.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  return { endpoint, port, pid, stop };
}

/** Runs `body` with a fresh emulator and stops it afterwards, whether `body` succeeds or throws. */
export async function withEmulator<T>(body: (emulator: Emulator) => Promise<T>, options: EmulatorOptions = {}): Promise<T> {
  const emulator = await startEmulator(options);
  try {
    return await body(emulator);
  } finally {
    await emulator.stop();
  }
}
