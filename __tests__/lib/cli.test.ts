import * as path from "path";
import { CliIo, ENTRY_POINT_KEY, cliPath, isEntryPoint } from "../../lib/cli";

const io = (cwd: string): CliIo => ({ stdout: { write: () => true }, stderr: { write: () => true }, cwd });

describe("lib/cli", () => {
  test("a path given to a command: absolute as it is, relative taken from the command's directory and kept relative to the process's", () => {
    expect(cliPath(io("/somewhere/else"), "/abs/plan.json")).toBe("/abs/plan.json");
    expect(path.resolve(cliPath(io("/somewhere/else"), "plan-review"))).toBe("/somewhere/else/plan-review");
    expect(cliPath(io(process.cwd()), "plan-review")).toBe("plan-review");
    expect(cliPath(io(process.cwd()), "./cdktf.out/")).toBe("cdktf.out");
    expect(cliPath(io(process.cwd()), ".")).toBe(".");
  });

  test("a module a test imports is not the entry point (jest's main module is the test file); in a bundle of scripts/run.js only the file it runs is", () => {
    const imported = { id: "main.ts" } as NodeModule;
    expect(isEntryPoint(imported, "/project/main.ts")).toBe(false);
    const global = globalThis as Record<symbol, unknown>;
    global[ENTRY_POINT_KEY] = "/project/main.ts";
    try {
      expect(isEntryPoint(imported, "/project/main.ts")).toBe(true);
      // every file of the bundle shares its module, the bundle's main one
      expect(isEntryPoint(module, "/project/scripts/plan.ts")).toBe(false);
    } finally {
      delete global[ENTRY_POINT_KEY];
    }
  });
});
