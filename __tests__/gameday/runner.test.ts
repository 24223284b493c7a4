/**
 * The game-day runner against a fake account (a virtual clock drives the experiment, the
 * instances, the group and the alarms) and a real HTTP endpoint on loopback: a run that passes
 * with its timeline, report and measurements, Ctrl-C and probe timeouts stopping the
 * experiment, and the refusals that start nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { parseMeasurements } from "../../model";
import { experimentsOf } from "../../model/experiments";
import { GamedayTarget, resolveTarget } from "../../gameday/deployment";
import { probe } from "../../gameday/probe";
import { RunOptions, runGameday } from "../../gameday/runner";
import { config, synthStack, withTempDirAsync } from "../helpers";
import { Clock, FakeAccount, Script } from "./support/fake-account";

const ON = { experiments: { enabled: true } };
const synthesized = { multiaz: synthStack("multiaz", ON).tf, recovery: synthStack("recovery", ON).tf };

function target(stack: "multiaz" | "recovery", experiment: string, endpoint: string): GamedayTarget {
  const cfg = config(ON);
  const templates = Object.fromEntries(experimentsOf(stack, cfg.azs).map((e) => [e.key, `EXT${e.key.length}`]));
  const outputs = { experiment_templates: templates, elastic_ip: "127.0.0.1", public_ip: "127.0.0.1", group_name: "multiaz-ref-multiaz" };
  return { ...resolveTarget({ stack, experiment, config: cfg, outputs, synthesized: synthesized[stack] }), endpoint };
}

/** multiaz, terminate: the server goes, the group replaces it in another AZ from the pipeline's image, the endpoint is back after 141 s. */
const TERMINATE: Script = {
  down: { from: 1, to: 141 },
  instances: {
    "i-0aaa1": [
      [Number.NEGATIVE_INFINITY, "running"],
      [3, "shutting-down"],
      [40, "terminated"],
    ],
    "i-0bbb2": [
      [12, "pending"],
      [75, "running"],
    ],
  },
  activities: [
    { description: "Terminating EC2 instance: i-0aaa1", start: 4, end: 40 },
    { description: "Launching a new EC2 instance: i-0bbb2", start: 12, end: 150 },
  ],
  alarms: [{ alarm: "multiaz-ref-multiaz-endpoint", at: 62, summary: "Alarm updated from OK to ALARM" }],
  completesAfter: 10,
};

async function run(
  script: Script,
  stack: "multiaz" | "recovery",
  experiment: string,
  options: Partial<RunOptions> & { confirm?: (q: string) => Promise<boolean> } = {},
  during?: (clock: Clock, interrupt: AbortController, account: FakeAccount) => void,
) {
  return withTempDirAsync(async (dir) => {
    const clock = new Clock();
    const account = new FakeAccount(clock, script);
    if (stack === "recovery") {
      account.templateStack = "recovery";
    }
    const url = await account.listen();
    const interrupt = new AbortController();
    during?.(clock, interrupt, account);
    const lines: string[] = [];
    try {
      const result = await runGameday(
        target(stack, experiment, url),
        { yes: true, outDir: dir, ...options },
        {
          clients: account,
          region: "ap-northeast-2",
          probe: (u) => probe(u, 2000, clock.now),
          now: clock.now,
          sleep: clock.sleep,
          confirm: options.confirm,
          interrupt: interrupt.signal,
          print: (l) => lines.push(l),
        },
      );
      const files = Object.fromEntries(result.files.map((f) => [path.basename(f).replace(/^gameday-[^.]*/, "report"), fs.readFileSync(f, "utf8")]));
      return { result, lines, files, account, names: result.files.map((f) => path.basename(f)) };
    } finally {
      await account.close();
    }
  });
}

