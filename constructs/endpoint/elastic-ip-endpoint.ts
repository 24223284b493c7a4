/**
 * A stable endpoint for a server that Auto Scaling replaces: an Elastic IP that the instance in
 * service takes over at boot (the book's `multiaz-elasticip`, with IMDSv2 and
 * `--allow-reassociation`), and a Route 53 A record pointing at it. The instances' role may
 * associate this one address, and only with instances and interfaces carrying the group's tag
 * (the book granted `ec2:AssociateAddress` on `*`). The instances learn which address to take
 * from their own tags ({@link ElasticIpEndpoint.instanceTags}), read from the instance metadata.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html (AssociateAddress: elastic-ip, instance and network-interface resources, aws:ResourceTag)
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { instanceTagPath } from "../../lib/instance-metadata";
import { Problems } from "../../lib/validation";
import { suppress } from "../../policy/suppress";
import { InstanceRole } from "../compute/instance-role";
import { DnsZone } from "../dns/dns-zone";

/** A tag key and value; here, the one tag only the group's instances carry. */
export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

export interface ElasticIpEndpointProps {
  /** `Name` tag of the address. */
  readonly name: string;
  /** Region of the instances (their ARNs and the CLI call). */
  readonly region: string;
  /** ARN partition of the region. */
  readonly partition: string;
  /** Role of the instances; it gets the permission to take the address over. */
  readonly role: InstanceRole;
  /** Tag that the group's instances and their network interfaces carry, and no other resource. */
  readonly instanceTag: ResourceTag;
  /** Zone of the A record. */
  readonly zone: DnsZone;
  /** Full DNS name of the endpoint, inside `zone` (see {@link DnsZone.fqdn}). */
  readonly fqdn: string;
  /** TTL of the A record (config key `dns.ttlSeconds`). @default 60 */
  readonly ttlSeconds?: number;
}

export class ElasticIpEndpoint extends Construct {
  readonly elasticIp: Eip;
  /** The public address clients use. */
  readonly publicIp: string;
  readonly allocationId: string;
  readonly record: Route53Record;
  /**
   * Tags the instances must carry, with `metadataTags` on in their launch template: the
   * address and its allocation id, which {@link takeOverCommands} read from the metadata.
   */
  readonly instanceTags: Readonly<Record<string, string>>;
  /** Shell commands for the lifecycle agent's in-service step (see {@link TAKE_OVER_COMMANDS}). */
  readonly takeOverCommands: readonly string[];

  constructor(scope: Construct, id: string, props: ElasticIpEndpointProps) {
    super(scope, id);
    validate(props);

    this.elasticIp = new Eip(this, "elastic-ip", { domain: "vpc", tags: { Name: props.name } });
    suppress(
      this.elasticIp,
      "CKV2_AWS_19",
      "Attached at run time: the instance the Auto Scaling group puts in service associates it at boot (lifecycle agent), so Terraform has no association to declare.",
    );
    this.publicIp = this.elasticIp.publicIp;
    this.allocationId = this.elasticIp.allocationId;

    props.role.allow("take-over-elastic-ip", [
      {
        Sid: "ThisElasticIp",
        Effect: "Allow",
        Action: "ec2:AssociateAddress",
        Resource: this.elasticIp.arn,
      },
      {
        Sid: "OntoThisGroupsInstancesOnly",
        Effect: "Allow",
        Action: "ec2:AssociateAddress",
        // Account `*`: EC2 has no resource policies, so the role reaches its own account only.
        Resource: [`arn:${props.partition}:ec2:${props.region}:*:instance/*`, `arn:${props.partition}:ec2:${props.region}:*:network-interface/*`],
        Condition: { StringEquals: { [`aws:ResourceTag/${props.instanceTag.key}`]: props.instanceTag.value } },
      },
    ]);

    this.instanceTags = { [ALLOCATION_ID_TAG]: this.allocationId, [ELASTIC_IP_TAG]: this.publicIp };
    this.takeOverCommands = TAKE_OVER_COMMANDS;

    // CKV2_AWS_23: the record has a target, the address above.
    this.record = props.zone.addARecord("endpoint-record", props.fqdn, [this.publicIp], props.ttlSeconds ?? 60);
  }
}

/** Instance tag holding the allocation id of the address to take over. */
export const ALLOCATION_ID_TAG = "ElasticIpAllocationId";
/** Instance tag holding the address itself, to tell whether the instance has it already. */
export const ELASTIC_IP_TAG = "ElasticIp";

/**
 * Commands for the lifecycle agent's in-service step (they use its `metadata` and `retry`):
 * read the address from the instance's tags and associate it with this instance, taking it
 * from the one before (`--allow-reassociation`), unless this instance has it already (each
 * remap may be charged). Without the tags (tags not in the metadata) they stop the agent
 * with an error rather than guess. The role's policy, not the tag, limits which address may
 * be taken: a retagged instance can still take only this one.
 */
export const TAKE_OVER_COMMANDS: readonly string[] = [
  `allocation_id=$(retry 3 metadata ${instanceTagPath(ALLOCATION_ID_TAG)}) && elastic_ip=$(retry 3 metadata ${instanceTagPath(ELASTIC_IP_TAG)}) || {`,
  `  echo "no ${ALLOCATION_ID_TAG} and ${ELASTIC_IP_TAG} tags in the instance metadata (is instance_metadata_tags enabled?); not taking over" >&2`,
  "  exit 1",
  "}",
  'if [ "$(metadata public-ipv4 || true)" != "$elastic_ip" ]; then',
  '  retry 5 aws ec2 associate-address --region "$REGION" --allocation-id "$allocation_id" --instance-id "$INSTANCE_ID" --allow-reassociation',
  "fi",
];

function validate(props: ElasticIpEndpointProps): void {
  const p = new Problems();
  const { key, value } = props.instanceTag;
  if (!Token.isUnresolved(key) && (!/^[A-Za-z0-9 _.:/=+@-]{1,128}$/.test(key) || key.startsWith("aws:"))) {
    p.add("instanceTag.key", key, "must be an EC2 tag key of at most 128 letters, digits, spaces or _.:/=+-@, not starting with aws:");
  }
  if (!Token.isUnresolved(value) && (value.length === 0 || value.length > 256)) {
    p.add("instanceTag.value", value, "must be 1 to 256 characters: an empty value would match every instance that has the key");
  }
  p.integerInRange("ttlSeconds", props.ttlSeconds, 0, 2147483647);
  p.throwIfAny();
}
