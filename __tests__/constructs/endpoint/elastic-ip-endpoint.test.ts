import { Construct } from "constructs";
import { DnsZone } from "../../../constructs/dns/dns-zone";
import { ElasticIpEndpoint, ElasticIpEndpointProps } from "../../../constructs/endpoint/elastic-ip-endpoint";
import { deref, fullSynthConstruct, only, resources, synthConstruct } from "../../helpers";
import { suppressionsOf } from "../../../policy";

function endpoint(scope: Construct, overrides: Partial<ElasticIpEndpointProps> = {}): ElasticIpEndpoint {
  const zone = new DnsZone(scope, "dns", { zoneName: "ha.example.com" });
  return new ElasticIpEndpoint(scope, "endpoint", {
    name: "demo",
    zone,
    fqdn: "demo.ha.example.com",
    recordKey: "demo.recordName",
    ttlSeconds: 30,
    ...overrides,
  });
}

describe("ElasticIpEndpoint", () => {
  test("points an A record with the configured TTL at the address", () => {
    const tf = synthConstruct((scope) => endpoint(scope));

    const record = only(tf, "aws_route53_record");
    expect(record).toMatchObject({ name: "demo.ha.example.com", type: "A", ttl: 30 });
    expect(record.records).toHaveLength(1);
    expect(deref(tf, record.records[0])).toMatchObject({ type: "aws_eip", attr: "public_ip" });
    expect(only(tf, "aws_eip")).toMatchObject({ domain: "vpc", tags: { Name: "demo" } });
  });

  test("leaves the association to the takeover function, tells the review why (CKV2_AWS_19), and grants nobody anything", () => {
    const tf = synthConstruct((scope) => endpoint(scope));

    expect(resources(tf, "aws_eip_association")).toEqual({});
    expect(resources(tf, "aws_iam_role_policy")).toEqual({});
    expect(only(tf, "aws_eip").instance).toBeUndefined();
    const full = fullSynthConstruct((scope) => void endpoint(scope));
    const [address] = Object.keys(resources(full, "aws_eip"));
    expect(suppressionsOf(full).get(`aws_eip.${address}`)).toEqual([
      { ruleId: "CKV2_AWS_19", reason: expect.stringContaining("the endpoint takeover function associates it") },
    ]);
  });

  test("fails when the TTL is negative", () => {
    expect(() => synthConstruct((scope) => endpoint(scope, { ttlSeconds: -1 }))).toThrow(/ttlSeconds \(-1\)/);
  });
});
