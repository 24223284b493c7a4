/**
 * The record names the stacks of one synth put into the zone they share (`dns.zoneId`): two
 * stacks writing the same name would overwrite each other's record in Route 53 (or the second
 * apply fails), so a name claimed under a second key is a problem naming both keys.
 */
import { ValidationError } from "../../lib/validation";

export class ZoneRecords {
  private readonly owners = new Map<string, string>();

  /**
   * Records that the setting `key` (e.g. `web.recordName`) names the record `fqdn`; throws a
   * {@link ValidationError} when another setting already named it.
   */
  claim(fqdn: string, key: string): void {
    const owner = this.owners.get(fqdn);
    if (owner !== undefined && owner !== key) {
      throw new ValidationError([
        {
          key,
          value: fqdn,
          fix: `is also the record of ${owner}: the stacks share one zone, where each name holds one record; give ${key} or ${owner} another name`,
        },
      ]);
    }
    this.owners.set(fqdn, key);
  }
}
