import { StackKey } from "../../../constructs/encryption/stack-key";
import { only, synthConstruct } from "../../helpers";

/** The key policy (a jsonencode() expression) of a key in a stack of `region`. */
function policyIn(region: string): string {
  return only(
    synthConstruct((scope) => new StackKey(scope, "key", { name: "demo" }), region),
    "aws_kms_key_policy",
  ).policy;
}

describe("StackKey", () => {
  test.each([
    ["ap-northeast-2", "amazonaws.com"],
    ["cn-north-1", "amazonaws.com.cn"],
  ])("in %s, names the regional CloudWatch Logs principal and SNS endpoint with the partition's DNS suffix %s", (region, suffix) => {
    const policy = policyIn(region);
    expect(policy).toContain(`"Service" = "logs.${region}.${suffix}"`);
    expect(policy).toContain(`"kms:ViaService" = "sns.${region}.${suffix}"`);
  });
});
