import * as fs from "fs";
import * as path from "path";
import { loadConfig, resolveConfig, stackConfigPath } from "../../config/load";
import { DEFAULT_CONFIG } from "../../config/schema";
import { withTempDir } from "../helpers";

/** A region other than the default needs its own AZs (the default AZs are the default region's). */
const EU_WEST_1_AZS = ["eu-west-1a", "eu-west-1b"];

describe("configuration loading", () => {
  test("without STACK_CONFIG the documented defaults apply", () => {
    const config = loadConfig({});
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(config.region).toBe("ap-northeast-2");
    expect(config.azs).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
    expect(config.vpcCidr).toBe("10.0.0.0/16");
  });

  test("a STACK_CONFIG file is deep-merged over the defaults: objects by key, arrays replaced", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, JSON.stringify({ azs: ["ap-northeast-2a", "ap-northeast-2c"], network: { natGateways: "single" }, tags: { Team: "platform" } }));
      const config = loadConfig({ STACK_CONFIG: file });
      expect(config.azs).toEqual(["ap-northeast-2a", "ap-northeast-2c"]);
      expect(config.network.natGateways).toBe("single");
      expect(config.network.subnetMasks).toEqual(DEFAULT_CONFIG.network.subnetMasks);
      expect(config.tags).toEqual({ Team: "platform" });
    });
  });

  test("choosing step scaling fills the step defaults, not the target-tracking ones", () => {
    const config = resolveConfig({ web: { scaling: { mode: "step", highCpuPercent: 75 } } });
    expect(config.web.scaling).toEqual({ mode: "step", highCpuPercent: 75, lowCpuPercent: 20, periodSeconds: 300, evaluationPeriods: 1, warmupSeconds: 300 });
  });

  test("fails when a key is unknown, suggesting the nearest and naming the known keys", () => {
    expect(() => resolveConfig({ recovery: { recoverEvalPeriods: 3 } })).toThrow(
      /recovery\.recoverEvalPeriods \(3\): is not a setting; did you mean recovery\.recoverEvaluationPeriods\? known keys here: .*alarmPeriodSeconds/,
    );
  });

  test("fails when the STACK_CONFIG file is missing or not JSON", () => {
    expect(() => loadConfig({ STACK_CONFIG: "/nonexistent/stack.json" })).toThrow(/STACK_CONFIG \("\/nonexistent\/stack.json"\): cannot read the file/);
    withTempDir((dir) => {
      const file = path.join(dir, "bad.json");
      fs.writeFileSync(file, "{ region: ");
      expect(() => loadConfig({ STACK_CONFIG: file })).toThrow(/STACK_CONFIG .*is not valid JSON/);
    });
  });

  test("a file may carry comments and trailing commas (JSON5), so a configuration can say why", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "stack.jsonc");
      fs.writeFileSync(
        file,
        `// production\n{\n  /* the EU */ "region": "eu-west-1",\n  "azs": ${JSON.stringify(EU_WEST_1_AZS)}, // two AZs\n  "web": { "minSize": 2, },\n}\n`,
      );
      expect(loadConfig({ STACK_CONFIG: file })).toMatchObject({ region: "eu-west-1", azs: EU_WEST_1_AZS, web: { minSize: 2 } });
    });
  });

  test("a __proto__ key in a commented file is still refused, not dropped", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "stack.jsonc");
      fs.writeFileSync(file, `{ // hostile\n "__proto__": { "project": "x" } }`);
      expect(() => loadConfig({ STACK_CONFIG: file })).toThrow(/__proto__ .*is not a setting/);
    });
  });

  test("fails when the file holds no object", () => {
    expect(() => resolveConfig([1, 2])).toThrow(/must be a JSON object/);
  });

  test("a relative STACK_CONFIG is read from the directory the command started in (npm's INIT_CWD), and named as read", () => {
    withTempDir((dir) => {
      fs.writeFileSync(path.join(dir, "stack.json"), JSON.stringify({ region: "eu-west-1", azs: EU_WEST_1_AZS }));
      expect(loadConfig({ STACK_CONFIG: "stack.json", INIT_CWD: dir }).region).toBe("eu-west-1");
      expect(stackConfigPath({ STACK_CONFIG: "stack.json", INIT_CWD: dir })).toBe(path.join(dir, "stack.json"));
      expect(() => loadConfig({ STACK_CONFIG: "missing.json", INIT_CWD: dir })).toThrow(
        `STACK_CONFIG ("missing.json"): cannot read the file (read as ${path.join(dir, "missing.json")}): no such file; point STACK_CONFIG at a JSON file or unset it`,
      );
    });
    expect(stackConfigPath({ STACK_CONFIG: "stack.json" })).toBe(path.resolve("stack.json"));
  });

  test("a UTF-8 byte order mark before the JSON is skipped, and the $schema key accepted", () => {
    withTempDir((dir) => {
      const file = path.join(dir, "stack.json");
      fs.writeFileSync(file, `\uFEFF${JSON.stringify({ $schema: "./config/stack-config.schema.json", region: "eu-west-1", azs: EU_WEST_1_AZS })}`);
      expect(loadConfig({ STACK_CONFIG: file })).toEqual({ ...DEFAULT_CONFIG, region: "eu-west-1", azs: EU_WEST_1_AZS });
    });
  });
});
