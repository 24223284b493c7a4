import { parseIpv4Cidr, Ipv4Block } from "../../../lib/cidr";
import { AZ_SLOTS, SMALLEST_VPC_PREFIX, subnetCidr, tierBlocks } from "../../../constructs/network/subnet-layout";

const vpc = parseIpv4Cidr("10.0.0.0/16") as Ipv4Block;
const masks = { public: 24, private: 20, isolated: 24 };

describe("subnet layout", () => {
  test("tiers never overlap and each reserves room for every AZ letter", () => {
    const blocks = tierBlocks(vpc, masks);
    if (typeof blocks === "string") throw new Error(blocks);
    const all = (["public", "private", "isolated"] as const).flatMap((tier) =>
      Array.from({ length: AZ_SLOTS }, (_, i) => subnetCidr(blocks, masks, "ap-northeast-2", tier, `ap-northeast-2${String.fromCharCode(97 + i)}`)),
    );
    expect(new Set(all).size).toBe(3 * AZ_SLOTS);
    expect(all).toContain("10.0.112.0/20"); // private, letter h
    expect(all).toContain("10.0.143.0/24"); // isolated, letter h
  });

  test("the layout depends on the masks only", () => {
    const a = tierBlocks(vpc, masks);
    const b = tierBlocks(vpc, { ...masks });
    expect(a).toEqual(b);
  });

  test("a too small VPC is reported with the addresses needed", () => {
    expect(tierBlocks(parseIpv4Cidr("10.0.0.0/22") as Ipv4Block, masks)).toMatch(/need 36864 addresses .* has 1024/);
  });

  test("the smallest VPC block is a /23: three tiers of eight /28 slots fit in it and in no /24", () => {
    const smallest = { public: 28, private: 28, isolated: 28 };
    expect(SMALLEST_VPC_PREFIX).toBe(23);
    expect(typeof tierBlocks(parseIpv4Cidr("10.0.0.0/23") as Ipv4Block, smallest)).toBe("object");
    expect(tierBlocks(parseIpv4Cidr("10.0.0.0/24") as Ipv4Block, smallest)).toMatch(/need 384 addresses .* has 256/);
  });
});
