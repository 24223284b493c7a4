/**
 * How the project's commands run: each entry point (`main.ts`, `scripts/<name>.ts`) exports
 * `run(argv, env, io)`, which returns the exit code, reads its settings from `env` and its
 * relative paths from `io.cwd`, and writes only through `io`; the file calls it at its bottom
 * only when it is the entry point the process was started for. Tests call `run` in process
 * instead of spawning a Node process that loads cdktf and the provider again.
 *
 * cdktf's App reads the variables its own CLI sets (SYNTH_HCL_OUTPUT, CDKTF_CONTEXT_JSON) from
 * `process.env`: a test of that path runs the cdktf CLI.
 */
import * as path from "path";

/** Where a command's output goes: `process.stdout`, or a test's buffer. */
export interface Writer {
  write(text: string): unknown;
}

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** The directory relative paths are resolved from (the process's, for a real run). */
  readonly cwd: string;
}

/** A command: its arguments after the entry point, its environment, its output; resolves to the exit code. */
export type Cli = (argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo) => Promise<number>;

/**
 * A path a command was given, as this process opens it: an absolute path as it is, a relative
 * one taken from `io.cwd` and kept relative to the process's directory (so a real run prints
 * and records it as the user wrote it).
 */
export function cliPath(io: CliIo, file: string): string {
  return path.isAbsolute(file) ? file : path.relative(process.cwd(), path.resolve(io.cwd, file)) || ".";
}

/** The process's own streams and directory. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

/**
 * The key under which scripts/run.js records the source file it runs (every file of its
 * bundle shares one `module`, so `require.main === module` holds for all of them there).
 */
export const ENTRY_POINT_KEY = Symbol.for("multiaz-ref.entry-point");

/**
 * Whether the source file `file` (its `__filename`) is the entry point of this process:
 * the file scripts/run.js was asked to run, else (tsc output, ts-node) the main module.
 * Never for a module a test imports (jest's main module is the test file).
 */
export function isEntryPoint(mod: NodeModule, file: string): boolean {
  const bundled = (globalThis as Record<symbol, unknown>)[ENTRY_POINT_KEY];
  return typeof bundled === "string" ? bundled === file : require.main === mod;
}

/**
 * Runs `cli` with the process's arguments, environment and streams when `file` is the entry
 * point, and exits with its code; an error it throws is printed by `onError` (a message,
 * no stack trace, by default), then the process exits 1.
 */
export function runIfEntryPoint(mod: NodeModule, file: string, cli: Cli, onError: (e: unknown, io: CliIo) => void = printMessage): void {
  if (!isEntryPoint(mod, file)) return;
  const io = processIo();
  cli(process.argv.slice(2), process.env, io).then(
    (code) => process.exit(code),
    (e: unknown) => {
      onError(e, io);
      process.exit(1);
    },
  );
}

function printMessage(e: unknown, io: CliIo): void {
  io.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
}
