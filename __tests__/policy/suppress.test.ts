/**
 * Suppressions: recorded by the construct-side helper in the real synthesized file, read
 * back by the checks, reported with their reason (never hidden), and refused without one.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { ResourceGraph } from "../../lib/resource-graph";
import { checkStack, openErrors, suppressionsOf } from "../../policy";
import { suppress } from "../../policy/suppress";
import { withTempDir } from "../helpers";

/** Synthesizes one subnet that breaks CKV_AWS_130 the way `cdktf synth` writes it (`//` kept). */
function synthesizedSubnet(mark: (subnet: Subnet) => void): any {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "s");
    new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
    const subnet = new Subnet(stack, "public", { vpcId: "vpc-0123456789abcdef0", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true });
    mark(subnet);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "s", "cdk.tf.json"), "utf8"));
  });
}

/** Checks a synthesized configuration with the suppressions it records. */
const check = (tf: any) => checkStack(ResourceGraph.fromTerraformJson(tf), suppressionsOf(tf));

describe("suppress", () => {
  test("records the rule and reason in the resource's // metadata of cdk.tf.json, next to cdktf's own", () => {
    // GIVEN a resource suppressed for two rules
    const tf = synthesizedSubnet((s) => {
      suppress(s, "CKV_AWS_130", "a lab subnet whose instances must be reachable directly");
      suppress(s, "CKV_AWS_23", "no security group here; kept to show two suppressions merge");
    });
    // THEN both are kept, keyed by rule id, beside the construct metadata
    expect(tf.resource.aws_subnet.public["//"]).toEqual({
      metadata: expect.objectContaining({ path: "s/public" }),
      suppressions: {
        CKV_AWS_130: "a lab subnet whose instances must be reachable directly",
        CKV_AWS_23: "no security group here; kept to show two suppressions merge",
      },
    });
  });

  test("a suppressed finding is reported as suppressed, with its reason, and does not fail the review", () => {
    // GIVEN the suppressed subnet WHEN checked
    const report = check(synthesizedSubnet((s) => suppress(s, "AWS-0164", "a lab subnet whose instances must be reachable directly")));
    // THEN the finding is there, marked suppressed with the reason; a trivy alias matched it
    const finding = report.findings.find((f) => f.rule.id === "CKV_AWS_130");
    expect(finding?.suppression).toEqual({ reason: "a lab subnet whose instances must be reachable directly" });
    expect(openErrors(report)).toEqual([]);
  });

  test("without a suppression the same finding is an open error", () => {
    const report = check(synthesizedSubnet(() => undefined));
    expect(openErrors(report).map((f) => `${f.rule.id} ${f.resource.address}`)).toEqual(["CKV_AWS_130 aws_subnet.public"]);
  });

  test("a suppression that matches no finding is reported as unused", () => {
    // GIVEN a suppression of a rule the subnet does not break
    const report = check(synthesizedSubnet((s) => suppress(s, "CKV_AWS_88", "kept after the instance moved behind the load balancer")));
    // THEN it is listed as unused, so it can be removed
    expect(report.unusedSuppressions.map((u) => `${u.ruleId} ${u.address}`)).toEqual(["CKV_AWS_88 aws_subnet.public"]);
  });

  test("fails for an unknown rule id, naming the known ones", () => {
    expect(() => synthesizedSubnet((s) => suppress(s, "CKV_AWS_9999", "a reason long enough to be one"))).toThrow(
      /unknown rule id "CKV_AWS_9999"; use one of CKV_AWS_79, /,
    );
  });

  test("fails when the reason is too short to explain anything", () => {
    expect(() => synthesizedSubnet((s) => suppress(s, "CKV_AWS_130", "  n/a "))).toThrow(/s\/public, CKV_AWS_130\): the reason " {2}n\/a " is too short/);
  });
});
