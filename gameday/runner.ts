/**
 * One game day: checks the account and the template, asks for confirmation, probes a healthy
 * baseline, writes the data marker, starts the experiment, probes the endpoint once a second
 * and polls the experiment and EC2 meanwhile, stops the experiment on Ctrl-C (the `interrupt`
 * signal) and when the probes time out, reads the marker back, collects the Auto Scaling
 * activities and the alarm history, and writes the report (`report.ts`). Every dependency is
 * injected: the AWS calls (`clients.ts`), the probe, the clock, the prompt, the signal.
 */
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { resolveAssumptions } from "../model/assumptions";
import { AssumptionKey, AssumptionOverrides } from "../model/types";
import { formatDuration } from "../model/format";
import { termsOf } from "../model/simulate";
import { ExperimentView, GamedayClients } from "./clients";
import { GamedayTarget } from "./deployment";
import { Expected } from "./expected";
import { measureTimes, measurementsFile } from "./measured";
import { RunRecord, reportBaseName, reportJson, reportMarkdown } from "./report";
import {
  AlarmTransition,
  ExperimentState,
  InstancePoll,
  Probe,
  ScalingActivity,
  TimelineEvent,
  alarmEvents,
  experimentEvents,
  instanceEvents,
  outageOf,
  probeEvents,
  scalingEvents,
  settled,
  timeline,
} from "./timeline";
import { EndedBy, MarkerResult, judge } from "./verdict";

export interface RunOptions {
  /** Start without asking. */
  readonly yes: boolean;
  /** Seconds after the injection before the run gives up and stops the experiment. @default {@link defaultTimeoutSeconds} */
  readonly timeoutSeconds?: number;
  /** Seconds of good probes that end the run after an outage. @default 60 */
  readonly settleSeconds?: number;
  /** @default 1000 */
  readonly probeIntervalMs?: number;
  /** Between polls of the experiment and of EC2. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Good probes in a row required before the fault. @default 3 */
  readonly baselineProbes?: number;
  /** Where the report goes. @default "plan-review" */
  readonly outDir?: string;
  readonly assumptions?: AssumptionOverrides;
}

export interface RunDeps {
  readonly clients: GamedayClients;
  readonly region: string;
  readonly probe: (url: string) => Promise<Probe>;
  readonly now: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Asks a yes/no question on the terminal; undefined when there is no terminal. */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Aborted on Ctrl-C. */
  readonly interrupt: AbortSignal;
  readonly print: (line: string) => void;
}

export interface RunResult {
  /** 0 pass; 1 fail, inconclusive or refused; 2 refused for want of --yes or of a matching account. */
  readonly code: number;
  readonly files: readonly string[];
  readonly record?: RunRecord;
}

