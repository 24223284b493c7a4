import * as fs from "fs";
import * as path from "path";
import { README_FILE, withKeyTable } from "../config/docs";
import { withDefaultFigures } from "../review/readme-figures";

const README = fs.readFileSync(README_FILE, "utf8");

describe("README", () => {
  test("opens with the two commands: set-up plus the main job, and the tests", () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? "";
    expect(firstBlock).toMatch(/^npm ci && npm run plan\b/m);
    expect(firstBlock).toMatch(/^npm test\b/m);
  });

  test("the configuration table is the one generated from the schema (npm run config-docs rewrites it)", () => {
    expect(README).toBe(withKeyTable(README));
  });

  test("the model's figures with the defaults are the ones the default stacks give (npm run config-docs rewrites them)", () => {
    expect(README).toContain("healed, P99");
    expect(README).toBe(withDefaultFigures(README));
  });

  test(".ci/run runs exactly the README's test command after npm ci", () => {
    const ci = fs.readFileSync(path.join(__dirname, "..", ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b.*\nnpm test$/m);
  });
});
