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
    const argv = fs
      .readFileSync(`/proc/${pid}/cmdline`, "utf8")
      .split("\0")
      .filter((a) => a !== "");
    return Number.isInteger(ppid) ? { ppid, argv } : undefined;
  } catch {
    return undefined;
  }
};

export interface CdktfInvocation {
  /** The command, e.g. "deploy". */
  readonly command: string;
  /** What follows it on the command line: stack names, options. */
  readonly args: readonly string[];
}

/** The cdktf invocation among the ancestors of `pid` (up to a few levels). */
export function cdktfInvocation(pid: number = process.pid, read: ProcessReader = procReader): CdktfInvocation | undefined {
  for (let level = 0, current = pid; level < 6 && current > 1; level++) {
    const proc = read(current);
    if (!proc) return undefined;
    const bin = proc.argv.findIndex((a) => ["cdktf", "cdktf.js"].includes(path.basename(a)));
    if (bin >= 0) {
      const rest = proc.argv.slice(bin + 1);
      const at = rest.findIndex((a) => APP_COMMANDS.includes(a));
      return at >= 0 ? { command: rest[at], args: rest.slice(at + 1) } : undefined;
    }
    current = proc.ppid;
  }
  return undefined;
}

/** The cdktf command among the ancestors of `pid`, e.g. "deploy". */
export function cdktfCommand(pid: number = process.pid, read: ProcessReader = procReader): string | undefined {
  return cdktfInvocation(pid, read)?.command;
}

/**
 * The configured stacks a command's arguments name: stack names and `*` patterns among them;
 * with none named and one stack configured, that one (cdktf then picks it itself).
 */
export function targetedStacks(args: readonly string[], configured: readonly string[]): string[] {
  const patterns = args
    .filter((a) => !a.startsWith("-"))
    .map(
      (a) =>
        new RegExp(
          `^${a
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ),
    );
  if (patterns.length === 0) return configured.length === 1 ? [...configured] : [];
  return configured.filter((s) => patterns.some((p) => p.test(s)));
}
