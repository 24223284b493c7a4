/**
 * How tests run the project's commands: in process through the entry point's `run` (lib/cli.ts),
 * or, to prove the real path, through scripts/run.js, as `npm run synth`, `npm run plan` and
 * cdktf.json's `app` do.
 */
import * as path from "path";
import type { Cli } from "../lib/cli";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Node's arguments that run a TypeScript entry point of the project (`main.ts`, `scripts/plan.ts`). */
export function entryArgs(entry: string, ...args: string[]): string[] {
  return [path.join(PROJECT_ROOT, "scripts", "run.js"), path.join(PROJECT_ROOT, entry), ...args];
}

/** The same as one shell command, for a `cdktf.json` `app` or `sh -c`. */
export function entryCommand(entry: string): string {
  return [process.execPath, ...entryArgs(entry)].map((a) => JSON.stringify(a)).join(" ");
}

/** What a command printed and returned, named as `spawnSync` names them. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs an entry point's `run` in this process, as `node scripts/run.js <entry>` would run it
 * with these arguments, this environment and working directory, and collects its output; an
 * error it throws is the test's failure. One test per entry point spawns the real path instead.
 */
export async function runInProcess(cli: Cli, argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const status = await cli(argv, env, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, cwd });
  return { status, stdout, stderr };
}
