import {
  AGENT_SCRIPT_PATH,
  AGENT_UNIT_PATH,
  LaunchDestination,
  READY_POLL_SECONDS,
  STATE_WAIT_SECONDS,
  renderLifecycleAgent,
} from "../../workload/lifecycle-agent";
import { SESSION_TOKEN, runOnFakeInstance } from "./support/fake-instance";

const HOOK = { groupName: "demo-group", hookName: "demo-group-launch" };
const HEALTH = "http://127.0.0.1:80/health";
const READY_TIMEOUT = 840;
const COMPLETE = (result: string, instanceId = "i-0123456789abcdef0") =>
  `autoscaling complete-lifecycle-action --region ap-northeast-2 --auto-scaling-group-name demo-group --lifecycle-hook-name demo-group-launch --instance-id ${instanceId} --lifecycle-action-result ${result}`;

function agent(completes: LaunchDestination[] = ["InService"]) {
  return renderLifecycleAgent({ region: "ap-northeast-2", launchHook: HOOK, completes, healthUrl: HEALTH, readyTimeoutSeconds: READY_TIMEOUT });
}

describe("renderLifecycleAgent", () => {
  test("reads the metadata with an IMDSv2 session token on every request", () => {
    const run = runOnFakeInstance(agent().script, { states: ["InService"] });

    // THEN every metadata read carried the token from a PUT to api/token (the fake answers nothing otherwise)
    expect(run.exitCode).toBe(0);
    const reads = run.metadataRequests.filter((r) => !r.startsWith("PUT api/token"));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toMatch(new RegExp(`^GET meta-data/\\S+ token=${SESSION_TOKEN}$`));
  });

  test("never falls back to reading the metadata without a session token", () => {
    const run = runOnFakeInstance(agent().script, { states: ["InService"], issuesTokens: false });

    expect(run.exitCode).toBe(1);
    expect(run.awsCalls).toEqual([]);
    expect(run.stderr).toContain("no instance id from the instance metadata");
  });

  describe("completing the launch into service (the web tier)", () => {
    test("completes the launch once the workload's health check answers on the instance, not before", () => {
      // GIVEN a cold first boot: the health check fails for 30 checks (packages installing), then answers
      const run = runOnFakeInstance(agent().script, { states: ["InService"], instanceId: "i-0aaa", healthyAfterChecks: 30 });

      // THEN the agent completed the launch with CONTINUE, once, after the 31st check
      expect(run.exitCode).toBe(0);
      expect(run.healthChecks).toHaveLength(31);
      expect(new Set(run.healthChecks)).toEqual(new Set([HEALTH]));
      expect(run.awsCalls).toEqual([COMPLETE("CONTINUE", "i-0aaa")]);
      expect(run.secondsSlept).toBeGreaterThanOrEqual(30 * READY_POLL_SECONDS);
    });

    test("abandons the launch when the workload never answers, after the hook's timeout, so Auto Scaling replaces it", () => {
      // GIVEN an instance whose workload never becomes healthy
      const run = runOnFakeInstance(agent().script, { states: ["InService"], healthyAfterChecks: Infinity });

      // THEN it waited the whole timeout, then abandoned the launch and said why
      expect(run.awsCalls).toEqual([COMPLETE("ABANDON")]);
      expect(run.exitCode).toBe(1);
      expect(run.secondsSlept).toBeGreaterThanOrEqual(READY_TIMEOUT);
      expect(run.stderr).toContain(`${HEALTH} did not answer within ${READY_TIMEOUT} s: abandoning the launch`);
    });

    test("waits for the state to appear after launch", () => {
      const run = runOnFakeInstance(agent().script, { states: ["", "", "InService"] });

      expect(run.exitCode).toBe(0);
      expect(run.awsCalls).toEqual([COMPLETE("CONTINUE")]);
    });

    test("gives up after a bounded wait when there is no lifecycle state", () => {
      // GIVEN an instance outside any Auto Scaling group (no target lifecycle state)
      const run = runOnFakeInstance(agent().script, { states: [] });

      expect(run.exitCode).toBe(1);
      expect(run.awsCalls).toEqual([]);
      expect(run.stderr).toContain(`no target lifecycle state after ${STATE_WAIT_SECONDS} s`);
      expect(run.secondsSlept).toBeGreaterThanOrEqual(STATE_WAIT_SECONDS);
    });
  });

  describe("completing only the launch into the warm pool (the single server)", () => {
    test.each(["Warmed:Stopped", "Warmed:Running"])("completes the launch into the pool (%s) once ready", (warm) => {
      const run = runOnFakeInstance(agent(["WarmPool"]).script, { states: [warm], healthyAfterChecks: 3 });

      expect(run.awsCalls).toEqual([COMPLETE("CONTINUE")]);
    });

    test("leaves the launch into service alone: the takeover function completes it once the Elastic IP is on", () => {
      const run = runOnFakeInstance(agent(["WarmPool"]).script, { states: ["InService"] });

      expect(run.exitCode).toBe(0);
      expect(run.awsCalls).toEqual([]);
      expect(run.healthChecks).toEqual([]);
    });

    test("does nothing for an instance the pool terminates", () => {
      const run = runOnFakeInstance(agent(["WarmPool"]).script, { states: ["Warmed:Terminated"] });

      expect(run.awsCalls).toEqual([]);
    });
  });

  test("installs itself as a systemd unit that starts at every boot without holding it up", () => {
    const { bootCommands, unit, script } = agent();

    expect(bootCommands[0]).toBe(`cat > ${AGENT_SCRIPT_PATH} <<'END_OF_FILE'\n${script}END_OF_FILE\nchmod 0755 ${AGENT_SCRIPT_PATH}`);
    expect(bootCommands[1]).toBe(`cat > ${AGENT_UNIT_PATH} <<'END_OF_FILE'\n${unit}END_OF_FILE`);
    expect(bootCommands[2]).toContain("systemctl enable lifecycle-agent.service && systemctl start --no-block lifecycle-agent.service");
    expect(unit).toMatch(/^Type=simple$/m);
    expect(unit).toMatch(/^WantedBy=multi-user.target$/m);
    // Once in service there is nothing left to complete on later boots.
    expect(script).toContain('[ "$state" = InService ] && systemctl disable --quiet lifecycle-agent.service');
  });

  test("fails when it would complete nothing", () => {
    expect(() => renderLifecycleAgent({ region: "ap-northeast-2", launchHook: HOOK, completes: [], healthUrl: HEALTH, readyTimeoutSeconds: 60 })).toThrow(
      /completes: name the launches/,
    );
  });

  test("fails when the health check is not on the instance itself", () => {
    expect(() =>
      renderLifecycleAgent({
        region: "ap-northeast-2",
        launchHook: HOOK,
        completes: ["InService"],
        healthUrl: "http://example.com/health",
        readyTimeoutSeconds: 60,
      }),
    ).toThrow(/healthUrl: "http:\/\/example.com\/health" must be an http:\/\/ URL on the instance itself/);
  });

  test("fails when a name would break the script", () => {
    expect(() =>
      renderLifecycleAgent({
        region: "ap-northeast-2",
        launchHook: { groupName: "a; rm -rf /", hookName: "h" },
        completes: ["InService"],
        healthUrl: HEALTH,
        readyTimeoutSeconds: 60,
      }),
    ).toThrow(/"a; rm -rf \/" is not a plain name/);
  });
});
