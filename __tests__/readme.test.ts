import * as fs from "fs";
import * as path from "path";
import { README_FILE, withKeyTable } from "../config/docs";
import { withDefaultFigures } from "../review/readme-figures";
import { outputType, withOutputTables } from "../review/readme-outputs";

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

  test("each stack's outputs table is the one generated from the default stacks (npm run config-docs rewrites it)", () => {
    expect(README).toContain("| `nat_public_ips` |");
    expect(README).toBe(withOutputTables(README));
  });

  test("an output's type follows its synthesized value", () => {
    expect(outputType("${aws_vpc.v.id}")).toBe("string");
    expect(outputType(["${a.b.id}", "${a.c.id}"])).toBe("list(string)");
    expect(outputType({ "ap-northeast-2a": "${a.b.id}" })).toBe("map(string)");
    expect(outputType({ a: { p50: 1, healed: true }, b: { p50: "${null}", healed: false } })).toBe("map(object)");
    expect(outputType(24)).toBe("number");
  });

  test(".ci/run runs exactly the README's test command after npm ci", () => {
    const ci = fs.readFileSync(path.join(__dirname, "..", ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b.*\nnpm test$/m);
  });
});
