import { IAM_ROLE_NAME_MAX, assumeRolePolicy, regionalIamName } from "../../lib/iam";

describe("regionalIamName", () => {
  test("appends the region: IAM names are account-wide, the stacks regional", () => {
    expect(regionalIamName("multiaz-ref-web-instances", "ap-northeast-2")).toBe("multiaz-ref-web-instances-ap-northeast-2");
    expect(regionalIamName("multiaz-ref-web-instances", "eu-west-1")).not.toBe(regionalIamName("multiaz-ref-web-instances", "ap-northeast-2"));
  });

  test("a long name keeps its region and stays within IAM's 64 characters, unique and the same on every synth", () => {
    const base = "abcdefghijklmnopqrstuvwx-multiaz-image-catch-up-publisher";
    const name = regionalIamName(base, "ap-southeast-5");
    expect(name.length).toBeLessThanOrEqual(IAM_ROLE_NAME_MAX);
    expect(name).toMatch(/^abcdefghijklmnopqrstuvwx-multiaz-image-c-[0-9a-f]{8}-ap-southeast-5$/);
    expect(name).toHaveLength(IAM_ROLE_NAME_MAX);
    expect(regionalIamName(base, "ap-southeast-5")).toBe(name);
    // Two long names that share the kept part still differ.
    expect(regionalIamName(`${base}-other`, "ap-southeast-5")).not.toBe(name);
    expect(regionalIamName(base, "ap-southeast-4")).not.toBe(name);
  });
});

describe("assumeRolePolicy", () => {
  test("lets the one service principal assume the role, as plain JSON", () => {
    expect(JSON.parse(assumeRolePolicy("ec2.amazonaws.com"))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
  });

  test("adds the condition when one is given (a confused-deputy guard)", () => {
    const condition = { ArnLike: { "aws:SourceArn": "arn:aws:fis:ap-northeast-2:*:experiment/*" } };
    expect(JSON.parse(assumeRolePolicy("fis.amazonaws.com", condition)).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "fis.amazonaws.com" }, Action: "sts:AssumeRole", Condition: condition },
    ]);
  });
});
