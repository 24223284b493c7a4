import { comesWithInstanceStore, isInstanceStoreMapping } from "../../lib/instance-store";

describe("instance store", () => {
  test.each([
    "m5d.large",
    "c6gd.xlarge",
    "r5dn.2xlarge",
    "x2idn.16xlarge",
    "g4dn.xlarge",
    "i4i.large",
    "d3en.xlarge",
    "im4gn.large",
    "is4gen.medium",
    "h1.2xlarge",
  ])("%s comes with instance store volumes", (type) => expect(comesWithInstanceStore(type)).toBe(true));

  test.each(["t3.micro", "t4g.small", "m5.large", "c7g.large", "m7i-flex.large", "inf1.xlarge", "hpc7a.96xlarge", "m3.medium"])(
    "%s does not (m3: only from a mapping)",
    (type) => expect(comesWithInstanceStore(type)).toBe(false),
  );

  test("a mapping's virtual name ephemeralN is an instance store volume", () => {
    expect(["ephemeral0", "ephemeral23"].map(isInstanceStoreMapping)).toEqual([true, true]);
    expect(["ephemeral", "ebs0", undefined, 0].map(isInstanceStoreMapping)).toEqual([false, false, false, false]);
  });
});
