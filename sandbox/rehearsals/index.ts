/**
 * Every rehearsal, in the order they run for a stack (the stacks run in parallel). Add a
 * rehearsal here and both `npm run sandbox` and the emulator test tier run it.
 */
import type { AppliedStack, Sandbox } from "../sandbox";
import { MULTIAZ_AMI_LOOP } from "./multiaz-ami-loop";
import { MULTIAZ_IAM } from "./multiaz-iam";
import { MULTIAZ_INSTANCE_LOST } from "./multiaz-instance-lost";
import { Rehearsal, RehearsalResult, rehearse } from "./rehearsal";
import { RECOVERY_REHEARSAL } from "./recovery";
import { webRehearsal } from "./web";

export const REHEARSALS: readonly Rehearsal[] = [
  RECOVERY_REHEARSAL,
  MULTIAZ_INSTANCE_LOST,
  MULTIAZ_AMI_LOOP,
  MULTIAZ_IAM,
  webRehearsal("web"),
  webRehearsal("web-step-scaling"),
];

/** The rehearsals of one applied stack, one after the other (they act on the same resources). */
export async function rehearseStack(sandbox: Sandbox, applied: AppliedStack, only: readonly Rehearsal[] = REHEARSALS): Promise<RehearsalResult[]> {
  const results: RehearsalResult[] = [];
  for (const r of only.filter((x) => x.stack === applied.stack)) results.push(await rehearse(r, sandbox, applied));
  return results;
}
