import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DnsZone } from "../../../constructs/dns/dns-zone";
import { ZoneRecords } from "../../../constructs/dns/zone-records";
import { only, resources, synthConstruct } from "../../helpers";

describe("DnsZone", () => {
  test("creates the zone when no id is given, and records A and alias records in it", () => {
    const tf = synthConstruct((scope) => {
      const zone = new DnsZone(scope, "dns", { zoneName: "HA.Example.com" });
      zone.addARecord("eip", zone.fqdn("server"), "recordName", ["203.0.113.10"], 60);
      zone.addAlias("alb", zone.fqdn("www.ha.example.com"), "aliasName", { dnsName: "lb.example.aws", zoneId: "ZLB" });
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
      zone.addARecord("eip", zone.fqdn("api"), "recordName", ["203.0.113.10"], 60);
    });
    expect(resources(tf, "aws_route53_zone")).toEqual({});
    expect(only(tf, "aws_route53_record").zone_id).toBe("Z0123456789");
  });

  test("a record name outside the zone is a programmer error naming the construct (the schema checks configured names: lib/dns-names.ts)", () => {
    synthConstruct((scope) => {
      const zone = new DnsZone(scope, "dns", { zoneName: "ha.example.com" });
      expect(() => zone.fqdn("www.other.com")).toThrow(/dns: record name "www\.other\.com" must be a DNS label .* inside the zone ha\.example\.com/);
    });
  });
});

describe("ZoneRecords shared by two zones of one synth", () => {
  test("a name claimed under a second key fails with both keys; the first claim stays", () => {
    synthConstruct((scope) => {
      const records = new ZoneRecords();
      const first = new DnsZone(scope, "first", { zoneName: "ha.example.com", zoneId: "Z1", records });
      const second = new DnsZone(scope, "second", { zoneName: "ha.example.com", zoneId: "Z1", records });
      first.addARecord("a", "api.ha.example.com", "one.recordName", ["203.0.113.10"], 60);
      second.addARecord("b", "web.ha.example.com", "two.recordName", ["203.0.113.11"], 60);
      expect(() => second.addAlias("c", "api.ha.example.com", "two.aliasName", { dnsName: "lb.example.aws", zoneId: "ZLB" })).toThrow(
        /two\.aliasName \("api\.ha\.example\.com"\): is also the record of one\.recordName/,
      );
    });
  });

  test("the same setting of two stacks (a variant and its base) naming one record fails, naming the second stack", () => {
    const records = new ZoneRecords();
    const zoneIn = (stack: string) => {
      const app = Testing.app();
      const scope = new TerraformStack(app, stack);
      new AwsProvider(scope, "aws", { region: "ap-northeast-2" });
      return new DnsZone(scope, "dns", { zoneName: "ha.example.com", zoneId: "Z1", records });
    };
    zoneIn("web").addARecord("a", "app-b.ha.example.com", "web.appBServerName", ["203.0.113.10"], 60);
    expect(() => zoneIn("web-https").addARecord("a", "app-b.ha.example.com", "web.appBServerName", ["203.0.113.10"], 60)).toThrow(
      /web\.appBServerName \("app-b\.ha\.example\.com"\): is also the record of web\.appBServerName: .*give web\.appBServerName of stack web-https or web\.appBServerName another name/,
    );
  });

  test("zones with their own sets do not see each other's names", () => {
    synthConstruct((scope) => {
      new DnsZone(scope, "first", { zoneName: "ha.example.com", zoneId: "Z1" }).addARecord("a", "api.ha.example.com", "one.recordName", ["203.0.113.10"], 60);
      expect(() =>
        new DnsZone(scope, "second", { zoneName: "ha.example.com", zoneId: "Z1" }).addARecord(
          "b",
          "api.ha.example.com",
          "two.recordName",
          ["203.0.113.11"],
          60,
        ),
      ).not.toThrow();
    });
  });
});
