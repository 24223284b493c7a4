import { AWS_COMMANDS, ProcessReader, cdktfCommand, cdktfInvocation, procReader, targetedStacks } from "../../lib/cdktf-command";

/** A process table: pid -> [ppid, argv]. */
function table(rows: Record<number, [number, string[]]>): ProcessReader {
  return (pid) => (rows[pid] ? { ppid: rows[pid][0], argv: rows[pid][1] } : undefined);
}

describe("the cdktf command running the app", () => {
  test("found on the CLI's command line among the ancestors", () => {
    // node dist/main.js <- sh -c <app> <- node .../cdktf deploy web --auto-approve <- bash
    const read = table({
      40: [30, ["node", "dist/main.js"]],
      30: [20, ["/bin/sh", "-c", "npm run --silent build && node dist/main.js"]],
      20: [10, ["node", "/home/me/project/node_modules/.bin/cdktf", "deploy", "web", "--auto-approve"]],
      10: [1, ["bash"]],
    });
    expect(cdktfCommand(40, read)).toBe("deploy");
    expect(AWS_COMMANDS.has("deploy")).toBe(true);
  });

  test("global options before the command, the npx wrapper, and synth", () => {
    expect(cdktfCommand(2, table({ 2: [1, ["node", "/x/cdktf-cli/bundle/bin/cdktf.js", "--log-level", "debug", "destroy", "multiaz"]] }))).toBe("destroy");
    expect(cdktfCommand(2, table({ 2: [1, ["node", "/usr/lib/node_modules/npm/bin/npx-cli.js", "cdktf", "diff", "web"]] }))).toBe("diff");
    const synth = cdktfCommand(2, table({ 2: [1, ["node", "/x/.bin/cdktf", "synth", "--hcl"]] }));
    expect(synth).toBe("synth");
    expect(AWS_COMMANDS.has(synth!)).toBe(false);
  });

  test("undefined when no cdktf runs the app, or the process table cannot be read", () => {
    expect(cdktfCommand(3, table({ 3: [2, ["node", "dist/main.js"]], 2: [1, ["npm", "run", "synth"]] }))).toBeUndefined();
    expect(cdktfCommand(3, table({}))).toBeUndefined();
    // this test process: jest, not cdktf
    expect(cdktfCommand()).toBeUndefined();
  });

  test("the arguments after the command, and the configured stacks they name", () => {
    const read = table({
      5: [4, ["sh", "-c", "node dist/main.js"]],
      4: [1, ["node", "/x/.bin/cdktf", "destroy", "web", "multi*", "--auto-approve", "--var-file", "x.tfvars"]],
    });
    const invocation = cdktfInvocation(5, read);
    expect(invocation).toEqual({ command: "destroy", args: ["web", "multi*", "--auto-approve", "--var-file", "x.tfvars"] });
    expect(targetedStacks(invocation!.args, ["recovery", "multiaz", "web"])).toEqual(["multiaz", "web"]);
    expect(targetedStacks(["*"], ["recovery", "web"])).toEqual(["recovery", "web"]);
    // no stack named: cdktf takes the only one, and refuses to guess among several
    expect(targetedStacks(["--auto-approve"], ["web"])).toEqual(["web"]);
    expect(targetedStacks([], ["recovery", "web"])).toEqual([]);
    // a dot is a dot
    expect(targetedStacks(["we.b"], ["web"])).toEqual([]);
  });

  test("reads this machine's process table", () => {
    const self = procReader(process.pid);
    expect(self?.ppid).toBe(process.ppid);
    expect(self?.argv[0]).toMatch(/node/);
  });
});
