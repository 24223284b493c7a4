/**
 * What both emulator test files do with their stacks: apply them to one emulator (in parallel),
 * check what was applied, run their rehearsals, destroy them and ask that nothing remains.
 */
import { StackId } from "../../config/schema";
import { GAPS } from "../../sandbox/gaps";
import { REHEARSALS, rehearseStack } from "../../sandbox/rehearsals";
import { Rehearsal, RehearsalResult } from "../../sandbox/rehearsals/rehearsal";
import { AppliedStack, Sandbox, SandboxOptions } from "../../sandbox/sandbox";

/** The target: at least this share of every stack's resources applied. */
export const APPLIED_SHARE = 0.95;

export interface EmulatorRun {
  readonly sandbox: Sandbox;
  readonly applied: Readonly<Partial<Record<StackId, AppliedStack>>>;
}

/** Starts a sandbox and applies its stacks in parallel; stops it if an apply fails. */
export async function startAndApply(options: SandboxOptions): Promise<EmulatorRun> {
  const sandbox = await Sandbox.start(options);
  try {
    const results = await Promise.all(sandbox.stacks.map((s) => sandbox.apply(s)));
    return { sandbox, applied: Object.fromEntries(results.map((r) => [r.stack, r])) };
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
}

/** Per stack: the share applied (for real or on a stand-in), and every resource not applied for real with its gap. */
export function appliedSummary(a: AppliedStack): { stack: StackId; atTarget: boolean; accounted: boolean; gapsNamed: boolean } {
  return {
    stack: a.stack,
    atTarget: a.applied.length / a.resources.length >= APPLIED_SHARE,
    accounted: a.applied.length + a.standIn.length + a.leftOut.length === a.resources.length,
    gapsNamed: [...a.standIn, ...a.leftOut].every((r) => r.gap === GAPS[r.address.split(".")[0]]),
  };
}

/** The registered rehearsals of these stacks. */
export function rehearsalsOf(stacks: readonly StackId[]): Rehearsal[] {
  return REHEARSALS.filter((r) => stacks.includes(r.stack));
}

/** Every stack's rehearsals, the stacks in parallel, by rehearsal name. */
export async function rehearseAll(run: EmulatorRun): Promise<Map<string, RehearsalResult>> {
  const results = await Promise.all(run.sandbox.stacks.map((s) => rehearseStack(run.sandbox, run.applied[s]!)));
  return new Map(results.flat().map((r) => [r.name, r]));
}

/** Destroys every stack in parallel; per stack, the settings turned off first and what the emulator still holds by tag. */
export async function destroyAll(run: EmulatorRun): Promise<{ stack: StackId; turnedOff: string[]; remaining: string[] }[]> {
  return Promise.all(
    run.sandbox.stacks.map(async (stack) => {
      const { turnedOff } = await run.sandbox.destroy(stack);
      return { stack, turnedOff, remaining: await run.sandbox.remaining(stack) };
    }),
  );
}
