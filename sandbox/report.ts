/**
 * The sandbox report (plan-review/sandbox.md): per stack, what was applied to the emulator, what
 * rests on a stand-in or was left out (with the API the emulator lacks), and what was destroyed.
 */
import { StackId } from "../config/schema";
import { AppliedStack, GapResource } from "./sandbox";
import { RehearsalResult, passed } from "./rehearsals/rehearsal";

export interface StackRun {
  readonly applied: AppliedStack;
  /** Seconds of `terraform destroy`, once it succeeded. */
  destroySeconds?: number;
  /** Settings turned off (and applied) before the destroy, as the README orders. */
  turnedOff?: string[];
  /** What the emulator still held of the stack after destroy, asked by tag. */
  remaining?: string[];
}

const percent = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)} %`);

function gapLines(title: string, list: readonly GapResource[]): string[] {
  if (list.length === 0) return [];
  return [`${title}:`, "", ...list.map((r) => `- \`${r.address}\`: ${r.gap.api}; not shown: ${r.gap.effect}`), ""];
}

export function renderReport(runs: readonly StackRun[], stacks: readonly StackId[], rehearsals: readonly RehearsalResult[] = []): string {
  const lines = [
    "# Sandbox: the stacks applied to a local AWS emulator",
    "",
    'Written by `npm run sandbox` (moto 5.2.5, see the README\'s "Try it without an AWS account").',
    '"Applied for real" is applied against moto\'s own API; a stand-in stores what it is given',
    "and has none of the API's effect; left out is not applied.",
    "",
    "| stack | resources | applied for real | on a stand-in | left out | applied | apply s | destroy s | remaining after destroy |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const stack of stacks) {
    const run = runs.find((r) => r.applied.stack === stack);
    if (!run) {
      lines.push(`| ${stack} | | | | | apply failed | | | |`);
      continue;
    }
    const a = run.applied;
    const remaining = run.remaining === undefined ? "destroy failed" : run.remaining.length === 0 ? "none" : run.remaining.map((r) => `\`${r}\``).join(", ");
    lines.push(
      `| ${stack} | ${a.resources.length} | ${a.applied.length} | ${a.standIn.length} | ${a.leftOut.length} | ${percent(a.applied.length, a.resources.length)} for real, ${percent(a.applied.length + a.standIn.length, a.resources.length)} in all | ${a.seconds.toFixed(1)} | ${run.destroySeconds?.toFixed(1) ?? ""} | ${remaining} |`,
    );
  }
  lines.push("");
  for (const run of runs) {
    const a = run.applied;
    if (a.standIn.length + a.leftOut.length + a.handlerRun.length === 0 && !run.turnedOff?.length) continue;
    lines.push(`## ${a.stack}`, "", ...gapLines("On a stand-in", a.standIn), ...gapLines("Left out", a.leftOut));
    if (a.handlerRun.length > 0) {
      lines.push(
        ...a.handlerRun.map(
          (r) =>
            `- \`${r}\`: applied; moto's Lambda runs no code, so the result is our real handler's, run by the sandbox on the same input against the emulator`,
        ),
        "",
      );
    }
    if (run.turnedOff?.length)
      lines.push(`Destroyed after setting ${run.turnedOff.map((k) => `\`${k}\``).join(", ")} to false and applying, as the README orders.`, "");
  }
  lines.push(...rehearsalLines(rehearsals));
  return lines.join("\n");
}

function rehearsalLines(rehearsals: readonly RehearsalResult[]): string[] {
  if (rehearsals.length === 0) return ["Rehearsals: none ran (no stack with a rehearsal was applied).", ""];
  const lines = ["## Rehearsals", "", "| stack | rehearsal | result | checks | s |", "| --- | --- | --- | ---: | ---: |"];
  for (const r of rehearsals)
    lines.push(
      `| ${r.stack} | ${r.name} | ${passed(r) ? "passed" : "failed"} | ${r.checks.filter((c) => c.ok).length}/${r.checks.length} | ${r.seconds.toFixed(1)} |`,
    );
  lines.push("");
  for (const r of rehearsals) {
    lines.push(`### ${r.name}`, "", ...r.checks.map((c) => `- ${c.ok ? "ok" : "FAILED"}: ${c.expected}${c.seen === undefined ? "" : ` (seen: ${c.seen})`}`));
    if (r.notSimulated.length > 0) lines.push("", "Not simulated by the emulator, so not shown here:", "", ...r.notSimulated.map((n) => `- ${n}`));
    lines.push("");
  }
  return lines;
}
