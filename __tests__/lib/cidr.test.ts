import { formatIpv4Cidr, parseIpv4Cidr, subBlock } from "../../lib/cidr";

describe("IPv4 CIDR", () => {
  test("parses and formats a network block", () => {
    expect(parseIpv4Cidr("192.168.0.0/16")).toEqual({ base: 0xc0a80000, prefix: 16 });
    expect(formatIpv4Cidr({ base: 0xc0a80000, prefix: 16 })).toBe("192.168.0.0/16");
  });

  test.each(["10.0.0.0", "10.0.0.0/33", "300.0.0.0/8", "fd00::/8", ""])("rejects %p", (cidr) => {
    expect(parseIpv4Cidr(cidr)).toMatch(/IPv4 CIDR/);
  });

  test("carves the n-th block like Terraform's cidrsubnet", () => {
    const vpc = parseIpv4Cidr("10.1.0.0/16");
    if (typeof vpc === "string") throw new Error(vpc);
    expect(formatIpv4Cidr(subBlock(vpc, 24, 3))).toBe("10.1.3.0/24");
    expect(() => subBlock(vpc, 24, 256)).toThrow(/does not fit/);
  });
});
