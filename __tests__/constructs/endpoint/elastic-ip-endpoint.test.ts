import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { renderLifecycleAgent } from "../../../constructs/autoscaling/lifecycle-agent";
import { InstanceRole } from "../../../constructs/compute/instance-role";
import { DnsZone } from "../../../constructs/dns/dns-zone";
import { ALLOCATION_ID_TAG, ELASTIC_IP_TAG, ElasticIpEndpoint, ElasticIpEndpointProps, TAKE_OVER_COMMANDS } from "../../../constructs/endpoint/elastic-ip-endpoint";
import { deref, fullSynthConstruct, only, resources, statement, synthConstruct } from "../../helpers";
import { suppressionsOf } from "../../../policy";
import { SESSION_TOKEN, runOnFakeInstance } from "../autoscaling/support/fake-instance";

const TAG = { key: "ServerGroup", value: "demo" };

function endpoint(scope: Construct, overrides: Partial<ElasticIpEndpointProps> = {}): ElasticIpEndpoint {
  const zone = new DnsZone(scope, "dns", { zoneName: "ha.example.com" });
  return new ElasticIpEndpoint(scope, "endpoint", {
    name: "demo",
    region: "ap-northeast-2",
    partition: "aws",
    role: new InstanceRole(scope, "role", { name: "demo", region: "ap-northeast-2", partition: "aws" }),
    instanceTag: TAG,
    zone,
    fqdn: "demo.ha.example.com",
    ttlSeconds: 30,
    ...overrides,
  });
}

