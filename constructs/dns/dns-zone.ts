/**
 * The Route 53 hosted zone a stack's endpoint names live in: an existing zone given by id (no
 * plan-time lookup), or one created by the stack. Record names lie inside it, and are claimed
 * in the zone's {@link ZoneRecords}, shared by the stacks that share the zone.
 */
import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { canonicalName, nameInZone, recordNameFix } from "../../lib/dns-names";
import { ZoneRecords } from "./zone-records";

export interface DnsZoneProps {
  /** The zone's domain (config `dns.zoneName`). */
  readonly zoneName: string;
  /** An existing zone's id (config `dns.zoneId`). @default - create a public zone named `zoneName` */
  readonly zoneId?: string;
  /** The names already taken in the zone by other stacks of the synth. @default - a fresh set: this zone's records only */
  readonly records?: ZoneRecords;
}

export class DnsZone extends Construct {
  readonly zoneId: string;
  readonly zoneName: string;
  private readonly records: ZoneRecords;

  constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    this.zoneName = canonicalName(props.zoneName);
    this.records = props.records ?? new ZoneRecords();
    this.zoneId = props.zoneId ?? new Route53Zone(this, "zone", { name: this.zoneName, comment: "Endpoints of the multi-AZ reference stack" }).zoneId;
  }

  /**
   * The full name of `recordName`: a label (`www`) becomes `www.<zone>`; a full name must
   * lie in the zone (the configuration's schema checks the record names it holds).
   */
  fqdn(recordName: string): string {
    const full = nameInZone(recordName, this.zoneName);
    if (full === undefined) throw new Error(`${this.node.path}: record name ${JSON.stringify(recordName)} ${recordNameFix(this.zoneName)}`);
    return full;
  }

  /** An A record with a TTL for fixed addresses (an Elastic IP); `key` is the setting that names it (e.g. `recovery.recordName`). */
  addARecord(id: string, fqdn: string, key: string, addresses: string[], ttlSeconds: number): Route53Record {
    this.records.claim(fqdn, key, TerraformStack.of(this).node.id);
    return new Route53Record(this, id, { zoneId: this.zoneId, name: fqdn, type: "A", ttl: ttlSeconds, records: addresses });
  }

  /** An alias A record to a load balancer (no TTL; Route 53 follows the target's addresses); `key` as for {@link addARecord}. */
  addAlias(id: string, fqdn: string, key: string, target: { dnsName: string; zoneId: string }): Route53Record {
    this.records.claim(fqdn, key, TerraformStack.of(this).node.id);
    return new Route53Record(this, id, {
      zoneId: this.zoneId,
      name: fqdn,
      type: "A",
      alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
    });
  }
}
