/**
 * What a game day observed, as data: the external probes of the endpoint, and the events of
 * the experiment, Auto Scaling, EC2 and CloudWatch alarms, merged into one timeline measured
 * from the injection. Pure functions of hand-written inputs: the runner (`runner.ts`) collects
 * the raw records, these turn them into the outage and the timeline the report shows.
 *
 * Times are milliseconds since the epoch (`Date.now()`, or the AWS APIs' timestamps).
 */

/** One external probe of the endpoint. */
export interface Probe {
  readonly at: number;
  /** HTTP 2xx within the timeout. */
  readonly ok: boolean;
  /** The HTTP status, when one came back. */
  readonly status?: number;
  /** Why it failed without a status (timeout, connection refused). */
  readonly error?: string;
  /** How long the request took, in milliseconds. */
  readonly ms: number;
}

export type EventSource = "runner" | "experiment" | "probe" | "auto-scaling" | "ec2" | "alarm" | "marker";

export interface TimelineEvent {
  readonly at: number;
  readonly source: EventSource;
  readonly text: string;
}

/** The outage the probes saw after the injection. */
export interface Outage {
  readonly probes: number;
  readonly failed: number;
  readonly firstFailed?: Probe;
  readonly lastFailed?: Probe;
  /** The first good probe after the last failed one: the endpoint back for good. */
  readonly firstGoodAfter?: Probe;
  /** Whether the endpoint answered again after failing (true also when it never failed). */
  readonly recovered: boolean;
  /** Seconds from the injection to the last failed probe: what the claims' bands bound. */
  readonly lastFailedSeconds?: number;
  /** Seconds from the injection to the first good probe after the last failure: the observed RTO (0 when no probe failed). */
  readonly rtoSeconds?: number;
}

const seconds = (from: number, to: number) => Math.round((to - from) / 100) / 10;

/** The outage in `probes` from `injectionAt` on (earlier probes are the baseline, not counted). */
export function outageOf(probes: readonly Probe[], injectionAt: number): Outage {
  const after = [...probes].filter((p) => p.at >= injectionAt).sort((a, b) => a.at - b.at);
  const failed = after.filter((p) => !p.ok);
  const firstFailed = failed[0];
  const lastFailed = failed.at(-1);
  if (!lastFailed) return { probes: after.length, failed: 0, recovered: true, rtoSeconds: 0 };
  const firstGoodAfter = after.find((p) => p.ok && p.at > lastFailed.at);
  return {
    probes: after.length,
    failed: failed.length,
    firstFailed,
    lastFailed,
    firstGoodAfter,
    recovered: firstGoodAfter !== undefined,
    lastFailedSeconds: seconds(injectionAt, lastFailed.at),
    rtoSeconds: firstGoodAfter ? seconds(injectionAt, firstGoodAfter.at) : undefined,
  };
}

/**
 * Whether the run has seen enough: after a failure, `settleSeconds` of good probes in a row
 * (the endpoint is back for good); or, without any failure, `settleSeconds` of good probes
 * after the experiment ended.
 */
export function settled(probes: readonly Probe[], injectionAt: number, settleSeconds: number, experimentEndedAt?: number): boolean {
  const after = probes.filter((p) => p.at >= injectionAt);
  const last = after.at(-1);
  if (!last || !last.ok) return false;
  const lastFailed = after.filter((p) => !p.ok).at(-1);
  const since = lastFailed ? after.find((p) => p.ok && p.at > lastFailed.at)!.at : experimentEndedAt;
  return since !== undefined && last.at - since >= settleSeconds * 1000;
}

const describeProbe = (p: Probe) => (p.status !== undefined ? `HTTP ${p.status}` : (p.error ?? "no answer"));

/** The probe events worth a line: the first failure, the last failure and the first good probe after it. */
export function probeEvents(outage: Outage): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  if (outage.firstFailed) events.push({ at: outage.firstFailed.at, source: "probe", text: `first failed probe (${describeProbe(outage.firstFailed)})` });
  if (outage.lastFailed && outage.lastFailed !== outage.firstFailed) {
    events.push({ at: outage.lastFailed.at, source: "probe", text: `last failed probe (${describeProbe(outage.lastFailed)}); ${outage.failed} failed in all` });
  }
  if (outage.firstGoodAfter)
    events.push({ at: outage.firstGoodAfter.at, source: "probe", text: `first good probe after the outage (HTTP ${outage.firstGoodAfter.status ?? "2xx"})` });
  return events;
}