describe("ElasticIpEndpoint", () => {
  test("allows associating only this address, and only with the group's tagged instances and interfaces", () => {
    // GIVEN an endpoint for a group whose instances carry ServerGroup=demo
    const tf = synthConstruct((scope) => endpoint(scope));

    // THEN the role's policy names the address by its ARN...
    const policy = only(tf, "aws_iam_role_policy");
    const address = statement(policy, "ThisElasticIp");
    expect(address).toEqual({ Sid: "ThisElasticIp", Effect: "Allow", Action: "ec2:AssociateAddress", Resource: expect.any(String) });
    expect(deref(tf, address.Resource)).toMatchObject({ type: "aws_eip", attr: "arn" });

    // ...and instances and interfaces only under a tag condition; nothing is granted on "*"
    expect(statement(policy, "OntoThisGroupsInstancesOnly")).toEqual({
      Sid: "OntoThisGroupsInstancesOnly",
      Effect: "Allow",
      Action: "ec2:AssociateAddress",
      Resource: ["arn:aws:ec2:ap-northeast-2:*:instance/*", "arn:aws:ec2:ap-northeast-2:*:network-interface/*"],
      Condition: { StringEquals: { "aws:ResourceTag/ServerGroup": "demo" } },
    });
    expect(policy.policy).not.toMatch(/"Resource" = "\*"/);
    expect(deref(tf, policy.role).type).toBe("aws_iam_role");
  });

  test("points an A record with the configured TTL at the address", () => {
    const tf = synthConstruct((scope) => endpoint(scope));

    const record = only(tf, "aws_route53_record");
    expect(record).toMatchObject({ name: "demo.ha.example.com", type: "A", ttl: 30 });
    expect(record.records).toHaveLength(1);
    expect(deref(tf, record.records[0])).toMatchObject({ type: "aws_eip", attr: "public_ip" });
    expect(only(tf, "aws_eip")).toMatchObject({ domain: "vpc", tags: { Name: "demo" } });
  });

  test("leaves the association to the instances, and tells the review why (CKV2_AWS_19)", () => {
    const tf = synthConstruct((scope) => endpoint(scope));

    expect(resources(tf, "aws_eip_association")).toEqual({});
    expect(only(tf, "aws_eip").instance).toBeUndefined();
    const full = fullSynthConstruct((scope) => void endpoint(scope));
    const [address] = Object.keys(resources(full, "aws_eip"));
    expect(suppressionsOf(full).get(`aws_eip.${address}`)).toEqual([{ ruleId: "CKV2_AWS_19", reason: expect.stringContaining("associates it at boot") }]);
  });

  test("gives the instances the address and its allocation id as tags, for the take-over to read", () => {
    // GIVEN an endpoint, and its instance tags as Terraform will see them
    const tf = synthConstruct((scope) => void new TerraformOutput(scope, "instance-tags", { value: endpoint(scope).instanceTags }));
    const tags = tf.output!["instance-tags"].value as Record<string, string>;

    // THEN they name this address's allocation id and public IP
    expect(Object.keys(tags).sort()).toEqual([ELASTIC_IP_TAG, ALLOCATION_ID_TAG].sort());
    expect(deref(tf, tags[ALLOCATION_ID_TAG])).toMatchObject({ type: "aws_eip", attr: "allocation_id" });
    expect(deref(tf, tags[ELASTIC_IP_TAG])).toMatchObject({ type: "aws_eip", attr: "public_ip" });
  });

  describe("take-over commands, run by the lifecycle agent", () => {
    const script = renderLifecycleAgent({ region: "ap-northeast-2", inServiceCommands: TAKE_OVER_COMMANDS }).script;
    const tags = { [ALLOCATION_ID_TAG]: "eipalloc-0abc", [ELASTIC_IP_TAG]: "203.0.113.7" };

    test("associate the address named by the instance's tags with the instance in service, taking it from the previous one", () => {
      // GIVEN a replacement in service that still has its launch-time public IP
      const run = runOnFakeInstance(script, { states: ["InService"], instanceId: "i-0new", publicIp: "192.0.2.44", tags });

      // THEN it associated the Elastic IP with itself, with reassociation allowed
      expect(run.awsCalls).toEqual([
        "ec2 associate-address --region ap-northeast-2 --allocation-id eipalloc-0abc --instance-id i-0new --allow-reassociation",
      ]);
      // ...having read the tags from the instance metadata, with the IMDSv2 token
      for (const key of [ALLOCATION_ID_TAG, ELASTIC_IP_TAG]) expect(run.metadataRequests).toContain(`GET meta-data/tags/instance/${key} token=${SESSION_TOKEN}`);
    });

    test("do nothing when the instance has the address already (a reboot)", () => {
      const run = runOnFakeInstance(script, { states: ["InService"], publicIp: "203.0.113.7", tags });

      expect(run.exitCode).toBe(0);
      expect(run.awsCalls).toEqual([]);
    });

    test("never run for an instance waiting in the warm pool", () => {
      const run = runOnFakeInstance(script, { states: ["Warmed:Stopped", "Warmed:Terminated"], tags });

      expect(run.awsCalls).toEqual([]);
    });

    test("stop with an error, taking nothing, when the tags are not in the instance metadata", () => {
      // GIVEN an instance launched without instance_metadata_tags (the metadata has no tags)
      const run = runOnFakeInstance(script, { states: ["InService"] });

      // THEN it says why, and never calls associate-address with an empty id
      expect(run.exitCode).toBe(1);
      expect(run.awsCalls).toEqual([]);
      expect(run.stderr).toContain(`no ${ALLOCATION_ID_TAG} and ${ELASTIC_IP_TAG} tags in the instance metadata`);
    });
  });

  test("fails when the instance tag has an empty value", () => {
    // An empty value would match every instance that has the key.
    expect(() => synthConstruct((scope) => endpoint(scope, { instanceTag: { key: "ServerGroup", value: "" } }))).toThrow(/instanceTag.value \(""\): must be 1 to 256/);
  });

  test("fails when the instance tag key is reserved by AWS", () => {
    expect(() => synthConstruct((scope) => endpoint(scope, { instanceTag: { key: "aws:autoscaling:groupName", value: "demo" } }))).toThrow(
      /instanceTag.key \("aws:autoscaling:groupName"\): must be an EC2 tag key/,
    );
  });
});
