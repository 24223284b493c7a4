/**
 * The game day's verdict on hand-written observations, against what the model expects of the
 * real default stacks: pass within the claim's band, fail naming the term that was off (RTO,
 * RPO, alarm, outcome, a measured prior), inconclusive when stopped or never run.
 */
import { assessTerraformJson } from "../../model";
import { DEFAULT_ASSUMPTIONS } from "../../model/assumptions";
import { STACK_EXPERIMENTS } from "../../model/experiments";
import { Expected, expectedOf } from "../../gameday/expected";
import { Probe, outageOf } from "../../gameday/timeline";
import { MarkerResult, Observation, judge, percentilePosition } from "../../gameday/verdict";
import { synthStack } from "../helpers";

const T0 = Date.UTC(2027, 0, 14, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;

const assessments = Object.fromEntries(
  (["recovery", "multiaz", "web"] as const).map((s) => [s, assessTerraformJson(s, synthStack(s, { experiments: { enabled: true } }).tf)]),
);
const expected = (stack: "recovery" | "multiaz" | "web", experiment: string) =>
  expectedOf(STACK_EXPERIMENTS[stack][experiment as "terminate"]!, assessments[stack]);

/** A run whose endpoint fails from +2 s to `lastFailed` (undefined: never fails; Infinity: never comes back), observed for `observed` s. */
function observation(lastFailed: number | undefined, observed: number, more: Partial<Observation> = {}): Observation {
  const probes: Probe[] = [];
  for (let s = 0; s <= observed; s++) {
    const down = lastFailed !== undefined && s >= 2 && s <= lastFailed;
    probes.push(down ? { at: at(s), ok: false, error: "timeout", ms: 2000 } : { at: at(s), ok: true, status: 200, ms: 10 });
  }
  return {
    injectionAt: at(0),
    outage: outageOf(probes, at(0)),
    endedBy: "settled",
    observedSeconds: observed,
    alarms: [],
    marker: { kind: "not-written", reason: "test" },
    measured: {},
    ...more,
  };
}

const found: MarkerResult = { kind: "found", writtenAt: at(-20), path: "/srv/state/gameday-marker", instance: "i-0new" };
const lost: MarkerResult = { kind: "lost", writtenAt: at(-20), path: "/srv/state/gameday-marker", instance: "i-0new" };

describe("what the model expects of an experiment", () => {
  test("a group's terminate: the host-failure claim, its percentiles and band", () => {
    const e = expected("multiaz", "terminate");
    const host = assessments.multiaz.modes.host;
    expect(e).toMatchObject({
      kind: "healed",
      bandSeconds: host.claim.withinSeconds,
      band: host.claim.band,
      estimate: { p50: host.rto!.p50, p99: host.rto!.p99 },
    });
  });

  test("recovery's terminate: down (not healed by recover); its reboot: the race of the reboot and service-start priors", () => {
    expect(expected("recovery", "terminate")).toMatchObject({ kind: "down", reason: expect.stringMatching(/^not healed by recover/) });
    const reboot = expected("recovery", "reboot");
    expect(reboot).toMatchObject({
      kind: "healed",
      bandSeconds: DEFAULT_ASSUMPTIONS.ec2Reboot.seconds.max + DEFAULT_ASSUMPTIONS.serviceStartAtBoot.seconds.max,
    });
  });

  test("web's AZ network fault: alarmed (gray failure); multiaz's: down (not survived)", () => {
    expect(expected("web", "az-network")).toMatchObject({ kind: "alarmed", withinSeconds: assessments.web.modes["az-gray"].claim.withinSeconds });
    expect(expected("multiaz", "az-network")).toMatchObject({ kind: "down" });
  });
});

describe("the verdict", () => {
  const terminate = expected("multiaz", "terminate") as Extract<Expected, { kind: "healed" }>;

  test("pass: the last failed probe within the band, the marker read back where the model says RPO zero", () => {
    const appCrash = expected("multiaz", "app-crash");
    const v = judge(appCrash, observation(5, 60, { marker: found }), DEFAULT_ASSUMPTIONS);
    expect(v.result).toBe("pass");
    expect(v.off).toEqual([]);
    expect(v.dataLoss).toBe("none: the marker written 20 s before the fault was read back from i-0new");
    expect(v.notes[0]).toMatch(/^observed RTO 6 s: /);
  });

  test("fail, RTO: the last failed probe beyond the band, with where it falls and the dominant term", () => {
    const late = terminate.bandSeconds + 30;
    const v = judge(terminate, observation(late, late + 90), DEFAULT_ASSUMPTIONS);
    expect(v.result).toBe("fail");
    expect(v.off).toEqual([
      { term: "RTO", detail: expect.stringMatching(/^last failed probe at .*, beyond the band of .* \(beyond the hull .*; dominant term: .+\)$/) },
    ]);
  });

  test("fail, RTO: the endpoint never came back within the observation", () => {
    const v = judge(terminate, observation(Infinity, 1200, { endedBy: "timeout" }), DEFAULT_ASSUMPTIONS);
    expect(v.off.map((t) => t.term)).toEqual(["RTO"]);
    expect(v.off[0].detail).toMatch(/^the endpoint did not answer again within the 20 min observed; the band is /);
  });

  test("fail, RPO: the marker lost where the model says zero; a bounded RPO allows it", () => {
    const crash = judge(expected("multiaz", "app-crash"), observation(5, 60, { marker: lost }), DEFAULT_ASSUMPTIONS);
    expect(crash.off).toEqual([{ term: "RPO", detail: expect.stringMatching(/^the marker was lost \(at least 20 s of data\), the model says zero/) }]);
    expect(crash.dataLoss).toMatch(/^at least 20 s: the marker \/srv\/state\/gameday-marker, written 20 s before the fault, is gone on i-0new$/);
    expect(terminate.rpo.kind).toBe("bounded");
    expect(judge(terminate, observation(100, 200, { marker: lost }), DEFAULT_ASSUMPTIONS).result).toBe("pass");
  });

  test("fail, a prior: a measured action time outside its stated range is named", () => {
    const v = judge(terminate, observation(100, 200, { measured: { instanceLaunch: [75, 400] } }), DEFAULT_ASSUMPTIONS);
    expect(v.off).toEqual([{ term: "instanceLaunch", detail: expect.stringMatching(/^measured 400 s, outside the prior's 60-180 s/) }]);
  });

  test("down: pass while the endpoint stays down; fail (outcome) when it comes back or never fails", () => {
    const down = expected("recovery", "terminate");
    expect(judge(down, observation(Infinity, 900, { endedBy: "timeout" }), DEFAULT_ASSUMPTIONS).result).toBe("pass");
    expect(judge(down, observation(300, 400), DEFAULT_ASSUMPTIONS).off[0]).toMatchObject({
      term: "outcome",
      detail: expect.stringMatching(/^the endpoint answered again after 5 min/),
    });
    expect(judge(down, observation(undefined, 400), DEFAULT_ASSUMPTIONS).off[0].term).toBe("outcome");
  });

  test("alarmed: an alarm of the stack to ALARM within the claim's time, or the alarm term is off", () => {
    const gray = expected("web", "az-network") as Extract<Expected, { kind: "alarmed" }>;
    const alarm = (s: number) => [{ at: at(s), alarm: "multiaz-ref-web-elb-5xx", summary: "Alarm updated from OK to ALARM", to: "ALARM" }];
    expect(judge(gray, observation(undefined, 600, { alarms: alarm(100) }), DEFAULT_ASSUMPTIONS).result).toBe("pass");
    const late = judge(gray, observation(undefined, 900, { alarms: alarm(gray.withinSeconds! + 60) }), DEFAULT_ASSUMPTIONS);
    expect(late.off[0]).toMatchObject({ term: "alarm", detail: expect.stringMatching(/^multiaz-ref-web-elb-5xx went to ALARM after .*, beyond /) });
    expect(judge(gray, observation(undefined, 600), DEFAULT_ASSUMPTIONS).off[0].term).toBe("alarm");
  });

  test("inconclusive: stopped by the operator, or the experiment never ran", () => {
    expect(judge(terminate, observation(30, 40, { endedBy: "interrupted" }), DEFAULT_ASSUMPTIONS)).toMatchObject({
      result: "inconclusive",
      notes: [expect.stringMatching(/Ctrl-C/)],
    });
    expect(
      judge(terminate, observation(undefined, 5, { endedBy: "experiment-failed", experimentReason: "Target resolution failed" }), DEFAULT_ASSUMPTIONS),
    ).toMatchObject({
      result: "inconclusive",
      notes: ["the experiment did not run: Target resolution failed"],
    });
  });

  test("percentile positions", () => {
    const e = { p50: 10, p90: 20, p99: 30, mean: 12, hull: { min: 5, max: 40 }, dominant: { label: "x", share: 1 }, winners: [] };
    expect([1, 10, 15, 25, 35, 50].map((s) => percentilePosition(s, e))).toEqual([
      "below the model's shortest (5 s)",
      "at or below P50",
      "between P50 and P90",
      "between P90 and P99",
      "above P99, within the hull",
      "beyond the hull (40 s)",
    ]);
  });
});
