import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const RUN = path.join(ROOT, "scripts", "run.js");

function run(...args: string[]) {
  return spawnSync(process.execPath, [RUN, ...args], { cwd: ROOT, encoding: "utf8" });
}

/** A file's new content, as an editor writes it (a build stamp compares modification times with the build's start). */
function edit(file: string, content: string): void {
  fs.writeFileSync(file, content);
}

describe("scripts/run.js, the run path of the project's commands", () => {
  let dir: string;
  let entry: string;
  let helper: string;
  const stampOf = () => JSON.parse(fs.readFileSync(path.join(ROOT, ".build", path.relative(ROOT, dir), "entry.js.stamp.json"), "utf8"));

  beforeAll(() => {
    // Entry points must be project files: a scratch folder inside the project, removed after.
    dir = fs.mkdtempSync(path.join(ROOT, ".run-test-"));
    entry = path.join(dir, "entry.ts");
    helper = path.join(dir, "sub", "helper.ts");
    fs.mkdirSync(path.dirname(helper));
    fs.writeFileSync(
      entry,
      [
        'import { distance } from "fastest-levenshtein";',
        'import { folder, value } from "./sub/helper";',
        "const isMain = require.main === module;",
        "console.log(JSON.stringify({ args: process.argv.slice(2), folder, value, distance: distance('kitten', 'sitting'), isMain }));",
      ].join("\n"),
    );
    edit(helper, 'export const folder: string = __dirname;\nexport const value = "first";\n');
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(path.join(ROOT, ".build", path.relative(ROOT, dir)), { recursive: true, force: true });
  });

  test("runs the entry as the main module with its arguments; packages come from the vendor bundle; __dirname is the source file's folder", () => {
    const result = run(entry, "--stack", "web");
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ args: ["--stack", "web"], folder: path.dirname(helper), value: "first", distance: 3, isMain: true });
  });

  test("only the entry point is the entry point: every file of the bundle shares one module, lib/cli.ts tells them apart", () => {
    const guard = path.join(dir, "guard.ts");
    fs.writeFileSync(
      path.join(dir, "sub", "imported.ts"),
      'import { isEntryPoint } from "../../lib/cli";\nexport const imported = isEntryPoint(module, __filename);\n',
    );
    fs.writeFileSync(
      guard,
      'import { isEntryPoint } from "../lib/cli";\nimport { imported } from "./sub/imported";\nconsole.log(JSON.stringify({ entry: isEntryPoint(module, __filename), imported, sameModule: require.main === module }));\n',
    );
    const result = run(guard);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ entry: true, imported: false, sameModule: true });
  });

  test("rebuilds only when a source changed", () => {
    run(entry);
    const before = stampOf().startedMs;
    expect(JSON.parse(run(entry).stdout).value).toBe("first");
    expect(stampOf().startedMs).toBe(before);
    edit(helper, 'export const folder: string = __dirname;\nexport const value = "second";\n');
    expect(JSON.parse(run(entry).stdout).value).toBe("second");
    expect(stampOf().startedMs).toBeGreaterThan(before);
  });

  test("a source that does not compile: esbuild's error with file and line, one line of ours, nothing run, no stack trace", () => {
    edit(helper, "export const value = ;\n");
    const result = run(entry);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/helper\.ts:1:\d+/);
    expect(result.stderr).toContain("the build failed (1 error(s) above); nothing was run");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    edit(helper, 'export const folder: string = __dirname;\nexport const value = "third";\n');
    expect(JSON.parse(run(entry).stdout).value).toBe("third");
  });

  test("an entry point that is not a TypeScript file of the project is refused with the usage", () => {
    for (const args of [[], [path.join(ROOT, "package.json")], [path.join(ROOT, "no-such.ts")], [path.join("/tmp", "x.ts")]]) {
      const result = run(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("usage: node scripts/run.js <entry.ts> [args...]");
    }
  });
});
