/**
 * A rehearsal: one recovery path of an applied stack exercised against the emulator, its end
 * state asserted through the emulator's API. `npm run sandbox` runs every rehearsal of each
 * applied stack between apply and destroy, and so does the emulator test tier; the report lists
 * each check and what the emulator does not simulate.
 *
 * A rehearsal never throws for a failed expectation: it records a failed check and carries on
 * where it can, so the report shows every check. It throws only when it cannot run at all.
 */
import { StackId } from "../../config/schema";
import type { AppliedStack, Sandbox } from "../sandbox";

export interface RehearsalCheck {
  /** What was expected, in words: "the Elastic IP is associated with the replacement". */
  readonly expected: string;
  readonly ok: boolean;
  /** What was seen, when it helps (ids, states, counts). */
  readonly seen?: string;
}

export interface RehearsalResult {
  readonly name: string;
  readonly stack: StackId;
  readonly checks: readonly RehearsalCheck[];
  /** Effects of the real service that the emulator does not simulate, so the rehearsal cannot show them. */
  readonly notSimulated: readonly string[];
  readonly seconds: number;
}

export interface Rehearsal {
  /** Short and unique: "multiaz: instance lost". */
  readonly name: string;
  /** The stack it needs applied (its base stack id, not a variant). */
  readonly stack: StackId;
  /** What the emulator does not simulate for this rehearsal (listed in the report). */
  readonly notSimulated: readonly string[];
  /** Acts on the applied stack and returns the checks, in order. */
  run(sandbox: Sandbox, applied: AppliedStack): Promise<RehearsalCheck[]>;
}

/** Collects checks; `check(expected, ok, seen)` returns ok so a rehearsal can stop early when a later step needs it. */
export class Checks {
  readonly list: RehearsalCheck[] = [];
  check(expected: string, ok: boolean, seen?: unknown): boolean {
    this.list.push({ expected, ok, ...(seen === undefined ? {} : { seen: typeof seen === "string" ? seen : JSON.stringify(seen) }) });
    return ok;
  }
}

/** Runs one rehearsal; a rehearsal that throws gives a failed check naming the error, never a crash of the run. */
export async function rehearse(rehearsal: Rehearsal, sandbox: Sandbox, applied: AppliedStack): Promise<RehearsalResult> {
  const started = Date.now();
  let checks: RehearsalCheck[];
  try {
    checks = await rehearsal.run(sandbox, applied);
    if (checks.length === 0) checks = [{ expected: "the rehearsal makes at least one check", ok: false }];
  } catch (e) {
    checks = [{ expected: "the rehearsal runs to its end", ok: false, seen: (e as Error).message }];
  }
  return { name: rehearsal.name, stack: rehearsal.stack, checks, notSimulated: rehearsal.notSimulated, seconds: (Date.now() - started) / 1000 };
}

export const passed = (r: RehearsalResult): boolean => r.checks.every((c) => c.ok);
