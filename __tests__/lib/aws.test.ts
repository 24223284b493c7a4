import { INSTANCE_TYPE_PATTERN, amazonLinux2023Parameter, architectureOf, azIndex, azLetter, nameWithin, partitionOf } from "../../lib/aws";

describe("AWS naming facts", () => {
  test.each([
    ["ap-northeast-2", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("partition of %s is %s", (region, partition) => expect(partitionOf(region)).toBe(partition));

  test("AZ letters belong to their region only", () => {
    expect(azLetter("ap-northeast-2", "ap-northeast-2c")).toBe("c");
    expect(azIndex("ap-northeast-2", "ap-northeast-2c")).toBe(2);
    expect(azLetter("ap-northeast-2", "ap-northeast-1c")).toBeUndefined();
    expect(azLetter("us-east-1", "us-east-1-bos-1a")).toBeUndefined();
  });

  test.each([
    ["t3.micro", "x86_64"],
    ["t4g.small", "arm64"],
    ["c6gn.large", "arm64"],
    ["m7gd.xlarge", "arm64"],
    ["m5d.large", "x86_64"],
    ["g5.xlarge", "x86_64"],
  ])("%s runs %s images", (type, arch) => {
    expect(architectureOf(type)).toBe(arch);
    expect(amazonLinux2023Parameter(type)).toBe(`/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`);
  });

  test.each(["t3.micro", "m7i-flex.large", "c7i.metal-24xl", "u7i-6tb.112xlarge"])("%s is an instance type name", (type) => {
    expect(INSTANCE_TYPE_PATTERN.test(type)).toBe(true);
  });

  test.each(["t3micro", "T3.micro", "t3.", ".micro", "t3.-large"])("%s is not", (type) => {
    expect(INSTANCE_TYPE_PATTERN.test(type)).toBe(false);
  });

  test("a name over a limit keeps its start and a hash of the whole: deterministic, within the limit, unique", () => {
    expect(nameWithin("multiaz-ref-web", 32)).toBe("multiaz-ref-web");
    const https = nameWithin("abcdefghijklmnopqrstuvwx-web-https", 32);
    const step = nameWithin("abcdefghijklmnopqrstuvwx-web-step-scaling", 32);
    expect(https).toMatch(/^abcdefghijklmnopqrstuvw-[0-9a-f]{8}$/);
    expect(https.length).toBeLessThanOrEqual(32);
    expect(step).not.toBe(https);
    expect(nameWithin("abcdefghijklmnopqrstuvwx-web-https", 32)).toBe(https);
    // No hyphen before the hash's own.
    expect(nameWithin("abcdefghijklmnopqrstuv-web-step-scaling", 32)).toMatch(/^abcdefghijklmnopqrstuv-[0-9a-f]{8}$/);
  });

  test("an end it is given is kept whole after the hash, and the hash is of the whole name", () => {
    expect(nameWithin("multiaz-ref-web", 32, "-eu-west-1")).toBe("multiaz-ref-web-eu-west-1");
    const long = nameWithin("abcdefghijklmnopqrstuvwx-web-https", 32, "-eu-west-1");
    expect(long).toMatch(/^abcdefghijklm-[0-9a-f]{8}-eu-west-1$/);
    expect(long).toHaveLength(32);
    expect(nameWithin("abcdefghijklmnopqrstuvwx-web-https", 32, "-eu-west-2")).not.toBe(long.replace("west-1", "west-2"));
  });
});
