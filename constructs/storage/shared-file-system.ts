/**
 * The server's state on EFS, reachable from every AZ: an encrypted regional file system with
 * a mount target in each AZ, backed up by AWS Backup, mountable only over TLS and only from
 * the security groups given to {@link SharedFileSystem.allowClients}. A replacement in any AZ
 * mounts the same data, so a replacement loses nothing written before the failure.
 * @see https://docs.aws.amazon.com/efs/latest/ug/accessing-fs.html
 */
import { Construct } from "constructs";
import { StackKey } from "../encryption/stack-key";
import { FILE_SYSTEM_KEY_RULE } from "../../policy/rules/encryption";
import { EfsBackupPolicy } from "@cdktf/provider-aws/lib/efs-backup-policy";
import { EfsFileSystem } from "@cdktf/provider-aws/lib/efs-file-system";
import { EfsFileSystemPolicy } from "@cdktf/provider-aws/lib/efs-file-system-policy";
import { EfsMountTarget } from "@cdktf/provider-aws/lib/efs-mount-target";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { policyDocument } from "../../lib/iam";
import { METADATA_FUNCTION, METADATA_TAG_KEY_RULE, instanceTagPath, isMetadataTagKey } from "../../lib/instance-metadata";
import { Problems } from "../../lib/validation";
import { MultiAzVpc } from "../network/multi-az-vpc";
import { SubnetTier } from "../network/subnet-layout";

/** NFS. */
export const NFS_PORT = 2049;

/** Mount options of the fstab line: after the network, not failing the boot, TLS, a new source port on reconnect. */
export const FSTAB_OPTIONS = "_netdev,nofail,tls,noresvport";

/** The instance tag that tells the clients a file system's id. */
export const DEFAULT_ID_TAG_KEY = "FileSystemId";

export interface SharedFileSystemProps {
  /** Name of the file system and its security group. */
  readonly name: string;
  /** The VPC: a mount target in its subnet of `subnetTier` in every AZ. */
  readonly vpc: MultiAzVpc;
  /** The tier of the mount targets' subnets. @default "private" - reachable from the VPC only */
  readonly subnetTier?: SubnetTier;
  /**
   * Key of the instance tag that tells the clients the file system's id (see
   * {@link SharedFileSystem.instanceTags}); one per file system an instance mounts.
   * @default - {@link DEFAULT_ID_TAG_KEY}
   */
  readonly idTagKey?: string;
}

export class SharedFileSystem extends Construct {
  readonly fileSystem: EfsFileSystem;
  readonly fileSystemId: string;
  /** Security group of the mount targets. */
  readonly securityGroup: SecurityGroup;
  /** Mount targets by AZ name. */
  readonly mountTargets: Readonly<Record<string, EfsMountTarget>>;
  /**
   * Tags the client instances must carry, with `metadataTags` on in their launch template:
   * the file system's id, which {@link mountCommands} read from the instance metadata.
   */
  readonly instanceTags: Readonly<Record<string, string>>;
  private readonly idTagKey: string;

