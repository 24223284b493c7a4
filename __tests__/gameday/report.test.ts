/**
 * The game-day report's format on hand-written run records: the file name, the Markdown a
 * person reads (verdict first, the model's figures, the observed ones, the timeline from the
 * injection, the measured times and how to feed them back) and the JSON with the same facts.
 */
import { Expected } from "../../gameday/expected";
import { RunRecord, reportBaseName, reportJson, reportMarkdown } from "../../gameday/report";
import { Probe, outageOf } from "../../gameday/timeline";
import { Observation, Verdict } from "../../gameday/verdict";

const T0 = Date.UTC(2027, 0, 14, 9, 0, 0);
const at = (s: number) => T0 + s * 1000;

const HEALED: Expected = {
  kind: "healed",
  estimate: {
    p50: 250,
    p90: 330,
    p99: 400,
    mean: 260,
    hull: { min: 150, max: 520 },
    dominant: { label: "the instance boots", share: 0.42 },
    winners: [{ mechanism: "EC2 route", share: 1 }],
  },
  bandSeconds: 520,
  band: "last failed probe within 520 s of the injection",
  mechanism: "Auto Scaling replaces the instance",
  rpo: { kind: "stateless", reason: "interchangeable servers behind a load balancer" },
  source: "the model's host-failure claim",
};

/** Failed probes from +1 s to +140 s, good ones around them. */
function observation(more: Partial<Observation> = {}): Observation {
  const probes: Probe[] = Array.from({ length: 201 }, (_, s) =>
    s >= 1 && s <= 140 ? { at: at(s), ok: false, status: 503, ms: 5 } : { at: at(s), ok: true, status: 200, ms: 5 },
  );
  return {
    injectionAt: at(0),
    outage: outageOf(probes, at(0)),
    endedBy: "settled",
    observedSeconds: 200,
    alarms: [],
    marker: { kind: "not-written", reason: "the servers keep no data" },
    measured: { instanceLaunch: [63] },
    ...more,
  };
}

function record(verdict: Verdict, more: Partial<RunRecord> = {}): RunRecord {
  return {
    stack: "web",
    experiment: "terminate",
    description: "terminate the stack's server (one instance of its group)",
    templateId: "EXT1a2b",
    experimentId: "EXP9z",
    account: "111122223333",
    region: "ap-northeast-2",
    endpoint: "http://www.example.com/health",
    startedAt: at(-2),
    endedAt: at(200),
    expected: HEALED,
    observation: observation(),
    verdict,
    events: [
      { at: at(-1), offsetSeconds: -1, source: "experiment", text: "experiment running" },
      { at: at(1), offsetSeconds: 1, source: "probe", text: "first failed probe (HTTP 503)" },
      { at: at(12.5), offsetSeconds: 12.5, source: "auto-scaling", text: "Launching a new EC2 instance: i-0b | i-0c started" },
      { at: at(141), offsetSeconds: 141, source: "probe", text: "first good probe after the outage (HTTP 200)" },
    ],
    ...more,
  };
}

const PASS: Verdict = { result: "pass", off: [], notes: [], dataLoss: "none to read: the servers keep no data" };

