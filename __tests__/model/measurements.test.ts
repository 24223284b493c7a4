import { assessTerraformJson, mergeMeasurements, parseMeasurements } from "../../model";
import { recoveryServer, terraform } from "./support/fixtures";

describe("parseMeasurements", () => {
  test("samples and ranges become overrides the model uses", () => {
    const overrides = parseMeasurements(
      JSON.stringify({ measured: { appRestart: { samples: [2, 4], source: "game day" }, ec2Recovery: { min: 100, max: 200, typical: 120 } } }),
    );
    const a = assessTerraformJson("r", terraform(recoveryServer({ workload: { restart: "always", restartSeconds: 2 } })), overrides);

    expect(a.modes["app-crash"].rto!.hull).toEqual({ min: 4, max: 6 });
    expect(a.assumptions.find((x) => x.key === "appRestart")?.source).toBe("game day");
    expect(a.assumptions.find((x) => x.key === "ec2Recovery")).toMatchObject({
      seconds: { min: 100, max: 200 },
      distribution: { kind: "triangular", mode: 120 },
    });
  });

  test.each([
    ["not JSON", "{", /not JSON/],
    ["no measured key", JSON.stringify({ instanceLaunch: {} }), /exactly one key "measured"/],
    [
      "an unknown assumption",
      JSON.stringify({ measured: { bootTime: { samples: [1] } } }),
      /measured\.bootTime: unknown assumption; use one of statusCheckReport/,
    ],
    ["an unknown field", JSON.stringify({ measured: { instanceLaunch: { min: 1, max: 2, p99: 3 } } }), /measured\.instanceLaunch: unknown field\(s\) p99/],
  ])("%s fails naming the key and the fix", (_what, text, message) => {
    expect(() => parseMeasurements(text, "gameday.json")).toThrow(message);
  });

  test("samples that are not durations fail when used", () => {
    const overrides = parseMeasurements(JSON.stringify({ measured: { appRestart: { samples: [-1] } } }));
    expect(() => assessTerraformJson("r", terraform(recoveryServer()), overrides)).toThrow(
      /assumption appRestart \(samples \[-1\]\): give one or more measured durations/,
    );
  });
});

describe("mergeMeasurements", () => {
  const file = (name: string, measured: object) => ({ file: name, text: JSON.stringify({ measured }) });

  test("pools the samples of several game days, keeps single entries as they are, and names both sources", () => {
    const merged = mergeMeasurements([
      file("a.json", { instanceLaunch: { samples: [70, 80], source: "game day a" }, ec2Recovery: { min: 100, max: 200 } }),
      file("b.json", { instanceLaunch: { samples: [90], source: "game day b" } }),
    ]);
    expect(merged).toEqual({ instanceLaunch: { samples: [70, 80, 90], source: "game day a; game day b" }, ec2Recovery: { min: 100, max: 200 } });
  });

  test("a range given twice, or beside samples, cannot be pooled: the error names both files and the key", () => {
    expect(() => mergeMeasurements([file("a.json", { ec2Recovery: { min: 1, max: 2 } }), file("b.json", { ec2Recovery: { samples: [3] } })])).toThrow(
      "b.json: measured.ec2Recovery is also given in a.json, and only samples can be pooled; keep the range in one file",
    );
    expect(() => mergeMeasurements([file("a.json", {}), file("b.json", { bootTime: { samples: [1] } })])).toThrow(
      /^b\.json: measured\.bootTime: unknown assumption/,
    );
  });
});
