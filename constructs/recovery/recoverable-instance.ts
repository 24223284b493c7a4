/**
 * A single server that EC2 recovery can heal in place: one instance from the project's
 * hardened launch template, of a type EC2 recovery supports, with simplified automatic
 * recovery left on, and an Elastic IP as its public endpoint. A recovered instance keeps its
 * id, private IP, Elastic IP and EBS volumes, so nothing that points at it needs to change.
 * The CloudWatch alarms that trigger recovery are {@link Ec2RecoveryAlarms}.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-recover.html
 */
import { Construct } from "constructs";
import { Annotations, Token } from "cdktf";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { EipAssociation } from "@cdktf/provider-aws/lib/eip-association";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { INSTANCE_TYPE_PATTERN } from "../../lib/aws";
import { Problems } from "../../lib/validation";
import { Relaxation } from "../../policy/relaxation";
import { suppress } from "../../policy/suppress";
import { HardenedLaunchTemplate, IngressRule } from "../compute/hardened-launch-template";
import { InstanceRole } from "../compute/instance-role";
import { MultiAzVpc } from "../network/multi-az-vpc";
import { recoverableTypeFix, recoverySupport } from "./recoverable-instance-types";

export interface RecoverableInstanceProps {
  /** Name of the instance, its launch template, role, security group and Elastic IP. */
  readonly name: string;
  /**
   * The VPC: the instance runs in the public subnet of `az`, which recovery keeps (same AZ),
   * and its Elastic IP waits for the VPC's internet gateway (an address in a VPC needs it first).
   * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/eip
   */
  readonly vpc: MultiAzVpc;
  /** The AZ of the instance, one of the VPC's. @default - the VPC's first AZ: recovery moves the instance to another host in the same AZ, so any AZ is as good */
  readonly az?: string;
  /** EC2 instance type; must support EC2 recovery (see recoverable-instance-types.ts). */
  readonly instanceType: string;
  /** Root volume GiB. @default - the launch template's: DEFAULT_ROOT_VOLUME_GB */
  readonly rootVolumeGb?: number;
  /** CIDR admitted to SSH. @default - no SSH ingress; SSM Session Manager is the way in */
  readonly sshCidr?: string;
  /** Cloud-init user data (plain text). */
  readonly userData: string;
  /** Ingress rules of the instance's security group (e.g. HTTP from anywhere). @default - none */
  readonly ingress?: readonly IngressRule[];
  /** The IMDS hop limit, above 1 only with a reason. @default - the launch template's: { value: 1 } */
  readonly metadataHopLimit?: Relaxation<number>;
}

/** The CKV_AWS_88 exception, on the launch template and on the instance that repeats its public IP. */
const PUBLIC_IP_REASON =
  "This server is its own public endpoint. Cloud-init installs its packages at first boot, which must not depend on " +
  "whether the Elastic IP association has happened yet, so it launches with a public IP that the Elastic IP then " +
  "replaces. Only the ports its security group opens are reachable.";

export class RecoverableInstance extends Construct {
  readonly role: InstanceRole;
  readonly launchTemplate: HardenedLaunchTemplate;
  readonly instance: Instance;
  readonly elasticIp: Eip;
  /** The instance id; EC2 recovery keeps it. */
  readonly instanceId: string;
  /** The Elastic IP address: the server's public endpoint. */
  readonly publicIp: string;

