/**
 * The Route 53 hosted zone a stack's endpoint names live in: created by the stack, or an
 * existing zone given by id (no plan-time lookup). Record names are checked to lie inside it.
 */
import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { isDnsName } from "../../lib/aws";
import { Problems } from "../../lib/validation";

export interface DnsZoneProps {
  /** The zone's domain (config `dns.zoneName`). */
  readonly zoneName: string;
  /** An existing zone's id (config `dns.zoneId`). @default - create a public zone named `zoneName` */
  readonly zoneId?: string;
}

export class DnsZone extends Construct {
  readonly zoneId: string;
  readonly zoneName: string;

  constructor(scope: Construct, id: string, props: DnsZoneProps) {
    super(scope, id);
    this.zoneName = props.zoneName.toLowerCase();
    this.zoneId = props.zoneId ?? new Route53Zone(this, "zone", { name: this.zoneName, comment: "Endpoints of the multi-AZ reference stack" }).zoneId;
  }

  /**
   * The full name of `recordName`: a label (`www`) becomes `www.<zone>`; a full name must
   * end in the zone. `key` names the setting in error messages.
   */
  fqdn(recordName: string, key: string): string {
    const p = new Problems();
    const name = typeof recordName === "string" ? recordName.toLowerCase().replace(/\.$/, "") : "";
    const full = name === this.zoneName || name.endsWith(`.${this.zoneName}`) ? name : `${name}.${this.zoneName}`;
    if (!name || name.includes("..") || !isDnsName(full) || (name.includes(".") && full !== name)) {
      p.add(key, recordName, `must be a DNS label (e.g. "www") or a name inside the zone ${this.zoneName} (e.g. "www.${this.zoneName}")`);
    }
    p.throwIfAny();
    return full;
  }

  /** An A record with a TTL for fixed addresses (an Elastic IP). */
  addARecord(id: string, fqdn: string, addresses: string[], ttlSeconds: number): Route53Record {
    return new Route53Record(this, id, { zoneId: this.zoneId, name: fqdn, type: "A", ttl: ttlSeconds, records: addresses });
  }

  /** An alias A record to a load balancer (no TTL; Route 53 follows the target's addresses). */
  addAlias(id: string, fqdn: string, target: { dnsName: string; zoneId: string }): Route53Record {
    return new Route53Record(this, id, {
      zoneId: this.zoneId,
      name: fqdn,
      type: "A",
      alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
    });
  }
}
