/**
 * The security checks at synth: an error-level finding no construct suppressed cancels the
 * atomic synth (so `cdktf deploy`, which synthesizes through main.ts, cannot bypass it) with
 * the rule id, the address and the fix, and the output folder stays as it was; a suppressed
 * finding passes; a value known only at apply is reported as unknown, not as a pass.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { ValidationError, formatProblem } from "../../lib/validation";
import { checkConfiguration } from "../../policy/synth-check";
import { suppress } from "../../policy/suppress";
import { withTempDir } from "../helpers";

/** A stack whose subnet gives instances public IPs (CKV_AWS_130, an error), suppressed or not. */
function publicSubnetStack(app: App, options: { suppressed?: boolean; fromReference?: boolean } = {}): void {
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
  const vpcId = "vpc-0123456789abcdef0";
  const other = new Subnet(stack, "other", { vpcId, cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false });
  const subnet = new Subnet(stack, "subnet", {
    vpcId,
    cidrBlock: "10.0.0.0/24",
    // A value only apply knows: another subnet's flag, as a reference.
    mapPublicIpOnLaunch: options.fromReference ? (other.mapPublicIpOnLaunch as unknown as boolean) : true,
  });
  if (options.suppressed) suppress(subnet, "CKV_AWS_130", "the subnet exists to hand out public addresses, for the test");
}

describe("security checks at synth", () => {
  test("an unsuppressed error fails the synth with rule, address and fix, and leaves the output folder as it was", () => {
    withTempDir((dir) => {
      const outdir = path.join(dir, "cdktf.out");
      fs.mkdirSync(outdir);
      fs.writeFileSync(path.join(outdir, "marker"), "before");
      let error: unknown;
      try {
        synthesizeAtomically(outdir, [(app) => publicSubnetStack(app)]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      const lines = (error as ValidationError).problems.map(formatProblem);
      expect(lines).toEqual([
        expect.stringMatching(/^test: aws_subnet\.subnet \("CKV_AWS_130"\): map_public_ip_on_launch = true .* suppress\(resource, "CKV_AWS_130", reason\)/),
      ]);
      expect(fs.readdirSync(outdir)).toEqual(["marker"]);
      expect(fs.readdirSync(dir).filter((f) => f.includes("staging"))).toEqual([]);
    });
  });

  test("a suppressed error synthesizes", () => {
    withTempDir((dir) => {
      const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app) => publicSubnetStack(app, { suppressed: true })]);
      expect(Object.keys(result.stackDirs)).toEqual(["test"]);
    });
  });

  test("a value known only at apply is reported as unknown, neither a finding nor a pass", () => {
    withTempDir((dir) => {
      const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app) => publicSubnetStack(app, { fromReference: true })]);
      const checked = checkConfiguration("test", JSON.parse(fs.readFileSync(path.join(result.stackDirs.test, "cdk.tf.json"), "utf8")));
      expect(checked.report.findings.filter((f) => f.rule.id === "CKV_AWS_130")).toEqual([]);
      expect(checked.report.unknowns.map((u) => [u.rule.id, u.resource.address])).toEqual([["CKV_AWS_130", "aws_subnet.subnet"]]);
      expect(result.notes).toContain("unknown until apply (not a pass): test: CKV_AWS_130 aws_subnet.subnet: map_public_ip_on_launch is known only at apply");
    });
  });
});
