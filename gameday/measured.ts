/**
 * The action times a game day measures, in the model's own terms (`model/assumptions.ts`), so
 * they can replace its priors: written as a measurements file (`model/measurements.ts`) that
 * `npm run review -- --measurements <file>` reads. Only what the timeline isolates is measured:
 *
 * - `asgReplaceAtOnce`: an instance of the group seen not running -> Auto Scaling's next launch starts;
 * - `instanceLaunch`: a launch starts -> its instance seen `running` (EC2 polled every few seconds);
 * - the boot term of the group's image (`appStartFromImage` or `appStartFromBaseImage`), for a
 *   group of one server whose endpoint went down: its replacement seen `running` -> the first good
 *   probe. The OS boot falls into this term rather than into `instanceLaunch` (EC2 says `running`
 *   before the OS has booted): the sum of the two is what the model adds up.
 */
import { AssumptionKey } from "../model/types";
import { InstancePoll, Outage, ScalingActivity, firstSeen } from "./timeline";

export type MeasuredTimes = Partial<Record<AssumptionKey, number[]>>;

/** The instance an Auto Scaling launch activity started ("Launching a new EC2 instance: i-0abc"). */
export function launchedInstance(a: ScalingActivity): string | undefined {
  return /^Launching a new EC2 instance: (i-[0-9a-f]+)/.exec(a.description)?.[1];
}

const round = (ms: number) => Math.round(ms / 1000);

export interface MeasureInput {
  readonly injectionAt: number;
  readonly activities: readonly ScalingActivity[];
  readonly polls: readonly InstancePoll[];
  readonly outage: Outage;
  /** The boot term of a group of one server whose replacement brings the endpoint back; undefined otherwise. */
  readonly bootTerm?: "appStartFromImage" | "appStartFromBaseImage";
}

export function measureTimes({ injectionAt, activities, polls, outage, bootTerm }: MeasureInput): MeasuredTimes {
  const out: MeasuredTimes = {};
  const add = (key: AssumptionKey, ms: number) => (out[key] ??= []).push(Math.max(0, round(ms)));
  const launches = activities.filter((a) => a.startAt >= injectionAt && launchedInstance(a) !== undefined).sort((a, b) => a.startAt - b.startAt);

  // The instances running at the injection that stopped running afterwards, with when that was seen.
  const sorted = [...polls].sort((a, b) => a.at - b.at);
  const before = sorted.filter((p) => p.at <= injectionAt).at(-1) ?? sorted[0];
  const lost = Object.entries(before?.instances ?? {})
    .filter(([, i]) => i.state === "running")
    .map(([id]) => ({ id, at: sorted.find((p) => p.at >= injectionAt && p.instances[id] !== undefined && p.instances[id].state !== "running")?.at }))
    .filter((l): l is { id: string; at: number } => l.at !== undefined)
    .sort((a, b) => a.at - b.at);
  const used = new Set<ScalingActivity>();
  for (const l of lost) {
    const next = launches.find((a) => a.startAt >= l.at && !used.has(a));
    if (!next) continue;
    used.add(next);
    add("asgReplaceAtOnce", next.startAt - l.at);
  }

  for (const a of launches) {
    const running = firstSeen(polls, launchedInstance(a)!, "running");
    if (running !== undefined && running >= a.startAt) add("instanceLaunch", running - a.startAt);
  }

  if (bootTerm && outage.firstGoodAfter && launches.length > 0) {
    const last = launches.filter((a) => a.startAt <= outage.firstGoodAfter!.at).at(-1);
    const running = last ? firstSeen(polls, launchedInstance(last)!, "running") : undefined;
    if (running !== undefined && running <= outage.firstGoodAfter.at) add(bootTerm, outage.firstGoodAfter.at - running);
  }
  return out;
}

/** The measurements file's text (`model/measurements.ts`): one entry per measured term, each with where it was measured. */
export function measurementsFile(times: MeasuredTimes, source: string): string {
  const measured = Object.fromEntries(Object.entries(times).map(([key, samples]) => [key, { samples, source }]));
  return `${JSON.stringify({ measured }, null, 2)}\n`;
}
