import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { awsContext } from "../../lib/stack-context";

function stackWith(...providers: { region?: string; alias?: string }[]): { stack: TerraformStack; leaf: Construct } {
  const stack = new TerraformStack(new App(), "s");
  providers.forEach((p, i) => new AwsProvider(stack, `aws${i}`, p));
  return { stack, leaf: new Construct(new Construct(stack, "outer"), "inner") };
}

describe("awsContext", () => {
  test("reads the region of the stack's default provider and derives partition and DNS suffix", () => {
    expect(awsContext(stackWith({ region: "ap-northeast-2" }).leaf)).toEqual({ region: "ap-northeast-2", partition: "aws", dnsSuffix: "amazonaws.com" });
    expect(awsContext(stackWith({ region: "us-gov-west-1" }).leaf).partition).toBe("aws-us-gov");
    expect(awsContext(stackWith({ region: "cn-north-1" }).leaf)).toMatchObject({ partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" });
  });

  test("ignores aliased providers (a second region for one resource)", () => {
    expect(awsContext(stackWith({ region: "us-east-1", alias: "global" }, { region: "eu-west-1" }).leaf).region).toBe("eu-west-1");
  });

  test("a stack without a default provider is a programmer error naming the construct's path", () => {
    expect(() => awsContext(stackWith().leaf)).toThrow("s/outer/inner: the stack s has no default AWS provider with a literal region");
    expect(() => awsContext(stackWith({ region: "us-east-1", alias: "global" }).leaf)).toThrow(/no default AWS provider/);
  });
});