describe("the game-day runner", () => {
  test("multiaz terminate: passes, with the timeline, the data marker lost as the bounded RPO allows, the measured times", async () => {
    const { result, lines, files, account, names } = await run(TERMINATE, "multiaz", "terminate");
    expect(result.code).toBe(0);
    expect(names).toEqual([
      "gameday-multiaz-terminate-20270114T090002Z.md",
      "gameday-multiaz-terminate-20270114T090002Z.json",
      "gameday-multiaz-terminate-20270114T090002Z.measurements.json",
    ]);
    expect(lines[0]).toBe("account 111122223333 (arn:aws:iam::111122223333:user/operator), region ap-northeast-2");
    expect(lines.at(-4)).toBe("PASS");
    // The instances are found by the stack's tags; the marker written on the old server and looked for on the new one.
    expect(account.calls).toContain("ec2:DescribeInstances Project=multiaz-ref,Stack=multiaz");
    expect(account.calls.filter((c) => c.startsWith("ssm:SendCommand")).map((c) => c.split(":")[1].trim())).toEqual([
      "SendCommand i-0aaa1",
      "SendCommand i-0bbb2",
    ]);
    expect(account.calls).not.toContain("fis:StopExperiment");

    const json = JSON.parse(files["report.json"]);
    expect(json).toMatchObject({ stack: "multiaz", experiment: "terminate", verdict: "pass", ended_by: "settled", experiment_id: "EXP123" });
    // The group's activities are asked for back to a minute before the start, as the alarms' history.
    const recordedFrom = new Date(Date.parse(json.started_at) - 60_000).toISOString();
    expect(account.calls).toContain(`autoscaling:DescribeScalingActivities multiaz-ref-multiaz since ${recordedFrom}`);
    expect(json.observed).toMatchObject({
      failed_probes: 140,
      last_failed_seconds: 140,
      rto_seconds: 141,
      recovered: true,
      marker: { kind: "lost", instance: "i-0bbb2" },
    });
    expect(json.model).toMatchObject({ kind: "healed", rpo_kind: "bounded" });
    expect(json.observed.data_loss).toMatch(/^at least \d+ s: the marker \/srv\/state\/gameday-marker-.* is gone on i-0bbb2$/);
    const texts = json.timeline.map((e: any) => `${e.source}: ${e.text}`);
    for (const expected of [
      "experiment: experiment running",
      "probe: first failed probe (HTTP 503)",
      "auto-scaling: Launching a new EC2 instance: i-0bbb2 started",
      "ec2: i-0aaa1 running -> shutting-down",
      "ec2: i-0bbb2 pending -> running",
      "alarm: multiaz-ref-multiaz-endpoint: Alarm updated from OK to ALARM",
      "probe: first good probe after the outage (HTTP 200)",
    ])
      expect(texts).toContain(expected);
    expect(json.timeline.find((e: any) => e.text === "probe: first failed probe (HTTP 503)".slice(7)).offset_seconds).toBe(1);

    // The measured times parse as the model's measurements, each within its prior (so the verdict names none).
    const measured = parseMeasurements(files["report.measurements.json"]);
    expect(Object.keys(measured).sort()).toEqual(["appStartFromImage", "asgReplaceAtOnce", "instanceLaunch"]);
    expect(files["report.md"]).toMatch(/^# Game day: multiaz, terminate\n\n\*\*PASS\*\*/);
    expect(files["report.md"]).toContain("| observed RTO (first good probe after the outage) | 141 s (2 min) |");
    expect(files["report.md"]).toContain(`npm run review -- --measurements ${path.join(path.dirname(result.files[0]), names[2])}`);
  });

  test("Ctrl-C stops the experiment, and the report is still written, inconclusive", async () => {
    const { result, files, account, lines } = await run({ ...TERMINATE, completesAfter: undefined }, "multiaz", "terminate", {}, (clock, interrupt) =>
      clock.at(33, () => interrupt.abort()),
    );
    expect(result.code).toBe(1);
    expect(account.calls).toContain("fis:StopExperiment");
    expect(lines).toContain("stopping experiment EXP123: Ctrl-C");
    const json = JSON.parse(files["report.json"]);
    expect(json).toMatchObject({ verdict: "inconclusive", ended_by: "interrupted", stopped: "the runner stopped the experiment (Ctrl-C)" });
    expect(json.notes).toEqual(["stopped by the operator (Ctrl-C) before the run settled"]);
    expect(json.timeline.map((e: any) => e.text)).toContain("experiment stopped");
  });

  test("a probe timeout stops the experiment, and the verdict names the RTO", async () => {
    const never: Script = { ...TERMINATE, down: { from: 1 }, completesAfter: undefined };
    const { result, files, account } = await run(never, "multiaz", "terminate", { timeoutSeconds: 200 });
    expect(result.code).toBe(1);
    expect(account.calls).toContain("fis:StopExperiment");
    const json = JSON.parse(files["report.json"]);
    expect(json).toMatchObject({ verdict: "fail", ended_by: "timeout", stopped: "the runner stopped the experiment (the probes timed out)" });
    expect(json.off[0]).toMatchObject({ term: "RTO", detail: expect.stringMatching(/^the endpoint did not answer again within the 3 min observed/) });
  });

  test("recovery terminate: the endpoint stays down as the model says (not healed by recover), no data marker", async () => {
    const script: Script = {
      down: { from: 0 },
      instances: {
        "i-0ccc3": [
          [Number.NEGATIVE_INFINITY, "running"],
          [2, "terminated"],
        ],
      },
      completesAfter: 5,
    };
    const { result, files, account } = await run(script, "recovery", "terminate", { timeoutSeconds: 120 });
    expect(result.code).toBe(0);
    expect(account.calls.some((c) => c.startsWith("ssm:"))).toBe(false);
    expect(account.calls.some((c) => c.startsWith("autoscaling:"))).toBe(false);
    const json = JSON.parse(files["report.json"]);
    expect(json).toMatchObject({ verdict: "pass", ended_by: "timeout", model: { kind: "down" } });
    expect(json.observed.data_loss).toMatch(/^not measured: /);
  });

  test("an experiment that fails before acting is inconclusive, with FIS's reason", async () => {
    const { result, files } = await run({ ...TERMINATE, failsWith: "Target resolution returned no targets" }, "multiaz", "terminate");
    expect(result.code).toBe(1);
    expect(JSON.parse(files["report.json"])).toMatchObject({
      verdict: "inconclusive",
      ended_by: "experiment-failed",
      notes: ["the experiment did not run: Target resolution returned no targets"],
    });
  });

  describe("refusals start nothing and write nothing", () => {
    const started = (a: FakeAccount) => a.calls.includes("fis:StartExperiment");

    test("no terminal and no --yes", async () => {
      const { result, lines, account } = await run(TERMINATE, "multiaz", "terminate", { yes: false });
      expect(result).toMatchObject({ code: 2, files: [] });
      expect(lines.at(-1)).toBe("refused: no terminal to confirm on; pass --yes to start the experiment without asking (automation). Nothing was started.");
      expect(started(account)).toBe(false);
    });

    test("the operator does not answer yes; answering yes starts it", async () => {
      const questions: string[] = [];
      const no = await run(TERMINATE, "multiaz", "terminate", { yes: false, confirm: async (q) => (questions.push(q), false) });
      expect(no.result).toMatchObject({ code: 1, files: [] });
      expect(questions).toEqual(["Start terminate on multiaz in account 111122223333, ap-northeast-2?"]);
      expect(started(no.account)).toBe(false);
      const yes = await run(TERMINATE, "multiaz", "terminate", { yes: false, confirm: async () => true });
      expect(started(yes.account)).toBe(true);
    });

    test("credentials of another account than the template's role", async () => {
      const { result, lines, account } = await run(TERMINATE, "multiaz", "terminate", {}, (_c, _i, a) => (a.account = "999988887777"));
      expect(result.code).toBe(2);
      expect(lines[0]).toMatch(
        /^refused: the credentials are of account 999988887777 .*role of 111122223333; use credentials of the account the stack is deployed in\. Nothing was started\.$/,
      );
      expect(started(account)).toBe(false);
    });

    test("an endpoint already down before the fault", async () => {
      const { result, lines, account } = await run(TERMINATE, "multiaz", "terminate", {}, (_c, _i, a) => (a.endpointUp = () => false));
      expect(result.code).toBe(1);
      expect(lines.at(-1)).toMatch(
        /^refused: http:\/\/127\.0\.0\.1:\d+\/health does not answer before the fault \(HTTP 503\); fix the stack first\. Nothing was started\.$/,
      );
      expect(started(account)).toBe(false);
    });
  });
});
