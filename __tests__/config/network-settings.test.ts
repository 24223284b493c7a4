import { resolveConfig } from "../../config/load";

const REGION = "ap-northeast-2";
/** One allocation per default AZ. */
const ALLOCATIONS = { [`${REGION}a`]: "eipalloc-0000000a", [`${REGION}b`]: "eipalloc-0000000b", [`${REGION}c`]: "eipalloc-0000000c" };

/** The AZs and the subnet layout, checked by the schema: each problem one line naming the key, the value and the fix. */
describe("network settings", () => {
  test.each([
    ["fewer than 2 AZs", { azs: [`${REGION}a`] }, /azs \(\["ap-northeast-2a"\]\): list 2 to 6/],
    ["more than 6 AZs", { azs: "abcdefg".split("").map((l) => REGION + l) }, /azs .*list 2 to 6/],
    ["an AZ is listed twice", { azs: [`${REGION}a`, `${REGION}a`] }, /azs\[1\] \("ap-northeast-2a"\): is listed twice/],
    ["an AZ of another region", { azs: [`${REGION}a`, "us-east-1b"] }, /azs\[1\] \("us-east-1b"\): is not an AZ of region ap-northeast-2/],
    ["the CIDR is malformed", { vpcCidr: "10.0.0/16" }, /vpcCidr \("10.0.0\/16"\): must be an IPv4 CIDR/],
    ["the CIDR has host bits set", { vpcCidr: "10.0.1.0/16" }, /vpcCidr \("10.0.1.0\/16"\): host bits are set: the block is 10.0.0.0\/16/],
    ["the CIDR is too small", { vpcCidr: "10.0.0.0/26" }, /vpcCidr \("10.0.0.0\/26"\): must be a \/16 to \/23: .* at least a \/23 even with \/28 subnets/],
    // No masks make the three tiers fit in a /24.
    [
      "the CIDR is a /24",
      { vpcCidr: "10.0.0.0/24", network: { subnetMasks: { public: 28, private: 28, isolated: 28 } } },
      /vpcCidr \("10.0.0.0\/24"\): must be a \/16 to \/23/,
    ],
    [
      "the CIDR is larger than AWS allows",
      { vpcCidr: "10.0.0.0/15" },
      /vpcCidr \("10.0.0.0\/15"\): must be a \/16 to \/23: AWS allows VPC blocks up to a \/16/,
    ],
    [
      "the masks do not fit the VPC",
      { vpcCidr: "10.0.0.0/20", network: { subnetMasks: { public: 24, private: 22, isolated: 24 } } },
      /network.subnetMasks .*need 12288 addresses .* has 4096/,
    ],
    [
      "a mask is larger than the VPC",
      { vpcCidr: "10.0.0.0/20", network: { subnetMasks: { public: 24, private: 19, isolated: 24 } } },
      /network.subnetMasks.private \(19\): must be a prefix length from 20/,
    ],
    ["the NAT mode is unknown", { network: { natGateways: "two" } }, /network.natGateways \("two"\): must be one of "none", "single", "one_per_az"/],
    [
      "a NAT allocation id is malformed",
      { network: { natElasticIpAllocationIds: { [`${REGION}a`]: "eip-123" } } },
      /network.natElasticIpAllocationIds.ap-northeast-2a \("eip-123"\): must be an Elastic IP allocation id such as eipalloc-/,
    ],
    [
      "a NAT allocation is keyed by an AZ not listed",
      { network: { natElasticIpAllocationIds: { ...ALLOCATIONS, [`${REGION}d`]: "eipalloc-0000000d" } } },
      /network.natElasticIpAllocationIds.ap-northeast-2d \("eipalloc-0000000d"\): is not one of azs/,
    ],
    [
      "a NAT gateway lacks an allocation",
      { network: { natElasticIpAllocationIds: { [`${REGION}a`]: "eipalloc-0000000a" } } },
      /network.natElasticIpAllocationIds .*lacks an allocation for the NAT gateway in ap-northeast-2b, ap-northeast-2c \(web: network.natGateways one_per_az\)/,
    ],
    [
      "a single NAT gateway is given allocations for other AZs",
      { network: { natGateways: "single", natElasticIpAllocationIds: ALLOCATIONS }, stacks: ["web"] },
      /network.natElasticIpAllocationIds.ap-northeast-2b .*has no NAT gateway: with network.natGateways single only ap-northeast-2a has one/,
    ],
    [
      "two NAT gateways share an allocation",
      { network: { natElasticIpAllocationIds: { ...ALLOCATIONS, [`${REGION}c`]: "eipalloc-0000000a" } } },
      /network.natElasticIpAllocationIds.ap-northeast-2c \("eipalloc-0000000a"\): is the allocation of ap-northeast-2a too/,
    ],
    [
      "two stacks would each use the allocations",
      { network: { natElasticIpAllocationIds: ALLOCATIONS }, stacks: ["web", "web-step-scaling"] },
      /network.natElasticIpAllocationIds .*an Elastic IP serves one NAT gateway at a time, and web, web-step-scaling each create NAT gateways/,
    ],
    [
      "no stack listed has NAT gateways",
      { network: { natElasticIpAllocationIds: ALLOCATIONS }, stacks: ["recovery", "multiaz"] },
      /network.natElasticIpAllocationIds .*none of the stacks listed \(recovery, multiaz\) has any/,
    ],
    [
      "the NAT gateways are off",
      { network: { natGateways: "none", natElasticIpAllocationIds: ALLOCATIONS } },
      /network.natElasticIpAllocationIds .*network.natGateways is none/,
    ],
    [
      "the retention is not one CloudWatch accepts",
      { network: { flowLogs: { retentionDays: 10 } } },
      /network.flowLogs.retentionDays \(10\): must be one of 1, 3, 5/,
    ],
  ])("fails when %s", (_name, settings, message) => {
    expect(() => resolveConfig(settings as never)).toThrow(message);
  });

  test("NAT allocations for every AZ of the one stack with NAT gateways (web, by default) are accepted", () => {
    expect(resolveConfig({ network: { natElasticIpAllocationIds: ALLOCATIONS } }).network.natElasticIpAllocationIds).toEqual(ALLOCATIONS);
    const single = { [`${REGION}a`]: "eipalloc-0000000a" };
    expect(
      resolveConfig({ stacks: ["multiaz"], network: { natGateways: "single", natElasticIpAllocationIds: single } }).network.natElasticIpAllocationIds,
    ).toEqual(single);
  });

  test("the smallest block fits /28 subnets", () => {
    expect(resolveConfig({ vpcCidr: "10.0.0.0/23", network: { subnetMasks: { public: 28, private: 28, isolated: 28 } } }).vpcCidr).toBe("10.0.0.0/23");
  });

  test("reports every problem at once", () => {
    expect(() => resolveConfig({ azs: [`${REGION}a`], vpcCidr: "nonsense" })).toThrow(/2 problems/);
  });
});
