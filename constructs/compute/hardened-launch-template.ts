/**
 * A launch template with the project's instance hardening, shared by every stack:
 * IMDSv2 required with hop limit 1 (CKV_AWS_79, CKV_AWS_341; a higher limit only with a reason,
 * recorded as the CKV_AWS_341 suppression), an encrypted gp3 root volume
 * (CKV_AWS_8), an instance profile with SSM access, detailed monitoring, a security group
 * whose every rule has a description (CKV_AWS_23) and no SSH from the internet (CKV_AWS_24),
 * and an image resolved at launch through `resolve:ssm:` so no AMI lookup runs at plan time.
 */
import { Construct } from "constructs";
import { TerraformResource, Token } from "cdktf";
import { LaunchTemplate, LaunchTemplateMetadataOptions } from "@cdktf/provider-aws/lib/launch-template";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { INSTANCE_TYPE_PATTERN, amazonLinux2023Parameter } from "../../lib/aws";
import { parseIpv4Cidr } from "../../lib/cidr";
import { METADATA_TAG_KEY_RULE, isMetadataTagKey } from "../../lib/instance-metadata";
import { SECRET_FIX, findSecret } from "../../lib/user-data-secrets";
import { Problems } from "../../lib/validation";
import { Relaxation, RelaxationRule, checkRelaxation, relaxationReason } from "../../policy/relaxation";
import { MIN_REASON_LENGTH, suppress } from "../../policy/suppress";
import { MultiAzVpc } from "../network/multi-az-vpc";
import { InstanceRole } from "./instance-role";

/** Root volume GiB: room for Amazon Linux 2023 (an 8 GiB image) and the workload's packages and logs. */
export const DEFAULT_ROOT_VOLUME_GB = 16;
/**
 * The root volume sizes a template may ask for: at least the image's 8 GiB snapshot, at most
 * gp3's 16 TiB.
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html
 */
export const ROOT_VOLUME_GB = { min: 8, max: 16384 } as const;

/**
 * The IMDS response hop limit (`http_put_response_hop_limit`): 1, so a packet from a container
 * on the host (one hop more) or a forwarded request gets no answer from the metadata service
 * and no instance credentials; EC2 accepts 1 to 64. A higher limit is a relaxation: only with
 * a reason (e.g. 2 for containers on the host that need the instance's role).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-existing-instances.html
 */
export const METADATA_HOP_LIMIT: RelaxationRule<number> & { readonly min: number; readonly max: number } = {
  ruleIds: ["CKV_AWS_341"],
  strict: 1,
  min: 1,
  max: 64,
  what: "the IMDS hop limit",
  risk: "a container on the host or a forwarded request can then read the instance credentials",
  why: "why the servers need it",
};

/** An AMI id of the region (`ami-` and 8 or 17 hex digits). */
export const AMI_ID_PATTERN = /^ami-[0-9a-f]{8,17}$/;

/**
 * What is wrong with `cidr` as the network admitted to SSH, or undefined when nothing is: it
 * must parse as an IPv4 CIDR and may not be the whole internet (checkov CKV_AWS_24). The
 * configuration schema reports it for `sshCidr`, the template refuses it.
 */
export function sshCidrFix(cidr: string): string | undefined {
  const block = parseIpv4Cidr(cidr);
  if (typeof block === "string") return block;
  if (block.prefix === 0) {
    return "SSH from the whole internet is not allowed (CKV_AWS_24); give your administration network's CIDR, or use SSM Session Manager and leave sshCidr unset";
  }
  return undefined;
}

/** One ingress rule: from a CIDR or from another security group. */
export interface IngressRule {
  readonly port: number;
  readonly description: string;
  readonly cidr?: string;
  readonly sourceSecurityGroupId?: string;
}

