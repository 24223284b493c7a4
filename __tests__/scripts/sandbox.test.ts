/**
 * `npm run sandbox`'s refusals, in process through scripts/sandbox.ts's `run` (lib/cli.ts): each
 * bad argument or configuration exits 2 naming the key, the value and the fix, before any
 * emulator starts or anything is written. The runs that start the emulator are
 * sandbox-keep.emulator.test.ts's (the real path, spawned) and the sandbox tier's.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run } from "../../scripts/sandbox";
import { withTempDirAsync } from "../helpers";
import { runInProcess } from "../run-path";

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, ...extra });

describe("npm run sandbox refuses bad input with exit 2, starting nothing", () => {
  test("an unknown option", async () => {
    expect(await runInProcess(run, ["--destroy-first"], env(), os.tmpdir())).toEqual({
      status: 2,
      stdout: "",
      stderr: expect.stringMatching(/^npm run sandbox: --destroy-first.*unknown option: use --stack <name>\[,<name>\], --keep and --outdir <dir>\n$/),
    });
  });

  test("a stack that is none of the stack ids, each named", async () => {
    const r = await runInProcess(run, ["--stack", "web,wbe", "--stack=multiaz-efs,recover"], env(), os.tmpdir());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("wbe");
    expect(r.stderr).toContain("recover");
    expect(r.stderr).not.toMatch(/"web"|"multiaz-efs"/);
    expect(r.stderr).toContain("must be one of recovery, multiaz, web");
  });

  test("an --outdir that is not empty, resolved from the directory the command started in (INIT_CWD)", async () => {
    await withTempDirAsync(async (dir) => {
      fs.mkdirSync(path.join(dir, "out"));
      fs.writeFileSync(path.join(dir, "out", "keep-me"), "");
      const r = await runInProcess(run, ["--outdir", "out"], env({ INIT_CWD: dir }), os.tmpdir());
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(path.join(dir, "out"));
      expect(r.stderr).toContain("must name a new or empty folder");
      expect(fs.readdirSync(path.join(dir, "out"))).toEqual(["keep-me"]);
    });
  });

  test("a STACK_CONFIG that does not read, from env (not this process's environment)", async () => {
    await withTempDirAsync(async (dir) => {
      const r = await runInProcess(run, ["--stack", "recovery", "--outdir", path.join(dir, "out")], env({ STACK_CONFIG: path.join(dir, "missing.json") }), dir);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^npm run sandbox: .*missing\.json/);
      expect(fs.existsSync(path.join(dir, "out"))).toBe(false);
    });
  });
});
