import { App, TerraformElement, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MultiAzVpc, MultiAzVpcProps } from "../../../constructs/network/multi-az-vpc";
import { ReferenceStack, sharedSettings } from "../../../modules/reference-stack";
import { TerraformJson, config, deref, only, policyJson, resources, withTempDir } from "../../helpers";

const REGION = "ap-northeast-2";
const AZS = [`${REGION}a`, `${REGION}b`, `${REGION}c`];

/** Synthesizes a stack holding only the VPC. */
function synthVpc(props: Partial<MultiAzVpcProps> = {}): { tf: TerraformJson; vpc: MultiAzVpc } {
  return withTempDir((outdir) => {
    let vpc!: MultiAzVpc;
    class VpcOnly extends ReferenceStack {
      constructor(scope: Construct) {
        super(scope, "recovery", { ...sharedSettings(config()), offline: false });
        vpc = new MultiAzVpc(this, "network", { name: "test", azs: AZS, ...props });
      }
    }
    const stack = new VpcOnly(new App({ outdir }));
    return { tf: JSON.parse(Testing.synth(stack)) as TerraformJson, vpc };
  });
}

function subnetsByName(tf: TerraformJson): Record<string, { az: string; cidr: string; id: string }> {
  return Object.fromEntries(Object.entries(resources(tf, "aws_subnet")).map(([id, s]) => [s.tags.Name, { az: s.availability_zone, cidr: s.cidr_block, id }]));
}