/** An experiment state as the runner saw it (FIS GetExperiment), or as the API dates it. */
export interface ExperimentState {
  readonly at: number;
  readonly status: string;
  readonly reason?: string;
}

/** One line per change of the experiment's state. */
export function experimentEvents(states: readonly ExperimentState[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  let previous: string | undefined;
  for (const s of [...states].sort((a, b) => a.at - b.at)) {
    if (s.status === previous) continue;
    previous = s.status;
    events.push({ at: s.at, source: "experiment", text: `experiment ${s.status}${s.reason && s.reason !== s.status ? `: ${s.reason}` : ""}` });
  }
  return events;
}

/** An Auto Scaling activity (DescribeScalingActivities). */
export interface ScalingActivity {
  readonly id: string;
  readonly description: string;
  readonly cause?: string;
  readonly status: string;
  readonly startAt: number;
  readonly endAt?: number;
}

/** An activity's start and, when it ended, its end (with its status). Only activities that started at or after `since`. */
export function scalingEvents(activities: readonly ScalingActivity[], since: number): TimelineEvent[] {
  return activities
    .filter((a) => a.startAt >= since)
    .flatMap((a): TimelineEvent[] => [
      { at: a.startAt, source: "auto-scaling", text: `${a.description} started` },
      ...(a.endAt !== undefined ? [{ at: a.endAt, source: "auto-scaling" as const, text: `${a.description}: ${a.status}` }] : []),
    ]);
}

/** The stack's instances as one poll of EC2 saw them: id -> state name (and its AZ). */
export interface InstancePoll {
  readonly at: number;
  readonly instances: Readonly<Record<string, { readonly state: string; readonly az?: string }>>;
}

/** One line per instance state change between polls; an instance first seen later is "seen <state>". */
export function instanceEvents(polls: readonly InstancePoll[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const known = new Map<string, string>();
  const sorted = [...polls].sort((a, b) => a.at - b.at);
  sorted.forEach((poll, i) => {
    for (const [id, { state, az }] of Object.entries(poll.instances)) {
      const before = known.get(id);
      if (before === state) continue;
      if (before !== undefined) events.push({ at: poll.at, source: "ec2", text: `${id} ${before} -> ${state}` });
      else if (i > 0) events.push({ at: poll.at, source: "ec2", text: `${id} seen ${state}${az ? ` in ${az}` : ""}` });
      known.set(id, state);
    }
  });
  return events;
}

/** The first poll at which `id` was in `state`, if any. */
export function firstSeen(polls: readonly InstancePoll[], id: string, state: string): number | undefined {
  return [...polls].sort((a, b) => a.at - b.at).find((p) => p.instances[id]?.state === state)?.at;
}

/** An alarm's state change (DescribeAlarmHistory, HistoryItemType StateUpdate). */
export interface AlarmTransition {
  readonly at: number;
  readonly alarm: string;
  /** "Alarm updated from OK to ALARM". */
  readonly summary: string;
  /** The new state, when the history item says it. */
  readonly to?: string;
}

export function alarmEvents(transitions: readonly AlarmTransition[]): TimelineEvent[] {
  return transitions.map((t) => ({ at: t.at, source: "alarm", text: `${t.alarm}: ${t.summary}` }));
}

/** The new state in a history summary ("Alarm updated from OK to ALARM" -> "ALARM"). */
export function transitionTarget(summary: string): string | undefined {
  return /\bto (OK|ALARM|INSUFFICIENT_DATA)\b/.exec(summary)?.[1];
}

/** Every event, in time order (stable for equal times), with its offset from the injection in seconds. */
export function timeline(injectionAt: number, ...parts: readonly (readonly TimelineEvent[])[]): (TimelineEvent & { readonly offsetSeconds: number })[] {
  return parts
    .flat()
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => ({ ...e, offsetSeconds: seconds(injectionAt, e.at) }));
}
