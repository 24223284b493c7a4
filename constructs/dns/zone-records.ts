/**
 * The record names the stacks of one synth put into the zone they share (`dns.zoneId`): two
 * stacks writing the same name would overwrite each other's record in Route 53 (or the second
 * apply fails), so a name claimed under a second key, or by a second stack, is a problem naming
 * both.
 */
import { ValidationError } from "../../lib/validation";

/** Who named a record: the setting, and the stack whose setting it is (a variant reads its base's keys). */
interface RecordOwner {
  readonly key: string;
  readonly stack: string;
}

export class ZoneRecords {
  private readonly owners = new Map<string, RecordOwner>();

  /**
   * Records that the setting `key` (e.g. `web.recordName`) of stack `stack` names the record
   * `fqdn`; throws a {@link ValidationError} when another setting, or the same setting of
   * another stack (a variant and its base), already named it.
   */
  claim(fqdn: string, key: string, stack: string): void {
    const owner = this.owners.get(fqdn);
    if (owner !== undefined && (owner.key !== key || owner.stack !== stack)) {
      const mine = describe({ key, stack });
      const theirs = describe(owner);
      throw new ValidationError([
        {
          key,
          value: fqdn,
          fix: `is also the record of ${theirs}: the stacks share one zone, where each name holds one record; give ${mine} or ${theirs} another name`,
        },
      ]);
    }
    this.owners.set(fqdn, { key, stack });
  }
}

/** `multiaz.recordName`, or `web.appBServerName of stack web-https` where the stack is not the section's own. */
function describe(owner: RecordOwner): string {
  return owner.key.startsWith(`${owner.stack}.`) ? owner.key : `${owner.key} of stack ${owner.stack}`;
}
