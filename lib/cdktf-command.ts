/**
 * The cdktf CLI command that is running this app, if any: `cdktf synth`, `diff`, `deploy` and
 * `destroy` all run it the same way, with nothing in the environment to tell them apart, so
 * the command is read from the CLI's own command line among this process's ancestors
 * (`node .../cdktf deploy web` -> `sh -c <app>` -> this process). Linux only (`/proc`);
 * elsewhere, or when the app runs otherwise (`npm run synth`, tests), the answer is undefined.
 */
import * as fs from "fs";
import * as path from "path";

/** The commands of cdktf-cli 0.21 that run the app. */
const APP_COMMANDS = ["synth", "synthesize", "diff", "plan", "deploy", "apply", "destroy", "watch", "output", "outputs", "list"];

/** Commands after which Terraform calls AWS with the environment's credentials. */
export const AWS_COMMANDS: ReadonlySet<string> = new Set(["diff", "plan", "deploy", "apply", "destroy", "watch"]);

/** Reads a process's parent pid and command line; undefined when it cannot be read. */
export type ProcessReader = (pid: number) => { readonly ppid: number; readonly argv: readonly string[] } | undefined;

export const procReader: ProcessReader = (pid) => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid ...; comm may hold spaces and parentheses
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
    return Number.isInteger(ppid) ? { ppid, argv } : undefined;
  } catch {
    return undefined;
  }
};

/** The cdktf command among the ancestors of `pid` (up to a few levels), e.g. "deploy". */
export function cdktfCommand(pid: number = process.pid, read: ProcessReader = procReader): string | undefined {
  for (let level = 0, current = pid; level < 6 && current > 1; level++) {
    const proc = read(current);
    if (!proc) return undefined;
    const bin = proc.argv.findIndex((a) => ["cdktf", "cdktf.js"].includes(path.basename(a)));
    if (bin >= 0) return proc.argv.slice(bin + 1).find((a) => APP_COMMANDS.includes(a));
    current = proc.ppid;
  }
  return undefined;
}
