import { DnsZone } from "../../../constructs/dns/dns-zone";
import { only, resources, synthConstruct } from "../../helpers";

describe("DnsZone", () => {
  test("creates the zone when no id is given, and records A and alias records in it", () => {
    const tf = synthConstruct((scope) => {
      const zone = new DnsZone(scope, "dns", { zoneName: "HA.Example.com" });
      zone.addARecord("eip", zone.fqdn("server", "recordName"), ["203.0.113.10"], 60);
      zone.addAlias("alb", zone.fqdn("www.ha.example.com", "recordName"), { dnsName: "lb.example.aws", zoneId: "ZLB" });
    });
    expect(only(tf, "aws_route53_zone").name).toBe("ha.example.com");
    const records = Object.values(resources(tf, "aws_route53_record"));
    const byName = (name: string) => records.find((r) => r.name === name);
    expect(byName("server.ha.example.com")).toMatchObject({ type: "A", ttl: 60, records: ["203.0.113.10"] });
    expect(byName("www.ha.example.com")).toMatchObject({ type: "A", alias: { name: "lb.example.aws", zone_id: "ZLB", evaluate_target_health: true } });
    expect(records).toHaveLength(2);
    for (const r of records) expect(r.zone_id).toMatch(/^\$\{aws_route53_zone\./);
  });

  test("uses an existing zone by id without creating one", () => {
    const tf = synthConstruct((scope) => {
      const zone = new DnsZone(scope, "dns", { zoneName: "example.org", zoneId: "Z0123456789" });
      zone.addARecord("eip", zone.fqdn("api", "recordName"), ["203.0.113.10"], 60);
    });
    expect(resources(tf, "aws_route53_zone")).toEqual({});
    expect(only(tf, "aws_route53_record").zone_id).toBe("Z0123456789");
  });

  test.each([
    ["a name outside the zone", "www.other.com"],
    ["an empty name", ""],
    ["a label with an invalid character", "w_w"],
    ["a name with an empty label", "a..b"],
  ])("fails when the record is %s, naming the key and the zone", (_what, name) => {
    synthConstruct((scope) => {
      const zone = new DnsZone(scope, "dns", { zoneName: "ha.example.com" });
      expect(() => zone.fqdn(name, "recordName")).toThrow(new RegExp(`recordName \\(${JSON.stringify(name).replace(/[.]/g, "\\.")}\\): must be a DNS label .* inside the zone ha\\.example\\.com`));
    });
  });
});