describe("the game-day report", () => {
  test("its files are named after the stack, the experiment and the start in UTC, to the second", () => {
    expect(reportBaseName("multiaz", "az-power-ap-northeast-2a", Date.UTC(2027, 0, 14, 9, 0, 2, 345))).toBe(
      "gameday-multiaz-az-power-ap-northeast-2a-20270114T090002Z",
    );
  });

  test("Markdown: the verdict first, then the model's figures, the observed ones, the timeline and the measured times", () => {
    const md = reportMarkdown(record(PASS), "plan-review/x.measurements.json");
    const lines = md.split("\n");

    expect(lines.slice(0, 3)).toEqual(["# Game day: web, terminate", "", "**PASS**: what happened lies within what the model claims."]);
    expect(md).toContain("Account 111122223333, region ap-northeast-2, template EXT1a2b, experiment EXP9z;");
    expect(md).toContain("Started 2027-01-14T08:59:58.000Z, injection 2027-01-14T09:00:00.000Z, ended 2027-01-14T09:03:20.000Z.");
    const headings = lines.filter((l) => l.startsWith("## "));
    expect(headings).toEqual(["## The model", "## Observed", "## Timeline", "## Measured action times"]);
    expect(md).toContain("| RTO P50 / P90 / P99 | 4 min / 6 min / 7 min |");
    expect(md).toContain("| dominant term | the instance boots (42 % of the mean) |");
    expect(md).toContain("| probes after the injection | 201 (140 failed) |");
    expect(md).toContain("| observed RTO (first good probe after the outage) | 141 s (2 min) |");
    // Offsets from the injection, the UTC time of day, a '|' in an event escaped so the table holds.
    expect(md).toContain("| -1.0 s | 08:59:59 | experiment | experiment running |");
    expect(md).toContain("| +12.5 s | 09:00:12 | auto-scaling | Launching a new EC2 instance: i-0b \\| i-0c started |");
    expect(md).toContain("- `instanceLaunch`: 63 s");
    expect(md).toContain("`npm run review -- --measurements plan-review/x.measurements.json`");
  });

  test("a failure names each term that was off, with its detail; an inconclusive run says why", () => {
    const fail: Verdict = {
      result: "fail",
      off: [
        { term: "RTO", detail: "the last failed probe at 600 s, after the band (520 s)" },
        { term: "instanceLaunch", detail: "63 s, outside its prior" },
      ],
      notes: ["the endpoint alarm did not fire"],
      dataLoss: "none",
    };
    const md = reportMarkdown(record(fail), "m.json");
    expect(md.split("\n")[2]).toBe("**FAIL**: RTO was off; instanceLaunch was off.");
    expect(md).toContain(
      "## Terms that were off\n\n- **RTO**: the last failed probe at 600 s, after the band (520 s)\n- **instanceLaunch**: 63 s, outside its prior\n",
    );
    expect(md).toContain("## Notes\n\n- the endpoint alarm did not fire\n");

    const stopped: Verdict = { result: "inconclusive", off: [], notes: ["stopped by Ctrl-C"], dataLoss: "not read" };
    const md2 = reportMarkdown(record(stopped, { stopped: "stopped by the runner" }), "m.json");
    expect(md2.split("\n")[2]).toBe("**INCONCLUSIVE**: stopped by Ctrl-C.");
    expect(md2).not.toContain("## Notes");
    expect(md2).toContain("; stopped by the runner.");
  });

  test("a mode the model says stays down shows its reason instead of percentiles", () => {
    const down: Expected = { kind: "down", reason: "not healed by recover", band: "the endpoint stays down", source: "the experiment's expectation" };
    const md = reportMarkdown(record(PASS, { expected: down, observation: observation({ measured: {} }) }), "m.json");
    expect(md).toContain("| outcome | not recovered: not healed by recover |");
    expect(md).not.toContain("RTO P50");
    expect(md).toContain("No action time was isolated in this run.");
  });

  test("JSON: the same facts, times in ISO 8601, the model's figures in seconds", () => {
    const json = reportJson(record(PASS));
    expect(json).toMatchObject({
      stack: "web",
      experiment: "terminate",
      template_id: "EXT1a2b",
      experiment_id: "EXP9z",
      started_at: "2027-01-14T08:59:58.000Z",
      injection_at: "2027-01-14T09:00:00.000Z",
      ended_at: "2027-01-14T09:03:20.000Z",
      ended_by: "settled",
      stopped: null,
      verdict: "pass",
      model: {
        kind: "healed",
        p50_seconds: 250,
        p90_seconds: 330,
        p99_seconds: 400,
        band_seconds: 520,
        dominant_term: "the instance boots",
        rpo_kind: "stateless",
      },
      observed: { probes: 201, failed_probes: 140, last_failed_seconds: 140, rto_seconds: 141, recovered: true, measured: { instanceLaunch: [63] } },
    });
    expect((json.timeline as unknown[])[2]).toEqual({
      at: "2027-01-14T09:00:12.500Z",
      offset_seconds: 12.5,
      source: "auto-scaling",
      text: "Launching a new EC2 instance: i-0b | i-0c started",
    });
    // What a tool reads is JSON all through.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
