import { InstanceRole } from "../../../constructs/compute/instance-role";
import { only, policyJson, resources, synthConstruct } from "../../helpers";

describe("InstanceRole", () => {
  test("EC2 may assume it, SSM Session Manager is attached, and the profile carries it", () => {
    const tf = synthConstruct((scope) => new InstanceRole(scope, "role", { name: "demo" }), "cn-north-1");
    const role = only(tf, "aws_iam_role");
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    expect(only(tf, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore");
    // IAM names are account-wide: the stack's region makes them differ between the regions of one account.
    expect(only(tf, "aws_iam_instance_profile")).toMatchObject({ name: "demo-cn-north-1" });
    expect(only(tf, "aws_iam_role")).toMatchObject({ name: "demo-cn-north-1" });
  });

  test("allow() adds an inline policy with exactly the statements given, as plain JSON", () => {
    const tf = synthConstruct((scope) => {
      const role = new InstanceRole(scope, "role", { name: "demo" });
      role.allow("read-parameter", [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*:*:parameter/demo" }]);
    });
    const policy = Object.values(resources(tf, "aws_iam_role_policy"))[0];
    expect(policy.name).toBe("read-parameter");
    expect(policyJson(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:*:*:parameter/demo" }],
    });
  });
});