export interface HardenedLaunchTemplateProps {
  /** Name of the template, its security group and `Name` tags. */
  readonly name: string;
  /** The VPC of the instances' security group. */
  readonly vpc: MultiAzVpc;
  /** EC2 instance type. */
  readonly instanceType: string;
  /** Root volume GiB, {@link ROOT_VOLUME_GB} min to max. @default - {@link DEFAULT_ROOT_VOLUME_GB}: 16 */
  readonly rootVolumeGb?: number;
  /** CIDR admitted to SSH; never 0.0.0.0/0 (see {@link sshCidrFix}). @default - no SSH ingress */
  readonly sshCidr?: string;
  /** Role whose instance profile the instances get. */
  readonly role: InstanceRole;
  /**
   * Cloud-init user data: plain text, encoded here. It may not embed Terraform references
   * (tokens): give such values to the instances as `instanceTags` with `metadataTags` on, and
   * read them at boot from the instance metadata.
   */
  readonly userData: string;
  /** Further ingress rules (e.g. HTTP from the load balancer). @default - none */
  readonly ingress?: readonly IngressRule[];
  /**
   * Image: an AMI id, or `resolve:ssm:<parameter>` resolved at each launch.
   * @default - the newest Amazon Linux 2023 for the type's architecture, through its public SSM parameter
   */
  readonly imageId?: string;
  /**
   * Give the primary interface a public IP. Only for instances that are themselves the
   * public endpoint (an Elastic IP replaces it) and must reach AWS APIs before that.
   * Requires `publicIpReason`.
   * @default false - CKV_AWS_88
   */
  readonly associatePublicIpAddress?: boolean;
  /**
   * Why these instances need a public IP: recorded as the CKV_AWS_88 suppression the plan
   * review shows next to the finding. Required with `associatePublicIpAddress`.
   * @default - none; no public IP
   */
  readonly publicIpReason?: string;
  /**
   * Tags on the instances, volumes and interfaces launched (ASG launches get no provider
   * default_tags). Values may be Terraform references, such as ids the instances read from
   * their metadata (see `metadataTags`).
   * @default - Name only
   */
  readonly instanceTags?: Readonly<Record<string, string>>;
  /**
   * Let the instances read their own tags from the instance metadata
   * (`http://169.254.169.254/latest/meta-data/tags/instance/<key>`, with the IMDSv2 token):
   * the way boot scripts learn values that Terraform knows only at apply time. Any process on
   * the instance can read them, as anyone who may describe the instance can: tags are not
   * secrets, so put none there. EC2 then refuses to launch instances with tag keys holding
   * spaces or `/`, which is checked here for `instanceTags`.
   * @default false - instance_metadata_tags disabled
   * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html
   */
  readonly metadataTags?: boolean;
  /**
   * The IMDS response hop limit, {@link METADATA_HOP_LIMIT} min to max; above 1 only with a
   * reason, recorded as the CKV_AWS_341 suppression on the template (and, through
   * {@link HardenedLaunchTemplate.repeatSuppressionsOn}, on an instance that repeats its options).
   * @default - { value: 1 }: no hop beyond the instance
   */
  readonly metadataHopLimit?: Relaxation<number>;
}

export class HardenedLaunchTemplate extends Construct {
  readonly launchTemplate: LaunchTemplate;
  readonly securityGroup: SecurityGroup;
  /** The role whose instance profile the instances get. */
  readonly role: InstanceRole;
  /**
   * The instance metadata options of the template: IMDSv2 only, hop limit 1 (or `metadataHopLimit`). An `aws_instance`
   * launched from the template repeats them, since scanners read the instance resource alone.
   */
  readonly metadataOptions: Readonly<
    Required<Pick<LaunchTemplateMetadataOptions, "httpEndpoint" | "httpTokens" | "httpPutResponseHopLimit" | "instanceMetadataTags">>
  >;
  /** The suppressions the template carries (rule id -> reason), which an instance repeating its settings repeats too. */
  private readonly suppressions: Record<string, string> = {};
  /** The root volume the template maps (Amazon Linux 2023's `/dev/xvda`): encrypted gp3. */
  readonly rootVolume: { readonly volumeSize: number; readonly volumeType: string; readonly encrypted: boolean; readonly deleteOnTermination: boolean };

