/**
 * The analysis reads JSON only: the recovery model, the security checks, the resource graph and
 * the hook that runs them at synth (lib/synth-analysis.ts, called by the atomic synth) reach,
 * through their imports, no file of the stacks (modules/) or the constructs, so the stacks can
 * use them without an import cycle.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");

/** Every project file `entry` reaches through relative imports, itself included. */
function reached(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const { fileName } of ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const base = path.resolve(path.dirname(file), fileName);
      const resolved = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
      if (!resolved) throw new Error(`${path.relative(ROOT, file)}: cannot resolve ${fileName}`);
      visit(resolved);
    }
  };
  visit(path.join(ROOT, entry));
  return seen;
}

test.each(["model/index.ts", "model/outputs.ts", "policy/index.ts", "lib/resource-graph.ts", "lib/synth-analysis.ts", "lib/atomic-synth.ts"])(
  "%s imports nothing from modules/ or constructs/",
  (entry) => {
    const files = [...reached(entry)].map((f) => path.relative(ROOT, f));
    // The walk itself works: the entry reaches more than itself (the graph, at least) or is the graph.
    expect(files.length > 1 || entry === "lib/resource-graph.ts").toBe(true);
    expect(files.filter((f) => f.startsWith(`modules${path.sep}`) || f.startsWith(`constructs${path.sep}`))).toEqual([]);
  },
);

test("the walk finds an import of modules/ where there is one", () => {
  expect([...reached("modules/index.ts")].map((f) => path.relative(ROOT, f))).toContain(path.join("modules", "reference-stack.ts"));
});
