import {
  RECOVERABLE_FAMILIES,
  RECOVERABLE_WITHOUT_INSTANCE_STORE,
  recoveryUnsupportedReason,
} from "../../../constructs/recovery/recoverable-instance-types";

describe("recoveryUnsupportedReason", () => {
  test.each(["t3.micro", "t4g.small", "t2.nano", "m5.large", "m6i.2xlarge", "c5n.xlarge", "c7g.medium", "r5b.large", "inf1.xlarge", "hpc6a.48xlarge"])(
    "%s can be recovered",
    (type) => {
      // GIVEN a type of a family the EC2 User Guide lists WHEN checked THEN there is nothing against it
      expect(recoveryUnsupportedReason(type)).toBeUndefined();
    },
  );

  test("virtualized high-memory types can be recovered, their metal sizes cannot", () => {
    expect(recoveryUnsupportedReason("u-6tb1.112xlarge")).toBeUndefined();
    expect(recoveryUnsupportedReason("u-6tb1.metal")).toMatch(/bare metal/);
  });

  test.each(["m5.metal", "c6i.metal", "t4g.metal", "mac1.metal", "c7i.metal-24xl"])("%s is rejected as bare metal", (type) => {
    // GIVEN a metal size, even of a supported family
    expect(recoveryUnsupportedReason(type)).toBe("is a bare metal type, which EC2 recovery does not support");
  });

  test.each([
    ["m5d.large", "m5d"],
    ["m5ad.xlarge", "m5ad"],
    ["c6gd.medium", "c6gd"],
    ["r5dn.large", "r5dn"],
    ["z1d.large", "z1d"],
    ["g4dn.xlarge", "g4dn"],
    ["i3.large", "i3"],
    ["i4i.xlarge", "i4i"],
    ["im4gn.large", "im4gn"],
    ["d3.xlarge", "d3"],
    ["h1.2xlarge", "h1"],
  ])("%s is rejected for its instance store volumes", (type, family) => {
    // GIVEN a `d` variant or a storage optimized family
    expect(recoveryUnsupportedReason(type)).toBe(`has instance store volumes (the ${family} family), which EC2 recovery does not support`);
  });

  test.each(RECOVERABLE_WITHOUT_INSTANCE_STORE.map((f) => `${f}.xlarge`))("%s is rejected: supported only without instance store", (type) => {
    expect(recoveryUnsupportedReason(type)).toMatch(/only without instance store volumes/);
  });

  test("a family the User Guide does not list is rejected, naming the family", () => {
    expect(recoveryUnsupportedReason("f1.2xlarge")).toBe(
      "is not of a family that supports EC2 recovery (the f1 family is not among those the EC2 User Guide lists)",
    );
  });

  test("no supported family is mistaken for one with instance store", () => {
    // GIVEN every listed family THEN none of them is rejected by the instance store rule
    for (const family of RECOVERABLE_FAMILIES) expect(recoveryUnsupportedReason(`${family}.large`)).toBeUndefined();
  });
});