  constructor(scope: Construct, id: string, props: HardenedLaunchTemplateProps) {
    super(scope, id);
    validate(this, props);
    this.role = props.role;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-instances`,
      description: `Instances of ${props.name}`,
      vpcId: props.vpc.vpcId,
      tags: { Name: `${props.name}-instances` },
    });
    new VpcSecurityGroupEgressRule(this, "egress", {
      securityGroupId: this.securityGroup.id,
      description: "Outbound to package repositories and AWS APIs",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });
    const ingress: IngressRule[] = [...(props.ingress ?? [])];
    if (props.sshCidr) ingress.push({ port: 22, cidr: props.sshCidr, description: "SSH from the configured administration network" });
    for (const rule of ingress) {
      new VpcSecurityGroupIngressRule(this, `ingress-${rule.port}-${rule.cidr ? rule.cidr.replace(/[./]/g, "-") : "sg"}`, {
        securityGroupId: this.securityGroup.id,
        description: rule.description,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: rule.cidr,
        referencedSecurityGroupId: rule.sourceSecurityGroupId,
      });
    }

    const tags = { Name: props.name, ...(props.instanceTags ?? {}) };
    this.metadataOptions = {
      httpEndpoint: "enabled",
      httpTokens: "required",
      httpPutResponseHopLimit: props.metadataHopLimit?.value ?? METADATA_HOP_LIMIT.strict,
      instanceMetadataTags: props.metadataTags ? "enabled" : "disabled",
    };
    this.rootVolume = { volumeSize: props.rootVolumeGb ?? DEFAULT_ROOT_VOLUME_GB, volumeType: "gp3", encrypted: true, deleteOnTermination: true };
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: props.name,
      description: `Hardened launch template of ${props.name}`,
      imageId: props.imageId ?? `resolve:ssm:${amazonLinux2023Parameter(props.instanceType)}`,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      // Encoded here, not with Terraform's base64encode(): cdktf's HCL output does not escape
      // a multi-line string with quotes as a function argument, so `cdktf synth --hcl` would
      // write a configuration Terraform cannot read.
      userData: Buffer.from(props.userData, "utf8").toString("base64"),
      iamInstanceProfile: { arn: props.role.profile.arn },
      monitoring: { enabled: true },
      metadataOptions: { ...this.metadataOptions },
      blockDeviceMappings: [
        {
          // Amazon Linux 2023's root device.
          deviceName: "/dev/xvda",
          ebs: { ...this.rootVolume, encrypted: String(this.rootVolume.encrypted), deleteOnTermination: String(this.rootVolume.deleteOnTermination) },
        },
      ],
      ...(props.associatePublicIpAddress
        ? { networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [this.securityGroup.id], deleteOnTermination: "true" }] }
        : { vpcSecurityGroupIds: [this.securityGroup.id] }),
      tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags })),
      tags: { Name: props.name },
    });
    if (props.associatePublicIpAddress) this.suppressions.CKV_AWS_88 = props.publicIpReason!;
    const hopLimitReason = relaxationReason(METADATA_HOP_LIMIT, props.metadataHopLimit);
    if (hopLimitReason !== undefined) for (const ruleId of METADATA_HOP_LIMIT.ruleIds) this.suppressions[ruleId] = hopLimitReason;
    this.repeatSuppressionsOn(this.launchTemplate);
  }

  /**
   * Records the template's suppressions (its public IP, a relaxed hop limit) on `resource`
   * too: an `aws_instance` launched from the template that repeats its settings, because
   * scanners read the instance alone.
   */
  repeatSuppressionsOn(resource: TerraformResource): void {
    for (const [ruleId, reason] of Object.entries(this.suppressions)) suppress(resource, ruleId, reason);
  }
}

function validate(scope: Construct, props: HardenedLaunchTemplateProps): void {
  const p = new Problems();
  if (!Token.isUnresolved(props.instanceType) && !INSTANCE_TYPE_PATTERN.test(props.instanceType)) {
    p.add("instanceType", props.instanceType, "must be an EC2 instance type such as t3.micro");
  }
  p.integerInRange("rootVolumeGb", props.rootVolumeGb, ROOT_VOLUME_GB.min, ROOT_VOLUME_GB.max);
  const sshFix = props.sshCidr === undefined ? undefined : sshCidrFix(props.sshCidr);
  if (sshFix) p.add("sshCidr", props.sshCidr, sshFix);
  if (props.imageId !== undefined && !Token.isUnresolved(props.imageId) && !AMI_ID_PATTERN.test(props.imageId) && !/^resolve:ssm:.+$/.test(props.imageId)) {
    p.add("imageId", props.imageId, "must be an AMI id (ami-0123456789abcdef0) or resolve:ssm:<parameter>");
  }
  if (props.associatePublicIpAddress && (props.publicIpReason ?? "").trim().length < MIN_REASON_LENGTH) {
    p.add(
      "publicIpReason",
      props.publicIpReason,
      `is required with associatePublicIpAddress: say in at least ${MIN_REASON_LENGTH} characters why these instances need a public IP (the CKV_AWS_88 suppression reviewers read)`,
    );
  }
  if (props.metadataHopLimit !== undefined) {
    if (p.integerInRange("metadataHopLimit.value", props.metadataHopLimit.value, METADATA_HOP_LIMIT.min, METADATA_HOP_LIMIT.max)) {
      checkRelaxation(p, "metadataHopLimit", METADATA_HOP_LIMIT, props.metadataHopLimit);
    }
  }
  if (props.publicIpReason !== undefined && !props.associatePublicIpAddress) {
    p.add("publicIpReason", props.publicIpReason, "is only for instances with associatePublicIpAddress = true; remove it");
  }
  if (Token.isUnresolved(props.userData)) {
    p.add(
      "userData",
      "(user data)",
      "embeds Terraform references (tokens), which the user data cannot hold: pass such values as instanceTags with metadataTags: true, and read them on the instance from the instance metadata (tags/instance/<key>)",
    );
  } else {
    const secret = findSecret(props.userData);
    if (secret) p.add("userData", `(line ${secret.line})`, `looks like it holds a secret (${secret.kind}); ${SECRET_FIX}`);
  }
  if (props.metadataTags) {
    for (const key of Object.keys(props.instanceTags ?? {}).filter((k) => !isMetadataTagKey(k))) {
      p.add("instanceTags", key, `is a key EC2 refuses on instances whose tags are in their metadata (metadataTags): use ${METADATA_TAG_KEY_RULE}`);
    }
  }
  p.throwIfAnyAt(scope);
}
