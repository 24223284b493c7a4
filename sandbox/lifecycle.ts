/**
 * One stack's way through the sandbox: apply, rehearsals, destroy blockers off, destroy, and
 * the emulator asked by tag what remains. Each stack goes its own way, so the stacks of a
 * sandbox run side by side (`Promise.all`) and a short stack is done while a long one still
 * waits on its load balancer: `npm run sandbox`, the bench and the emulator tests run them so.
 *
 * The hooks let a caller act at each point (print the outputs, ask the emulator about the
 * applied stack before its rehearsals change it, read an attribute before the destroy).
 */
import { StackId } from "../config/schema";
import { REHEARSALS, rehearseStack } from "./rehearsals";
import { Rehearsal, RehearsalResult } from "./rehearsals/rehearsal";
import { AppliedStack, DestroyedStack, Sandbox, TurnedOff } from "./sandbox";

export interface LifecycleHooks<T = void> {
  /** Right after the apply (the outputs read), before any rehearsal; what it returns is kept as {@link StackLifecycle.whileUp}. */
  readonly applied?: (applied: AppliedStack) => Promise<T> | T;
  /** After each rehearsal. */
  readonly rehearsed?: (result: RehearsalResult) => void;
  /** With the destroy blockers off and applied, right before `terraform destroy`. */
  readonly beforeDestroy?: (applied: AppliedStack, turnedOff: TurnedOff) => Promise<void> | void;
  /** When the stack's way has ended (kept, destroyed, or a step failed). */
  readonly done?: (result: StackLifecycle<T>) => void;
}

export interface LifecycleOptions<T = void> {
  /** Stop after the rehearsals: the stack stays up (`npm run sandbox -- --keep`). @default false */
  readonly keep?: boolean;
  /** The rehearsals to choose from (those of the stack run). @default every registered rehearsal (sandbox/rehearsals/index.ts) */
  readonly rehearsals?: readonly Rehearsal[];
  readonly hooks?: LifecycleHooks<T>;
}

export interface StackLifecycle<T = void> {
  readonly stack: StackId;
  /** Unset when the apply failed. */
  readonly applied?: AppliedStack;
  /** What the `applied` hook returned. */
  readonly whileUp?: T;
  readonly rehearsals: readonly RehearsalResult[];
  /** Unset when kept, or when the apply or the destroy failed. */
  readonly destroyed?: DestroyedStack;
  /** What the emulator still holds of the stack after its destroy, asked by tag. */
  readonly remaining?: readonly string[];
  /** The step that failed (a rehearsal's failed check is not one: it is in its result), with Terraform's or the hook's message. */
  readonly failed?: { readonly step: "apply" | "destroy"; readonly message: string };
}

/**
 * Takes one stack of `sandbox` through apply, its rehearsals and (unless kept) destroy. Never
 * throws for a failed apply or destroy: it says which step failed. A stack whose apply failed is
 * neither rehearsed nor destroyed (what it applied stays until the emulator stops).
 */
export async function runStack<T = void>(sandbox: Sandbox, stack: StackId, options: LifecycleOptions<T> = {}): Promise<StackLifecycle<T>> {
  const result = await stackWay(sandbox, stack, options);
  options.hooks?.done?.(result);
  return result;
}

async function stackWay<T>(sandbox: Sandbox, stack: StackId, options: LifecycleOptions<T>): Promise<StackLifecycle<T>> {
  const hooks = options.hooks ?? {};
  let applied: AppliedStack;
  let whileUp: T | undefined;
  try {
    applied = await sandbox.apply(stack);
    whileUp = await hooks.applied?.(applied);
  } catch (e) {
    return { stack, rehearsals: [], failed: { step: "apply", message: (e as Error).message } };
  }
  const rehearsals: RehearsalResult[] = [];
  for (const result of await rehearseStack(sandbox, applied, options.rehearsals ?? REHEARSALS)) {
    rehearsals.push(result);
    hooks.rehearsed?.(result);
  }
  if (options.keep) return { stack, applied, whileUp, rehearsals };
  try {
    const started = Date.now();
    const off = await sandbox.turnOffDestroyBlockers(stack);
    const offSeconds = (Date.now() - started) / 1000;
    await hooks.beforeDestroy?.(applied, off);
    const destroyed = await sandbox.destroy(stack);
    // The seconds of the destroy in the README's order: the blockers' apply and the destroy, not the hook.
    return {
      stack,
      applied,
      whileUp,
      rehearsals,
      destroyed: { ...destroyed, seconds: offSeconds + destroyed.seconds },
      remaining: await sandbox.remaining(stack),
    };
  } catch (e) {
    return { stack, applied, whileUp, rehearsals, failed: { step: "destroy", message: (e as Error).message } };
  }
}

/** Every stack of `sandbox` through {@link runStack}, side by side; in the sandbox's order. */
export function runStacks<T = void>(sandbox: Sandbox, options: LifecycleOptions<T> = {}): Promise<StackLifecycle<T>[]> {
  return Promise.all(sandbox.stacks.map((stack) => runStack(sandbox, stack, options)));
}
