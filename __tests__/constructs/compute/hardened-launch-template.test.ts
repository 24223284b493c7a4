import { Fn } from "cdktf";
import { Construct } from "constructs";
import { HardenedLaunchTemplate, HardenedLaunchTemplateProps } from "../../../constructs/compute/hardened-launch-template";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { InstanceRole } from "../../../constructs/compute/instance-role";
import { TerraformJson, deref, fullSynthConstruct, only, resources, synthConstruct, testVpc } from "../../helpers";

const REASON = "The single server is its own public endpoint and needs egress before its Elastic IP.";

function template(props: Partial<HardenedLaunchTemplateProps> = {}) {
  return (scope: Construct) => {
    const role = new InstanceRole(scope, "role", { name: "demo" });
    new HardenedLaunchTemplate(scope, "servers", { name: "demo", vpc: testVpc(scope), instanceType: "t3.micro", role, userData: "#cloud-config\n", ...props });
  };
}

function synth(props: Partial<HardenedLaunchTemplateProps> = {}): TerraformJson {
  return synthConstruct(template(props));
}

describe("HardenedLaunchTemplate", () => {
  test("requires IMDSv2 with hop limit 1, encrypts the root volume, monitors in detail", () => {
    const lt = only(synth(), "aws_launch_template");
    expect(lt.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "disabled",
    });
    expect(lt.block_device_mappings[0]).toMatchObject({ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_type: "gp3", volume_size: 16 } });
    expect(lt.monitoring).toEqual({ enabled: true });
    expect(lt.iam_instance_profile.arn).toMatch(/^\$\{aws_iam_instance_profile\..+\.arn\}$/);
  });

  test("resolves the newest Amazon Linux 2023 of the type's architecture at launch", () => {
    expect(only(synth(), "aws_launch_template").image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(only(synth({ instanceType: "t4g.small" }), "aws_launch_template").image_id).toMatch(/-arm64$/);
    expect(only(synth({ imageId: "ami-0123456789abcdef0" }), "aws_launch_template").image_id).toBe("ami-0123456789abcdef0");
  });

  test("encodes the user data itself, so that no Terraform function holds its text", () => {
    const tf = synth({ userData: 'echo "hi"\n' });
    expect(Buffer.from(only(tf, "aws_launch_template").user_data, "base64").toString()).toBe('echo "hi"\n');
    expect((tf as { locals?: object }).locals).toBeUndefined();
  });

  test("no SSH by default; SSH only from the configured network, with a description on every rule", () => {
    expect(Object.values(resources(synth(), "aws_vpc_security_group_ingress_rule"))).toEqual([]);
    const rules = Object.values(
      resources(
        synth({ sshCidr: "198.51.100.0/24", ingress: [{ port: 80, sourceSecurityGroupId: "sg-lb", description: "HTTP from the load balancer" }] }),
        "aws_vpc_security_group_ingress_rule",
      ),
    );
    expect(rules.map((r) => [r.from_port, r.cidr_ipv4 ?? r.referenced_security_group_id]).sort()).toEqual([
      [22, "198.51.100.0/24"],
      [80, "sg-lb"],
    ]);
    for (const rule of [...rules, ...Object.values(resources(synth(), "aws_vpc_security_group_egress_rule"))]) expect(rule.description).toBeTruthy();
  });

  test("tags what it launches, since groups' instances get no provider default_tags", () => {
    const lt = only(synth({ instanceTags: { Team: "platform" } }), "aws_launch_template");
    expect(lt.tag_specifications.map((t: { resource_type: string }) => t.resource_type)).toEqual(["instance", "volume", "network-interface"]);
    for (const spec of lt.tag_specifications) expect(spec.tags).toEqual({ Name: "demo", Team: "platform" });
  });

  test("lets the instances read their tags from the metadata only when asked, and those tags may be references", () => {
    // GIVEN a template whose instances carry a value known only at apply time
    const tf = synthConstruct((scope) => {
      const address = new Eip(scope, "address", { domain: "vpc" });
      template({ instanceTags: { ElasticIpAllocationId: address.allocationId }, metadataTags: true })(scope);
    });

    // THEN the metadata serves the tags (IMDSv2 still required), and the tag is a reference
    const lt = only(tf, "aws_launch_template");
    expect(lt.metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "enabled",
    });
    const instanceSpec = lt.tag_specifications.find((t: { resource_type: string }) => t.resource_type === "instance");
    expect(deref(tf, instanceSpec.tags.ElasticIpAllocationId)).toMatchObject({ type: "aws_eip", attr: "allocation_id" });
    // ...and by default it does not, nor does it restrict the tag keys then
    expect(only(synth({ instanceTags: { "cost center": "platform" } }), "aws_launch_template").metadata_options.instance_metadata_tags).toBe("disabled");
  });

  test("a public IP only with a reason, recorded as the CKV_AWS_88 suppression", () => {
    const tf = fullSynthConstruct(template({ associatePublicIpAddress: true, publicIpReason: REASON }));
    const lt = only(tf, "aws_launch_template");
    expect(lt.network_interfaces[0]).toMatchObject({ associate_public_ip_address: "true" });
    expect(lt.vpc_security_group_ids).toBeUndefined();
    expect(JSON.stringify(lt["//"])).toContain(REASON);
  });

  test("a hop limit above 1 only with a reason, recorded as the CKV_AWS_341 suppression (and repeated on an instance that repeats the options)", () => {
    const HOPS_REASON = "containers on the host call AWS with the instance role";
    let lt: HardenedLaunchTemplate | undefined;
    const tf = fullSynthConstruct((scope) => {
      const role = new InstanceRole(scope, "role", { name: "demo" });
      lt = new HardenedLaunchTemplate(scope, "servers", {
        name: "demo",
        vpc: testVpc(scope),
        instanceType: "t3.micro",
        role,
        userData: "#cloud-config\n",
        metadataHopLimit: { value: 2, reason: `  ${HOPS_REASON}\n` },
      });
      lt.repeatSuppressionsOn(new SsmParameter(scope, "other", { name: "/demo/other", type: "String", value: "x" }));
    });
    expect(lt!.metadataOptions.httpPutResponseHopLimit).toBe(2);
    expect(only(tf, "aws_launch_template").metadata_options.http_put_response_hop_limit).toBe(2);
    expect(only(tf, "aws_launch_template")["//"].suppressions).toEqual({ CKV_AWS_341: HOPS_REASON });
    expect(only(tf, "aws_ssm_parameter")["//"].suppressions).toEqual({ CKV_AWS_341: HOPS_REASON });
    // The default: hop limit 1, nothing suppressed; 1 written out is the same.
    for (const props of [{}, { metadataHopLimit: { value: 1 } }]) {
      const plain = only(fullSynthConstruct(template(props)), "aws_launch_template");
      expect(plain.metadata_options.http_put_response_hop_limit).toBe(1);
      expect(plain["//"]?.suppressions).toBeUndefined();
    }
  });

  describe("validation", () => {
    test.each<[string, Partial<HardenedLaunchTemplateProps>, RegExp]>([
      ["the instance type is malformed", { instanceType: "large" }, /instanceType \("large"\): must be an EC2 instance type/],
      ["the root volume is too small", { rootVolumeGb: 4 }, /rootVolumeGb \(4\): must be a whole number from 8 to 16384/],
      ["SSH is opened to the internet", { sshCidr: "0.0.0.0/0" }, /sshCidr \("0.0.0.0\/0"\): SSH from the whole internet is not allowed \(CKV_AWS_24\)/],
      ["the SSH CIDR is malformed", { sshCidr: "10.0.0.1" }, /sshCidr \("10.0.0.1"\): must be an IPv4 CIDR/],
      ["the image is neither an AMI nor an SSM parameter", { imageId: "amazon-linux" }, /imageId \("amazon-linux"\): must be an AMI id/],
      ["a public IP comes without a reason", { associatePublicIpAddress: true }, /publicIpReason \(not set\): is required with associatePublicIpAddress/],
      ["a reason comes without a public IP", { publicIpReason: REASON }, /publicIpReason .*: is only for instances with associatePublicIpAddress/],
      [
        "the hop limit is relaxed without a reason",
        { metadataHopLimit: { value: 2 } },
        /metadataHopLimit\.value \(2\): relaxes the IMDS hop limit from 1 \(CKV_AWS_341: .*\) without a reason; say in metadataHopLimit\.reason/,
      ],
      [
        "the hop limit is out of EC2's range",
        { metadataHopLimit: { value: 0, reason: REASON } },
        /metadataHopLimit\.value \(0\): must be a whole number from 1 to 64/,
      ],
      [
        "a reason comes with hop limit 1",
        { metadataHopLimit: { value: 1, reason: REASON } },
        /metadataHopLimit\.reason \(".+\): gives a reason, but the IMDS hop limit is 1/,
      ],
      [
        "the user data holds a secret",
        { userData: "#!/bin/sh\nexport DB_PASSWORD=hunter2\n" },
        /userData \("\(line 2\)"\): looks like it holds a secret \(password or key assignment\)/,
      ],
      [
        "the user data embeds a Terraform reference",
        { userData: `#!/bin/sh\necho ${Fn.upper("x")}\n` },
        /userData \("\(user data\)"\): embeds Terraform references \(tokens\).*pass such values as instanceTags with metadataTags: true/,
      ],
      [
        "an instance tag key cannot be read from the metadata",
        { metadataTags: true, instanceTags: { "cost center": "platform" } },
        /instanceTags \("cost center"\): is a key EC2 refuses on instances whose tags are in their metadata/,
      ],
    ])("fails when %s", (_name, props, message) => {
      expect(() => synth(props)).toThrow(message);
    });
  });
});