  constructor(scope: Construct, id: string, props: RecoverableInstanceProps) {
    super(scope, id);
    const az = props.az ?? props.vpc.azs[0];
    const alarmOnly = validate(this, props, az);

    this.role = new InstanceRole(this, "role", { name: props.name });
    this.launchTemplate = new HardenedLaunchTemplate(this, "launch-template", {
      name: props.name,
      vpc: props.vpc,
      instanceType: props.instanceType,
      rootVolumeGb: props.rootVolumeGb,
      sshCidr: props.sshCidr,
      role: this.role,
      userData: props.userData,
      ingress: props.ingress,
      associatePublicIpAddress: true,
      publicIpReason: PUBLIC_IP_REASON,
      metadataHopLimit: props.metadataHopLimit,
    });

    const template = this.launchTemplate.launchTemplate;
    this.instance = new Instance(this, "instance", {
      // A new template version (changed user data, type or volume size) replaces the
      // instance, root volume included; the plan shows it as a replacement.
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      // The provider sends some settings on every launch, and the request's values win over
      // the template's: `monitoring` (false unless set) would switch detailed monitoring off.
      monitoring: true,
      // The provider places a subnet inside a network interface only when a public IP is
      // asked for here; a subnet beside the template's network interface is rejected
      // (InvalidParameterCombination, hashicorp/terraform-provider-aws#33536). The request's
      // interface then stands for the template's, so it carries the security group too.
      subnetId: props.vpc.subnetsByAz[az].public.id,
      associatePublicIpAddress: true,
      vpcSecurityGroupIds: [this.launchTemplate.securityGroup.id],
      // The template's IMDSv2-only options once more: EC2 would apply the template's, but
      // scanners (checkov CKV_AWS_79/CKV_AWS_341, trivy AWS-0028) read the instance alone.
      metadataOptions: { ...this.launchTemplate.metadataOptions },
      // Simplified automatic recovery (on by default for supported types) stays on as a
      // second line behind the recover alarm.
      maintenanceOptions: { autoRecovery: "default" },
      // The template's profile, repeated for the same reason (checkov CKV2_AWS_41 reads the
      // instance alone). Not its root volume: with root_block_device set, provider 5.100 looks up
      // the root device of the template's image with DescribeImages, and EC2 rejects the
      // `resolve:ssm:` image id there (InvalidAMIID.Malformed, hashicorp/terraform-provider-aws#43488;
      // found by `npm run sandbox`); the template's block device mapping encrypts it.
      iamInstanceProfile: this.role.profile.name,
      tags: { Name: props.name },
    });
    // The template's exceptions (the public IP, a relaxed hop limit), repeated with its settings.
    this.launchTemplate.repeatSuppressionsOn(this.instance);
    suppress(
      this.instance,
      "CKV_AWS_8",
      "the root volume is encrypted by the launch template's block device mapping; root_block_device on the instance makes provider 5.100 call DescribeImages with the template's resolve:ssm image id, which EC2 rejects (hashicorp/terraform-provider-aws#43488)",
    );
    if (alarmOnly) {
      Annotations.of(this.instance).addWarning(
        `instanceType ${props.instanceType}: ${alarmOnly}, so the recover alarm is the only mechanism that moves this server to new hardware`,
      );
    }
    this.instanceId = this.instance.id;

    // CKV2_AWS_19: the Elastic IP is attached. Recovery keeps it on the instance.
    const dependsOn = [props.vpc.internetGateway];
    this.elasticIp = new Eip(this, "eip", { domain: "vpc", tags: { Name: props.name }, dependsOn });
    new EipAssociation(this, "eip-association", { allocationId: this.elasticIp.allocationId, instanceId: this.instance.id, dependsOn });
    this.publicIp = this.elasticIp.publicIp;
  }
}

/** Rejects a type the recover alarm cannot heal (the schema does so for recovery.instanceType) and an AZ outside the VPC; returns why only the alarm covers the type, if so. */
function validate(scope: Construct, props: RecoverableInstanceProps, az: string): string | undefined {
  const p = new Problems();
  if (!props.vpc.azs.includes(az)) p.add("az", az, `must be one of the VPC's AZs (${props.vpc.azs.join(", ")})`);
  const type = props.instanceType;
  // A malformed type is the launch template's to report.
  const known = typeof type === "string" && !Token.isUnresolved(type) && INSTANCE_TYPE_PATTERN.test(type);
  const fix = known ? recoverableTypeFix(type) : undefined;
  if (fix) p.add("instanceType", type, fix);
  p.throwIfAnyAt(scope);
  return known ? recoverySupport(type).alarmOnly : undefined;
}