/** How long to watch by default: a healed claim's band with room to spare, an alarm's time, or 15 minutes. */
export function defaultTimeoutSeconds(e: Expected, settleSeconds: number): number {
  switch (e.kind) {
    case "healed":
      return Math.max(300, Math.ceil(e.bandSeconds * 1.5) + settleSeconds);
    case "alarmed":
      return Math.max(600, (e.withinSeconds ?? 900) + 120);
    case "down":
      return 900;
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** An API error in one line (the SDK adds lines on how to debug a response it could not parse). */
const oneLine = (e: unknown) => ((e as Error).message ?? String(e)).split("\n")[0];

const TERMINAL = ["completed", "stopped", "failed", "cancelled"];

/** The account in an ARN (`arn:aws:iam::123456789012:role/x`). */
const accountOf = (arn: string | undefined) => arn?.split(":")[4];

/** The boot term of a group of one whose replacement brings the endpoint back (multiaz), as the model's host route has it. */
function bootTermOf(target: GamedayTarget, assumptions?: AssumptionOverrides): "appStartFromImage" | "appStartFromBaseImage" | undefined {
  if (target.section !== "multiaz") return undefined;
  const all = resolveAssumptions(assumptions);
  const labels = new Set((target.assessment.modes.host.rto?.routes ?? []).flatMap((r) => termsOf(r.steps).map((t) => t.label)));
  return (["appStartFromImage", "appStartFromBaseImage"] as const).find((k: AssumptionKey) => labels.has(all[k].label));
}

export async function runGameday(target: GamedayTarget, options: RunOptions, deps: RunDeps): Promise<RunResult> {
  const { clients, print, now, sleep, interrupt } = deps;
  const settleSeconds = options.settleSeconds ?? 60;
  const probeEvery = options.probeIntervalMs ?? 1000;
  const pollEvery = options.pollIntervalMs ?? 5000;
  const timeoutSeconds = options.timeoutSeconds ?? defaultTimeoutSeconds(target.expected, settleSeconds);
  const runner: TimelineEvent[] = [];
  const note = (text: string, source: TimelineEvent["source"] = "runner") => {
    runner.push({ at: now(), source, text });
    print(text);
  };

  // 1. Who and where: the credentials' account must be the one the template's role lives in.
  const identity = await clients.callerIdentity();
  const template = await clients.getTemplate(target.templateId);
  const templateAccount = accountOf(template.roleArn);
  if (templateAccount !== undefined && templateAccount !== identity.account) {
    print(
      `refused: the credentials are of account ${identity.account} (${identity.arn}), the template ${target.templateId}'s role of ${templateAccount}; ` +
        "use credentials of the account the stack is deployed in. Nothing was started.",
    );
    return { code: 2, files: [] };
  }
  if (template.tags.Stack !== undefined && template.tags.Stack !== target.stack) {
    print(`refused: the template ${target.templateId} belongs to stack ${template.tags.Stack}, not ${target.stack}. Nothing was started.`);
    return { code: 2, files: [] };
  }
  print(`account ${identity.account} (${identity.arn}), region ${deps.region}`);
  print(`stack ${target.stack}, experiment ${target.experiment.key}: ${target.description}; template ${target.templateId}`);
  print(`probing ${target.endpoint} once a second; the model: ${target.expected.band}`);
  print(`the run stops the experiment after ${formatDuration(timeoutSeconds)} without recovery, or on Ctrl-C`);

  // 2. Confirmation.
  if (!options.yes) {
    if (!deps.confirm) {
      print("refused: no terminal to confirm on; pass --yes to start the experiment without asking (automation). Nothing was started.");
      return { code: 2, files: [] };
    }
    const ok = await deps.confirm(`Start ${target.experiment.key} on ${target.stack} in account ${identity.account}, ${deps.region}?`);
    if (!ok) {
      print("not started: the answer was not yes.");
      return { code: 1, files: [] };
    }
  }

  // 3. A healthy baseline: a fault on an endpoint already down measures nothing.
  const probes: Probe[] = [];
  for (let i = 0; i < (options.baselineProbes ?? 3); i++) {
    const p = await deps.probe(target.endpoint);
    probes.push(p);
    if (!p.ok) {
      print(
        `refused: ${target.endpoint} does not answer before the fault (${p.status !== undefined ? `HTTP ${p.status}` : p.error}); fix the stack first. Nothing was started.`,
      );
      return { code: 1, files: [] };
    }
    if (i + 1 < (options.baselineProbes ?? 3)) await sleep(probeEvery, interrupt);
    if (interrupt.aborted) {
      print("interrupted before the experiment started. Nothing was started.");
      return { code: 1, files: [] };
    }
  }

  // 4. The data marker, on the server in service, where the stack keeps its data.
  const runId = randomUUID();
  const polls: InstancePoll[] = [{ at: now(), instances: await clients.instances(target.selectionTags) }];
  const running = () => Object.entries(polls.at(-1)!.instances).find(([, i]) => i.state === "running")?.[0];
  let marker: MarkerResult = { kind: "not-written", reason: "the model says the servers keep no data (stateless, or nothing left to read it from)" };
  const markerPath = target.markerDirectory ? `${target.markerDirectory}/gameday-marker-${runId}` : undefined;
  if (markerPath) {
    const instance = running();
    const written = instance
      ? await clients.runCommand(instance, [`mkdir -p ${target.markerDirectory}`, `printf '%s\\n' ${runId} > ${markerPath}`, "sync"], interrupt)
      : { ok: false, output: "", error: "no running instance of the stack" };
    marker = written.ok
      ? { kind: "unread", writtenAt: now(), path: markerPath, reason: "not read yet" }
      : { kind: "not-written", reason: `the marker could not be written on ${instance ?? "the stack"} (${written.error})` };
    note(written.ok ? `wrote the data marker ${markerPath} on ${instance}` : `no data marker: ${written.error}`, "marker");
  }

  // 5. The experiment.
  const startedAt = now();
  let experiment: ExperimentView = await clients.startExperiment(target.templateId, runId, { GameDay: runId, Stack: target.stack });
  const states: ExperimentState[] = [{ at: now(), status: experiment.status, reason: experiment.reason }];
  note(`started experiment ${experiment.id} (${experiment.status}); Ctrl-C stops it`);
  const injectionAt = () => experiment.firstActionAt ?? experiment.startAt ?? startedAt;

  let endedBy: EndedBy | undefined;
  let experimentReason: string | undefined;
  let lastPoll = now();
  let experimentEndedAt: number | undefined;
  while (endedBy === undefined) {
    if (interrupt.aborted) {
      endedBy = "interrupted";
      break;
    }
    probes.push(await deps.probe(target.endpoint));
    if (now() - lastPoll >= pollEvery) {
      lastPoll = now();
      try {
        experiment = await clients.getExperiment(experiment.id);
        states.push({ at: now(), status: experiment.status, reason: experiment.reason });
        if (TERMINAL.includes(experiment.status)) experimentEndedAt ??= experiment.endAt ?? now();
      } catch (e) {
        note(`GetExperiment failed: ${oneLine(e)}`);
      }
      try {
        polls.push({ at: now(), instances: await clients.instances(target.selectionTags) });
      } catch (e) {
        note(`DescribeInstances failed: ${oneLine(e)}`);
      }
    }
    if (experiment.status === "failed" && experiment.firstActionAt === undefined) {
      endedBy = "experiment-failed";
      experimentReason = experiment.reason;
    } else if (settled(probes, injectionAt(), settleSeconds, experimentEndedAt)) endedBy = "settled";
    else if (now() - injectionAt() >= timeoutSeconds * 1000) endedBy = "timeout";
    else await sleep(probeEvery, interrupt);
  }

  // 6. Stop what still runs, and wait (a little) for FIS to say it stopped.
  let stopped: string | undefined;
  if (!TERMINAL.includes(experiment.status)) {
    const why = { interrupted: "Ctrl-C", timeout: "the probes timed out", settled: "the observation is complete", "experiment-failed": "it failed" }[endedBy];
    try {
      experiment = await clients.stopExperiment(experiment.id);
      stopped = `the runner stopped the experiment (${why})`;
      note(`stopping experiment ${experiment.id}: ${why}`);
      for (let i = 0; i < 30 && !TERMINAL.includes(experiment.status); i++) {
        await sleep(2000);
        experiment = await clients.getExperiment(experiment.id);
      }
      states.push({ at: now(), status: experiment.status, reason: experiment.reason });
    } catch (e) {
      note(`StopExperiment failed: ${oneLine(e)}; stop it yourself: aws fis stop-experiment --id ${experiment.id}`);
    }
  }

  // 7. The marker read back from the server in service now.
  try {
    polls.push({ at: now(), instances: await clients.instances(target.selectionTags) });
  } catch (e) {
    note(`DescribeInstances failed: ${oneLine(e)}`);
  }
  if (marker.kind === "unread") {
    const instance = running();
    const read = instance ? await clients.runCommand(instance, [`cat ${markerPath} 2>/dev/null || true`]) : undefined;
    marker = !instance
      ? { ...marker, reason: "no running instance of the stack to read it from" }
      : !read!.ok
        ? { ...marker, reason: `reading it on ${instance} failed (${read!.error})` }
        : read!.output.includes(runId)
          ? { kind: "found", writtenAt: marker.writtenAt, path: marker.path, instance }
          : { kind: "lost", writtenAt: marker.writtenAt, path: marker.path, instance };
    note(`data marker: ${marker.kind}${"instance" in marker ? ` on ${marker.instance}` : ""}`, "marker");
  }

  // 8. What AWS recorded meanwhile, from a minute before the start.
  const endedAt = now();
  const recordedFrom = startedAt - 60_000;
  let activities: ScalingActivity[] = [];
  if (target.groupName) {
    try {
      activities = await clients.scalingActivities(target.groupName, recordedFrom);
    } catch (e) {
      note(`DescribeScalingActivities failed: ${oneLine(e)}`);
    }
  }
  const alarms: AlarmTransition[] = [];
  for (const name of target.alarmNames) {
    try {
      alarms.push(...(await clients.alarmHistory(name, recordedFrom, endedAt)));
    } catch (e) {
      note(`DescribeAlarmHistory ${name} failed: ${oneLine(e)}`);
    }
  }

  // 9. The verdict and the report.
  const at = injectionAt();
  const outage = outageOf(probes, at);
  const measured = measureTimes({ injectionAt: at, activities, polls, outage, bootTerm: bootTermOf(target, options.assumptions) });
  const observation = { injectionAt: at, outage, endedBy, experimentReason, observedSeconds: Math.round((endedAt - at) / 1000), alarms, marker, measured };
  const verdict = judge(target.expected, observation, resolveAssumptions(options.assumptions));
  const events = timeline(
    at,
    runner,
    experimentEvents(states),
    probeEvents(outage),
    scalingEvents(activities, recordedFrom),
    instanceEvents(polls),
    alarmEvents(alarms),
  );
  const record: RunRecord = {
    stack: target.stack,
    experiment: target.experiment.key,
    description: target.description,
    templateId: target.templateId,
    experimentId: experiment.id,
    account: identity.account,
    region: deps.region,
    endpoint: target.endpoint,
    startedAt,
    endedAt,
    expected: target.expected,
    observation,
    verdict,
    events,
    stopped,
  };
  const outDir = options.outDir ?? "plan-review";
  const base = path.join(outDir, reportBaseName(target.stack, target.experiment.key, startedAt));
  const files = [`${base}.md`, `${base}.json`, `${base}.measurements.json`];
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(files[2], measurementsFile(measured, `game day ${target.stack} ${target.experiment.key} ${new Date(startedAt).toISOString()}`));
  fs.writeFileSync(files[1], `${JSON.stringify(reportJson(record), null, 2)}\n`);
  fs.writeFileSync(files[0], reportMarkdown(record, files[2]));
  print(`${verdict.result.toUpperCase()}${verdict.off.length > 0 ? `: ${verdict.off.map((t) => `${t.term}: ${t.detail}`).join("; ")}` : ""}`);
  for (const f of files) print(`wrote ${f}`);
  return { code: verdict.result === "pass" ? 0 : 1, files, record };
}
