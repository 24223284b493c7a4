/**
 * IAM names are global to an account, the stacks regional: the same stacks in a second region
 * must not collide (EntityAlreadyExists at apply).
 */
import { STACK_NAMES } from "../../config/schema";
import { IAM_ROLE_NAME_MAX } from "../../lib/iam";
import { TerraformJson, resources, synthStack } from "../helpers";

/** Every IAM role and instance profile name of every stack, for a region (`role:<name>`, `profile:<name>`: separate namespaces). */
function iamNames(region: string, project = "multiaz-ref"): string[] {
  const overrides = {
    project,
    region,
    azs: [`${region}a`, `${region}b`],
    // Every IAM-bearing option on: EFS and the warm pool add none, the pipeline adds its roles.
    multiaz: { efs: { enabled: true } },
    // The experiment templates' roles, one each.
    experiments: { enabled: true },
  };
  return STACK_NAMES.flatMap((stack) => {
    const { tf } = synthStack(stack, overrides);
    return [...names(tf, "aws_iam_role").map((n) => `role:${n}`), ...names(tf, "aws_iam_instance_profile").map((n) => `profile:${n}`)];
  });
}

function names(tf: TerraformJson, type: string): string[] {
  return Object.values(resources(tf, type)).map((r) => r.name as string);
}

describe("IAM names", () => {
  test("differ between regions for every role and instance profile of every stack", () => {
    const seoul = iamNames("ap-northeast-2");
    const ireland = iamNames("eu-west-1");
    expect(seoul.length).toBeGreaterThanOrEqual(6);
    expect(seoul.filter((n) => ireland.includes(n))).toEqual([]);
    expect(seoul.every((n) => n.endsWith("-ap-northeast-2"))).toBe(true);
  });

  test("are unique within a region and within IAM's 64 characters, even for the longest project name in a long region name", () => {
    const longest = iamNames("ap-southeast-5", "abcdefghijklmnopqrstuvwx");
    expect(new Set(longest).size).toBe(longest.length);
    for (const name of longest) expect(name.replace(/^\w+:/, "").length).toBeLessThanOrEqual(IAM_ROLE_NAME_MAX);
  });
});
