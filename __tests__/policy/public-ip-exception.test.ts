/**
 * The one intended CKV_AWS_88 exception is declared where the public IP is: a launch template
 * asks for it with a reason, which becomes the suppression reviewers read.
 */
import { Testing, TerraformStack } from "cdktf";
import { HardenedLaunchTemplate, HardenedLaunchTemplateProps } from "../../constructs/compute/hardened-launch-template";
import { InstanceRole } from "../../constructs/compute/instance-role";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { testVpc } from "../helpers";

const REASON = "The server is its own public endpoint and needs the internet before its Elastic IP is attached.";

function template(props: Partial<HardenedLaunchTemplateProps>): HardenedLaunchTemplate {
  const stack = new TerraformStack(Testing.app(), "s");
  new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
  const role = new InstanceRole(stack, "role", { name: "demo" });
  return new HardenedLaunchTemplate(stack, "lt", {
    name: "demo",
    vpc: testVpc(stack),
    instanceType: "t3.micro",
    role,
    userData: "#cloud-config\n",
    ...props,
  });
}

/** The launch template's body as cdk.tf.json holds it, `//` included. */
const bodyOf = (t: HardenedLaunchTemplate): any => Object.values(t.launchTemplate.toTerraform().resource.aws_launch_template)[0];

describe("public IP exception on the hardened launch template", () => {
  test("with a reason: the interface gets a public IP and the template records the CKV_AWS_88 suppression", () => {
    // GIVEN a template asked for a public IP with a reason WHEN rendered as cdk.tf.json writes it
    const body = bodyOf(template({ associatePublicIpAddress: true, publicIpReason: REASON }));
    // THEN the interface asks for a public IP and the suppression holds the reason
    expect(body.network_interfaces[0].associate_public_ip_address).toBe("true");
    expect(body["//"].suppressions).toEqual({ CKV_AWS_88: REASON });
  });

  test("without a public IP there is nothing to suppress", () => {
    const body = bodyOf(template({}));
    expect(body["//"]?.suppressions).toBeUndefined();
    expect(body.network_interfaces).toBeUndefined();
  });

  test("fails when a public IP is asked for without a reason", () => {
    expect(() => template({ associatePublicIpAddress: true })).toThrow(
      /publicIpReason \(not set\): is required with associatePublicIpAddress: say in at least 20 characters why/,
    );
  });

  test("fails when a reason is given without a public IP", () => {
    expect(() => template({ publicIpReason: REASON })).toThrow(/publicIpReason .*: is only for instances with associatePublicIpAddress = true; remove it/);
  });
});
