import {
  ALARM_ONLY_FAMILIES,
  INSTANCE_STORE_TOLERATED,
  RECOVERABLE_FAMILIES,
  checkCommand,
  recoverySupport,
} from "../../../constructs/recovery/recoverable-instance-types";

describe("recoverySupport", () => {
  test.each([
    "t3.micro",
    "t4g.small",
    "t2.nano",
    "m5.large",
    "m6i.2xlarge",
    "c5n.xlarge",
    "c7g.medium",
    "r5b.large",
    "inf1.xlarge",
    "hpc6a.48xlarge",
    // Current families the list of 2023 rejected
    "m7i.large",
    "c7i.xlarge",
    "r7i.2xlarge",
    "m7i-flex.large",
    "c7i-flex.large",
    "m7a.medium",
    "r7iz.large",
    "c7gn.large",
    "m8g.large",
    "c8i.xlarge",
    "r8i-flex.large",
    "m8azn.large",
    "hpc7g.4xlarge",
    "u7i-6tb.112xlarge",
    "u-6tb1.112xlarge",
    "x8g.large",
  ])("%s is recovered by both mechanisms", (type) => {
    // GIVEN a type of a family the EC2 User Guide lists WHEN checked THEN there is nothing against it
    expect(recoverySupport(type)).toEqual({});
  });

  test.each(["m5.metal", "c6i.metal", "c7i.metal-24xl", "u-6tb1.metal"])("%s (a metal size) is recovered by the alarm alone", (type) => {
    expect(recoverySupport(type)).toEqual({ alarmOnly: "simplified automatic recovery leaves out metal sizes" });
  });

  test.each([...ALARM_ONLY_FAMILIES, ...INSTANCE_STORE_TOLERATED].map((f) => [`${f}.xlarge`]))(
    "%s, which may have instance store volumes, is recovered by the alarm alone",
    (type) => {
      expect(recoverySupport(type).unsupported).toBeUndefined();
      expect(recoverySupport(type).alarmOnly).toMatch(/instance store volumes/);
    },
  );

  test.each([
    ["m5d.large", "m5d"],
    ["m5ad.xlarge", "m5ad"],
    ["c6gd.medium", "c6gd"],
    ["r5dn.large", "r5dn"],
    ["m7gd.large", "m7gd"],
    ["z1d.large", "z1d"],
    ["g4dn.xlarge", "g4dn"],
    ["i3.large", "i3"],
    ["i4i.xlarge", "i4i"],
    ["im4gn.large", "im4gn"],
    ["d3.xlarge", "d3"],
    ["h1.2xlarge", "h1"],
  ])("%s is rejected for its instance store volumes", (type, family) => {
    // GIVEN a `d` variant or a storage optimized family
    expect(recoverySupport(type)).toEqual({ unsupported: `has instance store volumes (the ${family} family), which EC2 recovery does not support` });
  });

  test.each(["f1.2xlarge", "mac1.metal", "p2.xlarge"])("%s, of a family the User Guide does not list, is rejected naming the family", (type) => {
    expect(recoverySupport(type).unsupported).toBe(`is not of a family the EC2 User Guide lists for EC2 recovery (the ${type.split(".")[0]} family)`);
  });

  test("no listed family is mistaken for one with instance store", () => {
    for (const family of RECOVERABLE_FAMILIES) expect(recoverySupport(`${family}.large`).unsupported).toBeUndefined();
    expect(new Set(RECOVERABLE_FAMILIES).size).toBe(RECOVERABLE_FAMILIES.length);
  });

  test("the check command asks EC2 about exactly that type", () => {
    expect(checkCommand("m9i.large")).toBe("aws ec2 describe-instance-types --instance-types m9i.large --query 'InstanceTypes[].AutoRecoverySupported'");
  });
});
