import { AnnotationMetadataEntryType } from "cdktf";
import { RecoverableInstance, RecoverableInstanceProps } from "../../../constructs/recovery/recoverable-instance";
import { TerraformJson, deref, only, resources, synthConstruct, testVpc } from "../../helpers";

const BASE: Omit<RecoverableInstanceProps, "vpc"> = {
  name: "test",
  instanceType: "t3.micro",
  userData: "#cloud-config\n",
};

function synthInstance(props: Partial<RecoverableInstanceProps> = {}): TerraformJson {
  return synthConstruct((scope) => new RecoverableInstance(scope, "server", { vpc: testVpc(scope, { natGateways: "none" }), ...BASE, ...props }));
}

describe("RecoverableInstance", () => {
  test("launches one instance from the hardened launch template's newest version", () => {
    // GIVEN the construct WHEN synthesized
    const tf = synthInstance();
    const instance = only(tf, "aws_instance");
    // THEN the instance names the template and its latest version by reference
    expect(deref(tf, instance.launch_template.id).type).toBe("aws_launch_template");
    expect(instance.launch_template.version).toBe(instance.launch_template.id.replace(/\.id\}$/, ".latest_version}"));
    const template = only(tf, "aws_launch_template");
    expect(template.instance_type).toBe("t3.micro");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs.encrypted).toBe("true");
  });

  test("carries the template's metadata options itself, for scanners that read the instance alone", () => {
    const tf = synthInstance();
    const options = { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" };
    expect(only(tf, "aws_instance").metadata_options).toEqual(options);
    expect(only(tf, "aws_launch_template").metadata_options).toEqual(options);
  });

  test("places the instance in the public subnet of the VPC's first AZ, or of the AZ given, with the template's security group and a public IP", () => {
    const tf = synthInstance();
    const instance = only(tf, "aws_instance");
    expect(deref(tf, instance.subnet_id).body).toMatchObject({ availability_zone: "ap-northeast-2a", tags: { Tier: "public" } });
    const other = synthInstance({ az: "ap-northeast-2c" });
    expect(deref(other, only(other, "aws_instance").subnet_id).body).toMatchObject({ availability_zone: "ap-northeast-2c", tags: { Tier: "public" } });
    expect(instance.associate_public_ip_address).toBe(true);
    expect(instance.vpc_security_group_ids).toHaveLength(1);
    expect(deref(tf, instance.vpc_security_group_ids[0]).type).toBe("aws_security_group");
    // The template carries the same security group inside its network interface, not beside it.
    const nic = only(tf, "aws_launch_template").network_interfaces[0];
    expect(nic).toMatchObject({ device_index: 0, associate_public_ip_address: "true", security_groups: instance.vpc_security_group_ids });
    expect(only(tf, "aws_launch_template").vpc_security_group_ids).toBeUndefined();
  });

  test("keeps detailed monitoring and simplified automatic recovery on", () => {
    const instance = only(synthInstance(), "aws_instance");
    expect(instance.monitoring).toBe(true);
    expect(instance.maintenance_options).toEqual({ auto_recovery: "default" });
  });

  test("associates an Elastic IP with the instance", () => {
    const tf = synthInstance();
    const association = only(tf, "aws_eip_association");
    expect(deref(tf, association.allocation_id)).toMatchObject({ type: "aws_eip", attr: "allocation_id" });
    expect(deref(tf, association.instance_id)).toMatchObject({ type: "aws_instance", attr: "id" });
    // An address in a VPC waits for the internet gateway.
    for (const r of [association, only(tf, "aws_eip")]) expect(r.depends_on).toEqual([expect.stringMatching(/^aws_internet_gateway\./)]);
    expect(only(tf, "aws_eip").domain).toBe("vpc");
  });

  test("gives the instance an SSM-managed role and no SSH unless a CIDR is configured", () => {
    const closed = synthInstance();
    expect(only(closed, "aws_iam_role_policy_attachment").policy_arn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    expect(Object.values(resources(closed, "aws_vpc_security_group_ingress_rule"))).toHaveLength(0);
    // GIVEN an administration CIDR THEN SSH is open to it alone
    const open = synthInstance({ sshCidr: "203.0.113.0/24" });
    expect(only(open, "aws_vpc_security_group_ingress_rule")).toMatchObject({ from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.0/24" });
  });

  test.each([
    ["m5d.large", /instanceType \("m5d\.large"\): m5d\.large has instance store volumes \(the m5d family\)/],
    ["f1.2xlarge", /instanceType \("f1\.2xlarge"\): f1\.2xlarge is not of a family the EC2 User Guide lists for EC2 recovery \(the f1 family\)/],
  ])("fails when the instance type is %s, which EC2 recovery cannot heal, saying how to check a type", (instanceType, message) => {
    expect(() => synthInstance({ instanceType })).toThrow(message);
    expect(() => synthInstance({ instanceType })).toThrow(/choose an EBS-only type of a supported family such as t3\.micro/);
    expect(() => synthInstance({ instanceType })).toThrow(
      `Check a type with \`aws ec2 describe-instance-types --instance-types ${instanceType} --query 'InstanceTypes[].AutoRecoverySupported'\``,
    );
  });

  test.each(["m7i.large", "c7i.xlarge", "r7i.large"])("accepts %s, a current family, without a warning", (instanceType) => {
    let warnings: unknown[] = [];
    synthConstruct((scope) => {
      const server = new RecoverableInstance(scope, "server", { vpc: testVpc(scope, { natGateways: "none" }), ...BASE, instanceType });
      warnings = server.instance.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN);
    });
    expect(warnings).toEqual([]);
  });

  test("accepts a metal size, which only the recover alarm heals, and warns so", () => {
    let warnings: unknown[] = [];
    const tf = synthConstruct((scope) => {
      const server = new RecoverableInstance(scope, "server", { vpc: testVpc(scope, { natGateways: "none" }), ...BASE, instanceType: "c7i.metal-24xl" });
      warnings = server.instance.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => m.data);
    });
    expect(only(tf, "aws_launch_template").instance_type).toBe("c7i.metal-24xl");
    expect(warnings).toEqual([
      "instanceType c7i.metal-24xl: simplified automatic recovery leaves out metal sizes, so the recover alarm is the only mechanism that moves this server to new hardware",
    ]);
  });

  test("fails when the AZ is not one of the VPC's", () => {
    expect(() => synthInstance({ az: "ap-northeast-2d" })).toThrow(
      /server: az \("ap-northeast-2d"\): must be one of the VPC's AZs \(ap-northeast-2a, ap-northeast-2b, ap-northeast-2c\)/,
    );
  });

  test("fails when the instance type is malformed, as the launch template reports it", () => {
    expect(() => synthInstance({ instanceType: "t3micro" })).toThrow(/instanceType \("t3micro"\): must be an EC2 instance type such as t3\.micro/);
  });
});
