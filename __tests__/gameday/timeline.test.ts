/**
 * The timeline of a game day from hand-written records: the outage in the probes, the events of
 * the experiment, Auto Scaling, EC2 and alarms in time order from the injection, and the action
 * times the timeline isolates, in the measurements format the model reads.
 */
import { parseMeasurements } from "../../model";
import { measureTimes, measurementsFile } from "../../gameday/measured";
import {
  InstancePoll,
  Probe,
  ScalingActivity,
  alarmEvents,
  experimentEvents,
  instanceEvents,
  outageOf,
  probeEvents,
  scalingEvents,
  settled,
  timeline,
  transitionTarget,
} from "../../gameday/timeline";

const T0 = Date.UTC(2027, 0, 14, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;

/** One probe a second from `from` to `to` (seconds from T0), failing where `down(s)`. */
function probes(from: number, to: number, down: (s: number) => boolean): Probe[] {
  const out: Probe[] = [];
  for (let s = from; s <= to; s++) out.push(down(s) ? { at: at(s), ok: false, error: "timeout", ms: 2000 } : { at: at(s), ok: true, status: 200, ms: 12 });
  return out;
}

describe("the outage in the probes", () => {
  test("first and last failure, the first good probe after it, RTO from the injection; earlier failures are the baseline", () => {
    const p = probes(-10, 120, (s) => s === -5 || (s >= 4 && s <= 80 && s !== 40));
    const o = outageOf(p, at(0));
    expect(o.firstFailed?.at).toBe(at(4));
    expect(o.lastFailed?.at).toBe(at(80));
    expect(o.firstGoodAfter?.at).toBe(at(81));
    expect(o).toMatchObject({ failed: 76, probes: 121, recovered: true, lastFailedSeconds: 80, rtoSeconds: 81 });
  });

  test("an endpoint still down has no RTO; one that never failed has RTO 0", () => {
    expect(
      outageOf(
        probes(0, 30, (s) => s > 3),
        at(0),
      ),
    ).toMatchObject({ recovered: false, rtoSeconds: undefined, lastFailedSeconds: 30 });
    expect(
      outageOf(
        probes(0, 30, () => false),
        at(0),
      ),
    ).toMatchObject({ recovered: true, failed: 0, rtoSeconds: 0 });
  });

  test("settled: good for settleSeconds after the last failure, or after the experiment ended when nothing failed", () => {
    const back = probes(0, 100, (s) => s >= 5 && s <= 50);
    expect(settled(back, at(0), 60)).toBe(false);
    expect(settled([...back, ...probes(101, 111, () => false)], at(0), 60)).toBe(true);
    const calm = probes(0, 100, () => false);
    expect(settled(calm, at(0), 60)).toBe(false);
    expect(settled(calm, at(0), 60, at(30))).toBe(true);
    expect(
      settled(
        probes(0, 100, (s) => s === 100),
        at(0),
        10,
        at(0),
      ),
    ).toBe(false);
  });

  test("probe events: the first failure, the last and the first good probe", () => {
    const events = probeEvents(
      outageOf(
        probes(0, 20, (s) => s >= 2 && s <= 9),
        at(0),
      ),
    );
    expect(events.map((e) => [e.at, e.text])).toEqual([
      [at(2), "first failed probe (timeout)"],
      [at(9), "last failed probe (timeout); 8 failed in all"],
      [at(10), "first good probe after the outage (HTTP 200)"],
    ]);
  });
});

describe("the timeline", () => {
  const activities: ScalingActivity[] = [
    { id: "old", description: "Launching a new EC2 instance: i-0aaa", status: "Successful", startAt: at(-3600), endAt: at(-3500) },
    { id: "t", description: "Terminating EC2 instance: i-0aaa", status: "Successful", startAt: at(8), endAt: at(40) },
    { id: "l", description: "Launching a new EC2 instance: i-0bbb", status: "Successful", startAt: at(12), endAt: at(95) },
  ];
  const polls: InstancePoll[] = [
    { at: at(-2), instances: { "i-0aaa": { state: "running", az: "ap-northeast-2a" } } },
    { at: at(3), instances: { "i-0aaa": { state: "shutting-down" } } },
    { at: at(18), instances: { "i-0aaa": { state: "shutting-down" }, "i-0bbb": { state: "pending", az: "ap-northeast-2b" } } },
    { at: at(63), instances: { "i-0aaa": { state: "terminated" }, "i-0bbb": { state: "running", az: "ap-northeast-2b" } } },
  ];

  test("events of every source merged in time order, offsets from the injection; activities before the run left out", () => {
    const lines = timeline(
      at(0),
      experimentEvents([
        { at: at(-1), status: "initiating" },
        { at: at(0), status: "running", reason: "Experiment is running." },
        { at: at(1), status: "running" },
        { at: at(20), status: "completed", reason: "Experiment completed." },
      ]),
      scalingEvents(activities, at(-1)),
      instanceEvents(polls),
      alarmEvents([{ at: at(70), alarm: "multiaz-ref-multiaz-endpoint", summary: "Alarm updated from OK to ALARM", to: "ALARM" }]),
    ).map((e) => `${e.offsetSeconds} ${e.source}: ${e.text}`);
    expect(lines).toEqual([
      "-1 experiment: experiment initiating",
      "0 experiment: experiment running: Experiment is running.",
      "3 ec2: i-0aaa running -> shutting-down",
      "8 auto-scaling: Terminating EC2 instance: i-0aaa started",
      "12 auto-scaling: Launching a new EC2 instance: i-0bbb started",
      "18 ec2: i-0bbb seen pending in ap-northeast-2b",
      "20 experiment: experiment completed: Experiment completed.",
      "40 auto-scaling: Terminating EC2 instance: i-0aaa: Successful",
      "63 ec2: i-0aaa shutting-down -> terminated",
      "63 ec2: i-0bbb pending -> running",
      "70 alarm: multiaz-ref-multiaz-endpoint: Alarm updated from OK to ALARM",
      "95 auto-scaling: Launching a new EC2 instance: i-0bbb: Successful",
    ]);
  });

  test("an alarm history summary names the new state", () => {
    expect(transitionTarget("Alarm updated from OK to ALARM")).toBe("ALARM");
    expect(transitionTarget("Alarm updated from ALARM to INSUFFICIENT_DATA")).toBe("INSUFFICIENT_DATA");
    expect(transitionTarget('Alarm "x" created')).toBeUndefined();
  });

  test("measured: the group's reaction, the launch and the replacement's boot to the first good probe, as a measurements file the model parses", () => {
    const outage = outageOf(
      probes(0, 150, (s) => s >= 3 && s <= 120),
      at(0),
    );
    const times = measureTimes({ injectionAt: at(0), activities, polls, outage, bootTerm: "appStartFromImage" });
    // not running seen at +3, the launch at +12; launched +12, running seen +63; running +63, first good +121.
    expect(times).toEqual({ asgReplaceAtOnce: [9], instanceLaunch: [51], appStartFromImage: [58] });
    const text = measurementsFile(times, "game day multiaz terminate 2027-01-14T09:00:00Z");
    expect(parseMeasurements(text)).toEqual({
      asgReplaceAtOnce: { samples: [9], source: "game day multiaz terminate 2027-01-14T09:00:00Z" },
      instanceLaunch: { samples: [51], source: "game day multiaz terminate 2027-01-14T09:00:00Z" },
      appStartFromImage: { samples: [58], source: "game day multiaz terminate 2027-01-14T09:00:00Z" },
    });
  });

  test("measured: nothing isolated when no instance stopped and nothing launched (an app fault)", () => {
    const outage = outageOf(
      probes(0, 30, (s) => s >= 1 && s <= 6),
      at(0),
    );
    expect(measureTimes({ injectionAt: at(0), activities: activities.slice(0, 1), polls: polls.slice(0, 1), outage, bootTerm: "appStartFromImage" })).toEqual(
      {},
    );
    expect(JSON.parse(measurementsFile({}, "x"))).toEqual({ measured: {} });
  });
});
