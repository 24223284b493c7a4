/**
 * The verdict of a game day: what was observed (the outage in the probes, the alarms, the data
 * marker, the measured action times) against what the model expects (`expected.ts`). Pass, or
 * fail naming each term that was off: the RTO against the claim's band, the RPO against the
 * model's, the alarm, the outcome itself, and every measured action time outside its prior.
 * A run stopped by the operator, or whose experiment never ran, is inconclusive.
 */
import { Assumption, AssumptionKey, Estimate, Rpo } from "../model/types";
import { formatDuration } from "../model/format";
import { Expected } from "./expected";
import { MeasuredTimes } from "./measured";
import { AlarmTransition, Outage } from "./timeline";

/** What became of the data marker written before the fault. */
export type MarkerResult =
  /** No marker: the model says the servers keep no data, or there is no server to read from afterwards. */
  | { readonly kind: "not-written"; readonly reason: string }
  | { readonly kind: "found"; readonly writtenAt: number; readonly path: string; readonly instance: string }
  | { readonly kind: "lost"; readonly writtenAt: number; readonly path: string; readonly instance: string }
  /** Written, but it could not be read afterwards (no instance in service, the command failed). */
  | { readonly kind: "unread"; readonly writtenAt: number; readonly path: string; readonly reason: string };

export type EndedBy = "settled" | "timeout" | "interrupted" | "experiment-failed";

export interface Observation {
  readonly injectionAt: number;
  readonly outage: Outage;
  readonly endedBy: EndedBy;
  /** Why the experiment did not run, with `experiment-failed`. */
  readonly experimentReason?: string;
  /** Seconds observed after the injection. */
  readonly observedSeconds: number;
  readonly alarms: readonly AlarmTransition[];
  readonly marker: MarkerResult;
  readonly measured: MeasuredTimes;
}

export interface TermOff {
  /** "RTO", "RPO", "alarm", "outcome", or an assumption key. */
  readonly term: string;
  readonly detail: string;
}

export interface Verdict {
  readonly result: "pass" | "fail" | "inconclusive";
  readonly off: readonly TermOff[];
  readonly notes: readonly string[];
  /** The observed data loss in words. */
  readonly dataLoss: string;
}

/** Where `seconds` falls among the model's percentiles. */
export function percentilePosition(seconds: number, e: Estimate): string {
  if (seconds < e.hull.min) return `below the model's shortest (${formatDuration(e.hull.min)})`;
  if (seconds <= e.p50) return "at or below P50";
  if (seconds <= e.p90) return "between P50 and P90";
  if (seconds <= e.p99) return "between P90 and P99";
  if (seconds <= e.hull.max) return "above P99, within the hull";
  return `beyond the hull (${formatDuration(e.hull.max)})`;
}

/** The observed data loss, in words and as a lower bound in seconds (undefined: not measured). */
export function dataLoss(marker: MarkerResult, injectionAt: number): { text: string; atLeastSeconds?: number } {
  switch (marker.kind) {
    case "not-written":
      return { text: `not measured: ${marker.reason}` };
    case "unread":
      return { text: `unknown: the marker ${marker.path} could not be read afterwards (${marker.reason})` };
    case "found":
      return {
        text: `none: the marker written ${formatDuration((injectionAt - marker.writtenAt) / 1000)} before the fault was read back from ${marker.instance}`,
        atLeastSeconds: 0,
      };
    case "lost": {
      const s = Math.max(0, Math.round((injectionAt - marker.writtenAt) / 1000));
      return {
        text: `at least ${formatDuration(s)}: the marker ${marker.path}, written ${formatDuration(s)} before the fault, is gone on ${marker.instance}`,
        atLeastSeconds: s,
      };
    }
  }
}

/** The RPO term: the marker against the model's RPO. */
function rpoOff(rpo: Rpo | undefined, marker: MarkerResult, injectionAt: number): TermOff | undefined {
  if (!rpo || marker.kind !== "lost") return undefined;
  const loss = dataLoss(marker, injectionAt).atLeastSeconds!;
  if (rpo.kind === "zero")
    return { term: "RPO", detail: `the marker was lost (at least ${formatDuration(loss)} of data), the model says zero (${rpo.reason})` };
  if (rpo.kind === "bounded" && loss > rpo.estimate.hull.max) {
    return {
      term: "RPO",
      detail: `at least ${formatDuration(loss)} of data lost, beyond the model's ${formatDuration(rpo.estimate.hull.max)} (${rpo.reason})`,
    };
  }
  return undefined;
}