describe("MultiAzVpc", () => {
  test("a public and a private subnet in every AZ, carved by AZ letter", () => {
    // GIVEN the default masks (/24 public, /20 private) WHEN synthesized
    const { tf } = synthVpc();
    const subnets = subnetsByName(tf);
    // THEN each AZ has one subnet per tier, its CIDR chosen by the AZ letter
    expect(Object.keys(subnets)).toHaveLength(6);
    expect(subnets[`test-private-${REGION}a`].cidr).toBe("10.0.0.0/20");
    expect(subnets[`test-private-${REGION}b`].cidr).toBe("10.0.16.0/20");
    expect(subnets[`test-private-${REGION}c`].cidr).toBe("10.0.32.0/20");
    expect(subnets[`test-public-${REGION}a`].cidr).toBe("10.0.128.0/24");
    expect(subnets[`test-public-${REGION}c`].cidr).toBe("10.0.130.0/24");
    for (const s of Object.values(resources(tf, "aws_subnet"))) {
      expect(s.map_public_ip_on_launch).toBe(false);
      expect(s.tags.Name).toContain(s.availability_zone);
    }
  });

  test("adding or removing an AZ neither renumbers nor renames the other AZs' subnets", () => {
    // GIVEN the same VPC with AZs a, c and with a, b, c, d
    const before = subnetsByName(synthVpc({ azs: [`${REGION}a`, `${REGION}c`] }).tf);
    const after = subnetsByName(synthVpc({ azs: [`${REGION}a`, `${REGION}b`, `${REGION}c`, `${REGION}d`] }).tf);
    // THEN every subnet that existed keeps its logical id and CIDR
    expect(Object.keys(before)).toHaveLength(4);
    for (const [name, s] of Object.entries(before)) expect(after[name]).toEqual(s);
  });

  /** The standalone routes of a route table, by destination. */
  function routesOf(tf: TerraformJson, tableId: string): Record<string, Record<string, any>> {
    return Object.fromEntries(
      Object.values(resources(tf, "aws_route"))
        .filter((r) => r.route_table_id === `\${aws_route_table.${tableId}.id}`)
        .map((r) => [r.destination_cidr_block, r]),
    );
  }

  function tableIdByName(tf: TerraformJson, name: string): string {
    return Object.entries(resources(tf, "aws_route_table")).find(([, t]) => t.tags.Name === name)![0];
  }

  test("no route table has inline routes, so routes that others add to them are kept on the next apply", () => {
    // GIVEN every tier, NAT per AZ WHEN synthesized
    const { tf } = synthVpc({ isolatedSubnets: true });
    // THEN no table carries a route argument at all (not even an empty list, which would remove every route)
    const tables = Object.values(resources(tf, "aws_route_table"));
    expect(tables).toHaveLength(5);
    for (const t of tables) expect(t).not.toHaveProperty("route");
    // AND the public default route is a standalone resource to the internet gateway
    const publicRoutes = routesOf(tf, tableIdByName(tf, "test-public"));
    expect(Object.keys(publicRoutes)).toEqual(["0.0.0.0/0"]);
    expect(deref(tf, publicRoutes["0.0.0.0/0"].gateway_id).type).toBe("aws_internet_gateway");
    expect(routesOf(tf, tableIdByName(tf, "test-isolated"))).toEqual({});
  });

  test("one NAT gateway per AZ by default, each AZ's private routes through its own", () => {
    const { tf } = synthVpc();
    const nats = resources(tf, "aws_nat_gateway");
    expect(Object.keys(nats)).toHaveLength(3);
    for (const az of AZS) {
      const route = routesOf(tf, tableIdByName(tf, `test-private-${az}`))["0.0.0.0/0"];
      const nat = deref(tf, route.nat_gateway_id).body;
      expect(deref(tf, nat.subnet_id).body.availability_zone).toBe(az);
    }
  });

  test("single NAT mode routes every AZ through the first AZ's gateway", () => {
    const { tf } = synthVpc({ natGateways: "single" });
    const nats = Object.entries(resources(tf, "aws_nat_gateway"));
    expect(nats).toHaveLength(1);
    for (const az of AZS) {
      expect(routesOf(tf, tableIdByName(tf, `test-private-${az}`))["0.0.0.0/0"].nat_gateway_id).toBe(`\${aws_nat_gateway.${nats[0][0]}.id}`);
    }
    expect(deref(tf, nats[0][1].subnet_id).body.availability_zone).toBe(`${REGION}a`);
  });

  test("existing Elastic IP allocations: each NAT gateway uses its AZ's, and no Elastic IP is created", () => {
    // GIVEN allocations made beforehand (allow-listed at partners), one per AZ
    const ids = Object.fromEntries(AZS.map((az, i) => [az, `eipalloc-0000000000000000${i}`]));
    const { tf, vpc } = synthVpc({ natElasticIpAllocationIds: ids });
    // THEN no new address is allocated, and each AZ's gateway stands in that AZ with its allocation
    expect(resources(tf, "aws_eip")).toEqual({});
    expect(Object.keys(vpc.natGateways)).toEqual(AZS);
    const byAz = Object.values(resources(tf, "aws_nat_gateway")).map((nat) => [deref(tf, nat.subnet_id).body.availability_zone, nat.allocation_id]);
    expect(Object.fromEntries(byAz)).toEqual(ids);
  });

  test("single NAT mode with an allocation for the first AZ only", () => {
    const { tf } = synthVpc({ natGateways: "single", natElasticIpAllocationIds: { [AZS[0]]: "eipalloc-0123456789abcdef0" } });
    expect(resources(tf, "aws_eip")).toEqual({});
    expect(Object.values(resources(tf, "aws_nat_gateway")).map((n) => n.allocation_id)).toEqual(["eipalloc-0123456789abcdef0"]);
  });

  test.each([
    ["an AZ without one", { [AZS[0]]: "eipalloc-00000000", [AZS[1]]: "eipalloc-00000001" }],
    ["an AZ without a NAT gateway", Object.fromEntries([...AZS, `${REGION}d`].map((az, i) => [az, `eipalloc-0000000${i}`]))],
    ["one allocation twice", Object.fromEntries(AZS.map((az) => [az, "eipalloc-00000000"]))],
    ["a malformed id", Object.fromEntries(AZS.map((az, i) => [az, `eip-0000000${i}`]))],
  ])("refuses allocations with %s (a programmer error: the schema reports it to users)", (_name, ids) => {
    expect(() => synthVpc({ natElasticIpAllocationIds: ids })).toThrow(/natElasticIpAllocationIds needs one distinct eipalloc- id for each NAT gateway AZ/);
  });

  test("no NAT mode leaves the private subnets without a default route", () => {
    const { tf } = synthVpc({ natGateways: "none" });
    expect(resources(tf, "aws_nat_gateway")).toEqual({});
    for (const az of AZS) expect(routesOf(tf, tableIdByName(tf, `test-private-${az}`))).toEqual({});
    expect(Object.keys(resources(tf, "aws_route"))).toHaveLength(1);
  });

  test("route tables are typed attributes per AZ and tier: the table each subnet is associated with", () => {
    const { tf, vpc } = synthVpc({ isolatedSubnets: true });
    const stack = TerraformStack.of(vpc);
    const ref = (type: string, resource: TerraformElement) => `\${${type}.${stack.getLogicalId(resource)}.id}`;
    const associated = (subnet: TerraformElement) =>
      Object.values(resources(tf, "aws_route_table_association")).find((a) => a.subnet_id === ref("aws_subnet", subnet))!.route_table_id;
    for (const az of AZS) {
      for (const tier of ["public", "private", "isolated"] as const) {
        const table = vpc.routeTablesByAz[az][tier]!;
        expect(ref("aws_route_table", table)).toBe(associated(vpc.subnetsByAz[az][tier]!));
      }
    }
    const distinct = (tier: "public" | "private") => new Set(AZS.map((az) => vpc.routeTablesByAz[az][tier])).size;
    expect(distinct("private")).toBe(3);
    expect(distinct("public")).toBe(1);
    expect(vpc.hasTier("isolated")).toBe(true);
    expect(synthVpc().vpc.routeTableIds("isolated")).toEqual({});
    expect(synthVpc().vpc.hasTier("isolated")).toBe(false);
  });

  test("isolated subnets on request, with a route table that has no routes", () => {
    const { tf, vpc } = synthVpc({ isolatedSubnets: true });
    const isolated = Object.values(resources(tf, "aws_subnet")).filter((s) => s.tags.Tier === "isolated");
    expect(isolated.map((s) => s.cidr_block).sort()).toEqual(["10.0.136.0/24", "10.0.137.0/24", "10.0.138.0/24"]);
    expect(vpc.isolatedSubnetIds).toHaveLength(3);
    expect(Object.values(resources(tf, "aws_route_table")).map((t) => t.tags.Name)).toContain("test-isolated");
  });

  test("flow logs to CloudWatch Logs with retention, and a default security group without rules", () => {
    const { tf } = synthVpc();
    const flowLog = Object.values(resources(tf, "aws_flow_log"))[0];
    expect(flowLog.traffic_type).toBe("ALL");
    expect(deref(tf, flowLog.log_destination).body.retention_in_days).toBe(365);
    const sg = Object.values(resources(tf, "aws_default_security_group"))[0];
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("the flow-log role has AWS's minimum flow-log permissions, DescribeLogGroups included, on this log group where IAM allows", () => {
    const { tf } = synthVpc();
    const role = deref(tf, only(tf, "aws_flow_log").iam_role_arn).body;
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    const statements = policyJson(only(tf, "aws_iam_role_policy").policy).Statement;
    expect(statements).toEqual([
      {
        Sid: "WriteFlowLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:\*$/),
      },
      { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "arn:aws:logs:ap-northeast-2:*:log-group:*" },
    ]);
  });

  test("the smallest VPC block the README names, a /23 with /28 subnets, is accepted", () => {
    const { tf } = synthVpc({ vpcCidr: "10.0.0.0/23", subnetMasks: { public: 28, private: 28, isolated: 28 } });
    const cidrs = Object.values(resources(tf, "aws_subnet"))
      .map((s) => s.cidr_block)
      .sort();
    expect(cidrs).toEqual(["10.0.0.0/28", "10.0.0.128/28", "10.0.0.144/28", "10.0.0.16/28", "10.0.0.32/28", "10.0.0.160/28"].sort());
  });

  test("flow logs can be switched off, and kept less than a year, each only with a reason", () => {
    const { tf } = synthVpc({ flowLogs: { value: false, reason: "a test VPC, synthesized and never deployed" } });
    expect(resources(tf, "aws_flow_log")).toEqual({});
    expect(only(synthVpc({ flowLogRetentionDays: { value: 731 } }).tf, "aws_cloudwatch_log_group").retention_in_days).toBe(731);
    expect(() => synthVpc({ flowLogs: { value: false } })).toThrow(
      /flowLogs\.value \(false\): relaxes the VPC's flow logs from true \(CKV2_AWS_11: .*\) without a reason/,
    );
    expect(() => synthVpc({ flowLogRetentionDays: { value: 90 } })).toThrow(
      /flowLogRetentionDays\.value \(90\): relaxes the flow logs' retention \(days\) from 365 \(CKV_AWS_338: .*\) without a reason/,
    );
    expect(() => synthVpc({ flowLogRetentionDays: { value: 731, reason: "two years, as the auditors ask" } })).toThrow(
      /flowLogRetentionDays\.reason \(".*"\): gives a reason, but the flow logs' retention \(days\) is 731, which breaks no rule/,
    );
  });

  test("typed attributes list subnet ids per tier in AZ order; the construct itself adds no outputs (the stacks do)", () => {
    const { tf, vpc } = synthVpc();
    expect(vpc.azs).toEqual(AZS);
    expect(vpc.publicSubnetIds).toHaveLength(3);
    expect(Object.keys(vpc.subnetsByAz)).toEqual(AZS);
    expect(tf.output).toBeUndefined();
  });

  test("two VPCs in one stack synthesize side by side: no output, name or logical id of one collides with the other's", () => {
    const tf = withTempDir((outdir) => {
      const stack = new TerraformStack(new App({ outdir }), "two-vpcs");
      new AwsProvider(stack, "aws", { region: REGION });
      new MultiAzVpc(stack, "blue", { name: "blue", azs: AZS });
      new MultiAzVpc(stack, "green", { name: "green", azs: AZS, vpcCidr: "10.1.0.0/16" });
      return JSON.parse(Testing.synth(stack)) as TerraformJson;
    });
    expect(Object.values(resources(tf, "aws_vpc")).map((v) => v.cidr_block)).toEqual(["10.0.0.0/16", "10.1.0.0/16"]);
    expect(Object.keys(resources(tf, "aws_subnet"))).toHaveLength(12);
    // Each VPC's flow logs go to its own log group through its own role.
    expect(Object.values(resources(tf, "aws_cloudwatch_log_group")).map((g) => g.name)).toEqual(["/vpc/blue/flow-logs", "/vpc/green/flow-logs"]);
    expect(new Set(Object.values(resources(tf, "aws_iam_role")).map((r) => r.name)).size).toBe(2);
    expect(tf.output).toBeUndefined();
  });

  describe("programmer errors, scoped to the construct (the schema reports users' settings)", () => {
    test.each([
      ["fewer than 2 AZs", { azs: [`${REGION}a`] }, /network: needs 2 to 6 distinct AZs/],
      ["an AZ is listed twice", { azs: [`${REGION}a`, `${REGION}a`] }, /network: needs 2 to 6 distinct AZs/],
      [
        "an AZ of another region than the stack's",
        { azs: [`${REGION}a`, "us-east-1b"] },
        /network: us-east-1b is not an AZ a-h of the stack's region ap-northeast-2/,
      ],
      ["the CIDR is malformed", { vpcCidr: "10.0.0/16" }, /network: vpcCidr 10.0.0\/16: must be an IPv4 CIDR/],
      ["the CIDR is larger than AWS allows", { vpcCidr: "10.0.0.0/15" }, /network: vpcCidr 10.0.0.0\/15: must be a \/16 to \/23/],
      [
        "the masks do not fit the VPC",
        { vpcCidr: "10.0.0.0/20", subnetMasks: { public: 24, private: 22, isolated: 24 } },
        /network: vpcCidr 10.0.0.0\/20: the three tiers need 12288 addresses/,
      ],
    ])("fails when %s", (_name, props, message) => {
      expect(() => synthVpc(props as Partial<MultiAzVpcProps>)).toThrow(message);
    });
  });
});
