/**
 * A stable endpoint for a server that Auto Scaling replaces: an Elastic IP and a Route 53 A
 * record pointing at it (the book's `multiaz-elasticip`). Who moves the address onto the
 * server in service is {@link EndpointTakeover}'s business, not the instances'.
 */
import { Construct } from "constructs";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Problems } from "../../lib/validation";
import { suppress } from "../../policy/suppress";
import { DnsZone } from "../dns/dns-zone";

/** A minute: a changed record reaches clients within a minute of Route 53's change. */
export const DEFAULT_TTL_SECONDS = 60;

export interface ElasticIpEndpointProps {
  /** `Name` tag of the address. */
  readonly name: string;
  /** Zone of the A record. */
  readonly zone: DnsZone;
  /** Full DNS name of the endpoint, inside `zone` (see {@link DnsZone.fqdn}). */
  readonly fqdn: string;
  /** The setting that names the record, e.g. `multiaz.recordName` (see {@link DnsZone.addARecord}). */
  readonly recordKey: string;
  /** TTL of the A record. @default - {@link DEFAULT_TTL_SECONDS}: 60 */
  readonly ttlSeconds?: number;
}

export class ElasticIpEndpoint extends Construct {
  readonly elasticIp: Eip;
  /** The public address clients use. */
  readonly publicIp: string;
  readonly allocationId: string;
  /** The address's ARN, for the permission to move it. */
  readonly arn: string;
  readonly record: Route53Record;

  constructor(scope: Construct, id: string, props: ElasticIpEndpointProps) {
    super(scope, id);
    const p = new Problems();
    p.integerInRange("ttlSeconds", props.ttlSeconds, 0, 2147483647);
    p.throwIfAnyAt(this);

    this.elasticIp = new Eip(this, "elastic-ip", { domain: "vpc", tags: { Name: props.name } });
    suppress(
      this.elasticIp,
      "CKV2_AWS_19",
      "Attached at run time: the endpoint takeover function associates it with the instance the Auto Scaling group puts in service, so Terraform has no association to declare.",
    );
    this.publicIp = this.elasticIp.publicIp;
    this.allocationId = this.elasticIp.allocationId;
    this.arn = this.elasticIp.arn;

    // CKV2_AWS_23: the record has a target, the address above.
    this.record = props.zone.addARecord("endpoint-record", props.fqdn, props.recordKey, [this.publicIp], props.ttlSeconds ?? DEFAULT_TTL_SECONDS);
  }
}