  constructor(scope: Construct, id: string, props: SharedFileSystemProps) {
    super(scope, id);
    const tier = props.subnetTier ?? "private";
    validate(this, props, tier);

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-efs`,
      description: `EFS mount targets of ${props.name}`,
      vpcId: props.vpc.vpcId,
      tags: { Name: `${props.name}-efs` },
    });

    this.fileSystem = new EfsFileSystem(this, "file-system", {
      creationToken: props.name,
      // At rest with the AWS-managed key; in transit, see the policy below.
      encrypted: true,
      // Regional (no availability_zone_name): the data survives the loss of an AZ.
      throughputMode: "elastic",
      tags: { Name: props.name },
    });
    const keyArn = StackKey.encrypt(this.fileSystem, FILE_SYSTEM_KEY_RULE);
    if (keyArn) this.fileSystem.kmsKeyId = keyArn;
    this.fileSystemId = this.fileSystem.id;
    this.idTagKey = props.idTagKey ?? DEFAULT_ID_TAG_KEY;
    this.instanceTags = { [this.idTagKey]: this.fileSystemId };

    new EfsBackupPolicy(this, "backup-policy", {
      fileSystemId: this.fileSystem.id,
      backupPolicy: { status: "ENABLED" },
    });

    new EfsFileSystemPolicy(this, "policy", {
      fileSystemId: this.fileSystem.id,
      policy: policyDocument([
        {
          Sid: "ClientsThroughMountTargets",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite", "elasticfilesystem:ClientRootAccess"],
          Resource: this.fileSystem.arn,
          Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
        },
        {
          Sid: "EncryptedTransportOnly",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "*",
          Resource: this.fileSystem.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]),
    });

    const mountTargets: Record<string, EfsMountTarget> = {};
    for (const az of props.vpc.azs) {
      mountTargets[az] = new EfsMountTarget(this, `mount-target-${az}`, {
        fileSystemId: this.fileSystem.id,
        subnetId: props.vpc.subnetsByAz[az][tier]!.id,
        securityGroups: [this.securityGroup.id],
      });
    }
    this.mountTargets = mountTargets;
  }

  /** Admits NFS from the instances in `clients`, and from nothing else. */
  allowClients(id: string, clients: SecurityGroup, description: string): VpcSecurityGroupIngressRule {
    return new VpcSecurityGroupIngressRule(this, id, {
      securityGroupId: this.securityGroup.id,
      description,
      ipProtocol: "tcp",
      fromPort: NFS_PORT,
      toPort: NFS_PORT,
      referencedSecurityGroupId: clients.id,
    });
  }

  /**
   * User data commands that mount the file system at `directory` over TLS, now and at every
   * boot (fstab). The id comes from the instance's tag (see {@link instanceTags}): without it
   * they mount nothing and say so, rather than write a broken fstab line. A mount target can
   * take a minute to resolve after it was created, hence the retries. The fstab line is
   * written anew at every first boot: an AMI of the server carries the line it was made with,
   * which may name other options or a replaced file system. `nofail`, as AWS advises for
   * automatic EFS mounts: a file system out of reach must not stop the instance from booting
   * (it would hang in emergency mode, out of reach of SSM too); the retries here mount it.
   * @see https://docs.aws.amazon.com/efs/latest/ug/automount-with-efs-mount-helper.html
   */
  mountCommands(directory: string): string[] {
    if (!/^\/[A-Za-z0-9._/-]+$/.test(directory)) throw new Error(`${JSON.stringify(directory)} is not an absolute path`);
    return [
      "dnf install -y amazon-efs-utils",
      `mkdir -p ${directory}`,
      [
        ...METADATA_FUNCTION,
        `if file_system_id=$(metadata ${instanceTagPath(this.idTagKey)}); then`,
        `  [ -f /etc/fstab ] && sed -i '\\| ${directory} efs |d' /etc/fstab`,
        `  echo "$file_system_id:/ ${directory} efs ${FSTAB_OPTIONS} 0 0" >> /etc/fstab`,
        `  for i in $(seq 30); do mountpoint -q ${directory} && break; mount ${directory} || sleep 10; done`,
        "else",
        `  echo "no ${this.idTagKey} tag in the instance metadata (is instance_metadata_tags enabled?); ${directory} is not mounted" >&2`,
        "fi",
      ].join("\n"),
    ];
  }
}

function validate(scope: Construct, props: SharedFileSystemProps, tier: SubnetTier): void {
  const p = new Problems();
  if (!props.vpc.hasTier(tier)) p.add("subnetTier", tier, "the VPC has no subnets of this tier for the mount targets");
  if (props.idTagKey !== undefined && !isMetadataTagKey(props.idTagKey)) {
    p.add("idTagKey", props.idTagKey, `must be a tag key the instance metadata serves: ${METADATA_TAG_KEY_RULE}`);
  }
  p.throwIfAnyAt(scope);
}
