/**
 * tools/install.sh, the one way the Python tools get installed: `npm test` has run it before
 * jest, so `.venv/` holds the pinned tools; a second run is silent and quick; a Python it cannot
 * use is refused with a message that says what to do.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, VENV_DIR, requireTool, toolInstalled } from "../../lib/python-tools";
import { withTempDir } from "../helpers";

const SCRIPT = path.join(PROJECT_ROOT, "tools", "install.sh");

function pins(file: string): Map<string, string> {
  const lines = fs.readFileSync(path.join(PROJECT_ROOT, "tools", file), "utf8").split("\n");
  return new Map(
    lines
      .map((l) => l.replace(/#.*/, "").trim())
      .filter(Boolean)
      .map((l) => {
        const m = /^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)$/.exec(l);
        if (!m) throw new Error(`tools/${file}: not an exact pin: ${l}`);
        return [m[1].toLowerCase(), m[2]] as [string, string];
      }),
  );
}

describe("tools/install.sh", () => {
  test("every requirement is an exact pin, and the closure holds the top-level pins", () => {
    const top = pins("requirements.in");
    const closure = pins("requirements.txt");
    expect([...top.keys()].sort()).toEqual(["checkov", "moto"]);
    for (const [name, version] of top) expect(closure.get(name)).toBe(version);
  });

  test("has installed the pinned moto and checkov into .venv", () => {
    expect(toolInstalled("moto_server")).toBe(true);
    const run = spawnSync(path.join(VENV_DIR, "bin", "python"), ["-m", "pip", "show", "moto", "checkov"], { encoding: "utf8" });
    const versions = [...run.stdout.matchAll(/^Version: (\S+)$/gm)].map((m) => m[1]);
    expect(versions).toEqual([pins("requirements.in").get("moto"), pins("requirements.in").get("checkov")]);
  });

  test("a second run is silent and changes nothing", () => {
    const stamp = path.join(VENV_DIR, ".requirements.sha256");
    const before = fs.statSync(stamp).mtimeMs;
    const run = spawnSync("bash", [SCRIPT], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout + run.stderr).toBe("");
    expect(fs.statSync(stamp).mtimeMs).toBe(before);
  });

  test("fails when the Python it is given does not exist, saying how to fix it", () => {
    const run = spawnSync("bash", [SCRIPT], { encoding: "utf8", env: { ...process.env, PYTHON: "python-that-does-not-exist" } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/python-that-does-not-exist not found: install Python 3\.9 or newer .* or set PYTHON/);
  });

  test("a tool missing from a virtual environment is named with the install command", () => {
    withTempDir((venv) => {
      expect(toolInstalled("checkov", venv)).toBe(false);
      expect(() => requireTool("checkov", venv)).toThrow(/checkov is not installed in .*: run `bash tools\/install\.sh`/);
    });
    expect(requireTool("checkov")).toBe(path.join(VENV_DIR, "bin", "checkov"));
  });
});
