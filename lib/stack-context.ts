/**
 * The region and partition a construct's resources live in, read from its stack, as
 * aws-cdk-lib's `Stack.of(this).region`: the stack's default AWS provider (the one without an
 * alias) says the region, the region says the partition. Constructs take neither as a prop.
 */
import { IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { dnsSuffixOf, partitionOf } from "./aws";

export interface AwsContext {
  /** The region of the stack's default AWS provider, e.g. `ap-northeast-2`. */
  readonly region: string;
  /** The ARN partition of that region: `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: string;
  /** The DNS suffix of service endpoints and principals there: `amazonaws.com` or `amazonaws.com.cn`. */
  readonly dnsSuffix: string;
}

/**
 * The AWS context of `scope`'s stack. A programmer error, scoped to the construct's path, when
 * the stack has no default AWS provider with a literal region.
 */
export function awsContext(scope: IConstruct): AwsContext {
  const stack = TerraformStack.of(scope);
  const provider = stack.node.children.find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
  const region = provider?.region;
  if (region === undefined || region.includes("${")) {
    throw new Error(
      `${scope.node.path}: the stack ${stack.node.id} has no default AWS provider with a literal region; add one before the constructs that need it`,
    );
  }
  return { region, partition: partitionOf(region), dnsSuffix: dnsSuffixOf(region) };
}
