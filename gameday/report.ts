/**
 * The game-day report, written beside the plan review: `plan-review/gameday-<stack>-<experiment>-<time>.md`
 * for people, `.json` for tools (the same facts), and `.measurements.json`, the measured action
 * times in the format `npm run review -- --measurements <file>` reads. Pure functions of a run's record.
 */
import { formatDuration, formatRpo } from "../model/format";
import { Expected } from "./expected";
import { MeasuredTimes } from "./measured";
import { EventSource } from "./timeline";
import { Observation, Verdict, dataLoss } from "./verdict";

export interface RunRecord {
  readonly stack: string;
  readonly experiment: string;
  readonly description: string;
  readonly templateId: string;
  readonly experimentId?: string;
  readonly account: string;
  readonly region: string;
  readonly endpoint: string;
  /** When the runner started the experiment (ms since the epoch). */
  readonly startedAt: number;
  readonly endedAt: number;
  readonly expected: Expected;
  readonly observation: Observation;
  readonly verdict: Verdict;
  readonly events: readonly { readonly at: number; readonly offsetSeconds: number; readonly source: EventSource; readonly text: string }[];
  /** The stopped experiment, when the runner stopped it (Ctrl-C, timeout, settled early). */
  readonly stopped?: string;
}

/** `gameday-<stack>-<experiment>-<UTC time>`, a file name without its extension. */
export function reportBaseName(stack: string, experiment: string, at: number): string {
  const time = new Date(at)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `gameday-${stack}-${experiment}-${time}`;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Seconds as measured, with the rounded reading beside them once they are minutes: "141 s (2 min)". */
const exact = (s: number) => (s < 120 ? formatDuration(s) : `${Math.round(s)} s (${formatDuration(s)})`);
const offset = (s: number) => `${s >= 0 ? "+" : "-"}${Math.abs(s).toFixed(1)} s`;

function expectedRows(e: Expected): string[] {
  switch (e.kind) {
    case "healed":
      return [
        `| RTO P50 / P90 / P99 | ${formatDuration(e.estimate.p50)} / ${formatDuration(e.estimate.p90)} / ${formatDuration(e.estimate.p99)} |`,
        `| RTO hull | ${formatDuration(e.estimate.hull.min)} - ${formatDuration(e.estimate.hull.max)} |`,
        `| band | ${e.band} |`,
        `| dominant term | ${e.estimate.dominant.label} (${Math.round(e.estimate.dominant.share * 100)} % of the mean) |`,
        `| RPO | ${formatRpo(e.rpo)} |`,
      ];
    case "alarmed":
      return [`| outcome | alarmed: ${e.mechanism} |`, `| band | ${e.band} |`, `| RPO | ${formatRpo(e.rpo)} |`];
    case "down":
      return [`| outcome | not recovered: ${e.reason} |`, `| band | ${e.band} |`, ...(e.rpo ? [`| RPO | ${formatRpo(e.rpo)} |`] : [])];
  }
}

function observedRows(o: Observation): string[] {
  const out = o.outage;
  return [
    `| probes after the injection | ${out.probes} (${out.failed} failed) |`,
    `| first failed probe | ${out.firstFailed ? offset((out.firstFailed.at - o.injectionAt) / 1000) : "-"} |`,
    `| last failed probe | ${out.lastFailedSeconds !== undefined ? offset(out.lastFailedSeconds) : "-"} |`,
    `| observed RTO (first good probe after the outage) | ${out.rtoSeconds !== undefined ? exact(out.rtoSeconds) : out.recovered ? "-" : `not recovered in ${formatDuration(o.observedSeconds)}`} |`,
    `| observed data loss | ${dataLoss(o.marker, o.injectionAt).text} |`,
    `| run ended | ${o.endedBy}${o.experimentReason ? ` (${o.experimentReason})` : ""} |`,
  ];
}

function measuredLines(m: MeasuredTimes): string[] {
  const entries = Object.entries(m);
  if (entries.length === 0) return ["No action time was isolated in this run."];
  return entries.map(([key, samples]) => `- \`${key}\`: ${samples!.map((s) => `${s} s`).join(", ")}`);
}

export function reportMarkdown(r: RunRecord, measurementsFile: string): string {
  const v = r.verdict;
  const verdictLine =
    v.result === "pass"
      ? "**PASS**: what happened lies within what the model claims."
      : v.result === "fail"
        ? `**FAIL**: ${v.off.map((t) => `${t.term} was off`).join("; ")}.`
        : `**INCONCLUSIVE**: ${v.notes[0] ?? "the run did not settle"}.`;
  return [
    `# Game day: ${r.stack}, ${r.experiment}`,
    "",
    verdictLine,
    "",
    `${r.description}. Account ${r.account}, region ${r.region}, template ${r.templateId}${r.experimentId ? `, experiment ${r.experimentId}` : ""}; ` +
      `the endpoint ${r.endpoint} probed once a second from this machine. Started ${iso(r.startedAt)}, injection ${iso(r.observation.injectionAt)}, ended ${iso(r.endedAt)}` +
      `${r.stopped ? `; ${r.stopped}` : ""}.`,
    "",
    ...(v.off.length > 0 ? ["## Terms that were off", "", ...v.off.map((t) => `- **${t.term}**: ${t.detail}`), ""] : []),
    ...(v.notes.length > 0 && v.result !== "inconclusive" ? ["## Notes", "", ...v.notes.map((n) => `- ${n}`), ""] : []),
    "## The model",
    "",
    `From ${r.expected.source}.`,
    "",
    "| | |",
    "| --- | --- |",
    ...expectedRows(r.expected),
    "",
    "## Observed",
    "",
    "| | |",
    "| --- | --- |",
    ...observedRows(r.observation),
    "",
    "## Timeline",
    "",
    "Offsets from the injection; EC2 states are as polled every few seconds, Auto Scaling activities and alarm transitions as AWS dates them.",
    "",
    "| offset | UTC | source | event |",
    "| ---: | --- | --- | --- |",
    ...r.events.map((e) => `| ${offset(e.offsetSeconds)} | ${iso(e.at).slice(11, 19)} | ${e.source} | ${e.text.replace(/\|/g, "\\|")} |`),
    "",
    "## Measured action times",
    "",
    ...measuredLines(r.observation.measured),
    "",
    `In \`${measurementsFile}\`; the next review takes them as the model's priors: \`npm run review -- --measurements ${measurementsFile}\`.`,
    "",
  ].join("\n");
}

/** The same facts as JSON. */
export function reportJson(r: RunRecord): Record<string, unknown> {
  const { expected: e, observation: o } = r;
  return {
    stack: r.stack,
    experiment: r.experiment,
    template_id: r.templateId,
    experiment_id: r.experimentId ?? null,
    account: r.account,
    region: r.region,
    endpoint: r.endpoint,
    started_at: iso(r.startedAt),
    injection_at: iso(o.injectionAt),
    ended_at: iso(r.endedAt),
    ended_by: o.endedBy,
    stopped: r.stopped ?? null,
    verdict: r.verdict.result,
    off: r.verdict.off,
    notes: r.verdict.notes,
    model: {
      kind: e.kind,
      source: e.source,
      band: e.band,
      ...(e.kind === "healed"
        ? {
            p50_seconds: e.estimate.p50,
            p90_seconds: e.estimate.p90,
            p99_seconds: e.estimate.p99,
            band_seconds: e.bandSeconds,
            dominant_term: e.estimate.dominant.label,
          }
        : {}),
      ...(e.kind === "alarmed" ? { within_seconds: e.withinSeconds ?? null } : {}),
      rpo_kind: e.rpo?.kind ?? null,
    },
    observed: {
      probes: o.outage.probes,
      failed_probes: o.outage.failed,
      last_failed_seconds: o.outage.lastFailedSeconds ?? null,
      rto_seconds: o.outage.rtoSeconds ?? null,
      recovered: o.outage.recovered,
      data_loss: r.verdict.dataLoss,
      marker: o.marker,
      measured: o.measured,
    },
    timeline: r.events.map((ev) => ({ at: iso(ev.at), offset_seconds: ev.offsetSeconds, source: ev.source, text: ev.text })),
  };
}
