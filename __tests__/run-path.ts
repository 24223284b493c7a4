/**
 * How tests run the project's commands: through scripts/run.js, as `npm run synth`, `npm run
 * plan` and cdktf.json's `app` do, so the tests exercise the run path users have.
 */
import * as path from "path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Node's arguments that run a TypeScript entry point of the project (`main.ts`, `scripts/plan.ts`). */
export function entryArgs(entry: string, ...args: string[]): string[] {
  return [path.join(PROJECT_ROOT, "scripts", "run.js"), path.join(PROJECT_ROOT, entry), ...args];
}

/** The same as one shell command, for a `cdktf.json` `app` or `sh -c`. */
export function entryCommand(entry: string): string {
  return [process.execPath, ...entryArgs(entry)].map((a) => JSON.stringify(a)).join(" ");
}
