import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CONFIG } from "../config/schema";
import { OPTIONAL_KEYS } from "../config/load";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

/** Dotted paths of every setting with a default. */
function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value) || (prefix && Object.keys(value).length === 0)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("README", () => {
  test("opens with the two commands: set-up plus the main job, and the tests", () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
    expect(firstBlock).toMatch(/^npm ci && npm run plan\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  test("the configuration table documents every key, with and without a default", () => {
    const documented = new Set([...README.matchAll(/^\| `([a-zA-Z0-9.]+)` \|/gm)].map((m) => m[1]));
    const all = [...keys(DEFAULT_CONFIG), ...[...OPTIONAL_KEYS].filter((k) => !k.endsWith("*"))];
    expect(all.filter((k) => !documented.has(k))).toEqual([]);
  });

  test(".ci/run runs exactly the README's test command after npm ci", () => {
    const ci = fs.readFileSync(path.join(__dirname, "..", ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b.*\nnpm test$/m);
  });
});
