import * as fs from "fs";
import Ajv2020 from "ajv/dist/2020";
import { JSON_SCHEMA_FILE, renderJsonSchema, renderKeyTable } from "../../config/docs";
import { DEFAULT_CONFIG } from "../../config/schema";

const schema = JSON.parse(fs.readFileSync(JSON_SCHEMA_FILE, "utf8"));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe("generated from the schema", () => {
  test("config/stack-config.schema.json is up to date (npm run config-docs rewrites it)", () => {
    expect(fs.readFileSync(JSON_SCHEMA_FILE, "utf8")).toBe(renderJsonSchema());
  });

  test("a JSON Schema validator accepts the defaults written out, and a file naming its $schema", () => {
    expect(validate(DEFAULT_CONFIG)).toBe(true);
    expect(validate({ $schema: "./config/stack-config.schema.json", region: "eu-west-1", web: { scaling: { mode: "step", highCpuPercent: 70 } } })).toBe(true);
  });

  test.each([
    ["a string for a boolean", { network: { isolatedSubnets: "false" } }],
    ["a misspelled key", { web: { healthchek: {} } }],
    ["an unknown region", { region: "ap-northeast-9" }],
    ["an instance type that does not exist", { web: { instanceType: "t3.mirco" } }],
    ["null for a section", { network: null }],
    ["a step setting under target tracking", { web: { scaling: { highCpuPercent: 70 } } }],
    ["a bucket with the local backend", { backend: { bucket: "my-state" } }],
    ["a retention CloudWatch Logs refuses", { network: { flowLogs: { retentionDays: 10 } } }],
  ])("editors flag %s", (_case, file) => {
    expect(validate(file)).toBe(false);
  });

  test("the key table gives every key its type, default and allowed values", () => {
    const table = renderKeyTable();
    expect(table).toMatch(/^\| `network\.isolatedSubnets` \| boolean \| `false` \| `true`, `false` \| /m);
    expect(table).toMatch(/^\| `web\.healthCheck\.intervalSeconds` \| integer \| `5` \| 5 to 300 \| /m);
    expect(table).toMatch(/^\| `backend\.type` \| string \| `local` \| `local`, `s3` \| /m);
    expect(table).toMatch(/^\| `region` \| string \| `ap-northeast-2` \| one of \d+ names in `lib\/aws-names\.ts` \| /m);
    expect(table).toMatch(/^\| `web\.minSize` \| integer \| number of AZs \| /m);
    expect(table).not.toMatch(/\$schema/);
  });
});