/** Measured action times outside their prior's stated range. */
function priorsOff(measured: MeasuredTimes, assumptions: Readonly<Record<AssumptionKey, Assumption>>): TermOff[] {
  return (Object.entries(measured) as [AssumptionKey, number[]][]).flatMap(([key, samples]) => {
    const { min, max } = assumptions[key].seconds;
    const outside = samples.filter((s) => s < min || s > max);
    return outside.length === 0
      ? []
      : [{ term: key, detail: `measured ${outside.map((s) => `${s} s`).join(", ")}, outside the prior's ${min}-${max} s (${assumptions[key].label})` }];
  });
}

export function judge(expected: Expected, o: Observation, assumptions: Readonly<Record<AssumptionKey, Assumption>>): Verdict {
  const loss = dataLoss(o.marker, o.injectionAt).text;
  if (o.endedBy === "interrupted")
    return { result: "inconclusive", off: [], notes: ["stopped by the operator (Ctrl-C) before the run settled"], dataLoss: loss };
  if (o.endedBy === "experiment-failed") {
    return { result: "inconclusive", off: [], notes: [`the experiment did not run: ${o.experimentReason ?? "failed"}`], dataLoss: loss };
  }
  const off: TermOff[] = [];
  const notes: string[] = [];
  const { outage } = o;
  switch (expected.kind) {
    case "healed": {
      const e = expected.estimate;
      if (!outage.recovered) {
        off.push({
          term: "RTO",
          detail: `the endpoint did not answer again within the ${formatDuration(o.observedSeconds)} observed; the band is ${formatDuration(expected.bandSeconds)} (dominant term: ${e.dominant.label})`,
        });
      } else if (outage.failed === 0) {
        notes.push("no probe failed: the outage, if any, was shorter than a probe's interval, or others served meanwhile");
      } else {
        const last = outage.lastFailedSeconds!;
        if (last > expected.bandSeconds) {
          off.push({
            term: "RTO",
            detail: `last failed probe at ${formatDuration(last)}, beyond the band of ${formatDuration(expected.bandSeconds)} (${percentilePosition(last, e)}; dominant term: ${e.dominant.label})`,
          });
        } else notes.push(`observed RTO ${formatDuration(outage.rtoSeconds!)}: ${percentilePosition(outage.rtoSeconds!, e)}`);
      }
      break;
    }
    case "alarmed": {
      const first = o.alarms.filter((a) => a.to === "ALARM" && a.at >= o.injectionAt).sort((a, b) => a.at - b.at)[0];
      const after = first ? Math.round((first.at - o.injectionAt) / 1000) : undefined;
      if (after === undefined)
        off.push({ term: "alarm", detail: `no alarm of the stack went to ALARM in the ${formatDuration(o.observedSeconds)} observed (${expected.band})` });
      else if (expected.withinSeconds !== undefined && after > expected.withinSeconds) {
        off.push({ term: "alarm", detail: `${first.alarm} went to ALARM after ${formatDuration(after)}, beyond ${formatDuration(expected.withinSeconds)}` });
      } else notes.push(`${first.alarm} went to ALARM after ${formatDuration(after)}`);
      if (outage.failed > 0 && outage.recovered)
        notes.push(`the endpoint came back by itself after ${formatDuration(outage.rtoSeconds!)}, which the model does not claim`);
      break;
    }
    case "down":
      if (outage.failed > 0 && outage.recovered) {
        off.push({
          term: "outcome",
          detail: `the endpoint answered again after ${formatDuration(outage.rtoSeconds!)}; the model says it stays down (${expected.reason})`,
        });
      } else if (outage.failed === 0) {
        off.push({ term: "outcome", detail: "no probe failed; the model says the endpoint goes down and stays down" });
      } else notes.push(`the endpoint stayed down for the ${formatDuration(o.observedSeconds)} observed, as the model says`);
      break;
  }
  const rpo = rpoOff(expected.rpo, o.marker, o.injectionAt);
  if (rpo) off.push(rpo);
  off.push(...priorsOff(o.measured, assumptions));
  return { result: off.length > 0 ? "fail" : "pass", off, notes, dataLoss: loss };
}
