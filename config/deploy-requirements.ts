/**
 * What a synth that deploys to real AWS needs beyond a valid configuration. The defaults
 * plan anywhere (`npm run plan`), but their zone `ha.example.com` is reserved: a deployable
 * synth (a provider mode with `deploysToAws`) stops on these problems before anything is
 * written, so `npx cdktf deploy` never reaches AWS with them.
 *
 * The hosted zone is the operator's, shared by every stack: created once for a domain you own
 * and delegated from its parent, then named by `dns.zoneId`. The stacks only add their records
 * to it and never create or delete it: a zone owned by a stack would get new name servers
 * each time the stack is recreated, breaking the delegation, and each stack would make its own
 * zone of the same name.
 */
import { reservedDomainOf } from "../lib/dns-names";
import { Problem } from "../lib/validation";
import { StackConfig } from "./schema";

export function deployProblems(config: StackConfig): Problem[] {
  const problems: Problem[] = [];
  const { zoneName, zoneId } = config.dns;
  const reserved = reservedDomainOf(zoneName);
  if (reserved) {
    problems.push({
      key: "dns.zoneName",
      value: zoneName,
      fix:
        `lies in ${reserved.domain}, reserved (${reserved.source}): no public zone for it is ever delegated, so its records cannot resolve; ` +
        `a deploy needs a domain you own: set dns.zoneName to it (e.g. ha.<your domain>)`,
    });
  }
  if (zoneId === undefined) {
    problems.push({
      key: "dns.zoneId",
      value: zoneId,
      fix:
        `a deploy adds every stack's records to one existing public hosted zone and creates none: set dns.zoneId to the zone of dns.zoneName ` +
        `(aws route53 list-hosted-zones-by-name --dns-name <dns.zoneName>), or create it once with ` +
        `aws route53 create-hosted-zone --name <dns.zoneName> --caller-reference <any unique text> and delegate the domain to its name servers`,
    });
  }
  return problems;
}
