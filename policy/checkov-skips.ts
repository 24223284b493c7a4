/**
 * The checkov checks that do not apply to a resource of the stacks, in one place: check id,
 * resource address, the stacks it applies in (all where the address exists, by default) and
 * the reason, at least MIN_REASON_LENGTH characters. `npm run scan` counts a failed check
 * that matches one as skipped, and fails on a skip that matches no failed check in any stack
 * or variant (the resource complies now, was renamed, or the id is wrong), so none goes stale.
 * The plan review lists them beside the project's own suppressions.
 *
 * Checks the project shares with checkov (policy/rules, same ids) are not skipped here: the
 * constructs' `suppress()` records those, and the scan honours them for checkov's result too.
 */
import { StackName } from "../config/schema";

export interface CheckovSkip {
  /** checkov's check id, e.g. `CKV_AWS_117`. */
  readonly check: string;
  /** `type.name` of the resource in the synthesized configuration and the plan. */
  readonly address: string;
  /** Stacks it applies in. @default - every stack holding the address */
  readonly stacks?: readonly StackName[];
  readonly reason: string;
}

export const CHECKOV_SKIPS: readonly CheckovSkip[] = [];
