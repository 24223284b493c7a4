import { deployProblems } from "../../config/deploy-requirements";
import { config } from "../helpers";

describe("what a deploy to AWS requires", () => {
  test("the defaults: the reserved zone name and the missing zone id, each with its fix", () => {
    const problems = deployProblems(config());
    expect(problems.map((p) => p.key)).toEqual(["dns.zoneName", "dns.zoneId"]);
    expect(problems[0]).toMatchObject({ value: "ha.example.com" });
    expect(problems[0].fix).toMatch(/lies in example\.com, reserved \(RFC 2606\/6761\).*set dns\.zoneName to/);
    expect(problems[1]).toMatchObject({ value: undefined });
    expect(problems[1].fix).toMatch(
      /one existing public hosted zone and creates none: set dns\.zoneId to the zone of dns\.zoneName .*aws route53 create-hosted-zone/,
    );
  });

  test("a domain you own without a zone id: only the zone id is asked for", () => {
    expect(deployProblems(config({ dns: { zoneName: "ha.mycompany.com" } })).map((p) => p.key)).toEqual(["dns.zoneId"]);
  });

  test("a reserved name is refused even with a zone id (its records could never resolve)", () => {
    const problems = deployProblems(config({ dns: { zoneName: "svc.internal", zoneId: "Z0123456789ABCDEFGHIJ" } }));
    expect(problems.map((p) => [p.key, p.value])).toEqual([["dns.zoneName", "svc.internal"]]);
  });

  test("a domain you own and its zone: nothing to fix", () => {
    expect(deployProblems(config({ dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }))).toEqual([]);
  });
});
