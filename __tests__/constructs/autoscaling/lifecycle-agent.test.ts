import { AGENT_SCRIPT_PATH, AGENT_UNIT_PATH, STATE_WAIT_SECONDS, renderLifecycleAgent } from "../../../constructs/autoscaling/lifecycle-agent";
import { SESSION_TOKEN, runOnFakeInstance } from "./support/fake-instance";

// A stand-in for the endpoint's commands: it records that the instance took over.
const TAKE_OVER = ['aws test-take-over --instance-id "$INSTANCE_ID" --region "$REGION"'];
const HOOK = { groupName: "demo-group", hookName: "demo-group-launch" };

function agent(launchHook?: typeof HOOK) {
  return renderLifecycleAgent({ region: "ap-northeast-2", inServiceCommands: TAKE_OVER, launchHook });
}

describe("renderLifecycleAgent", () => {
  test("reads the metadata with an IMDSv2 session token on every request", () => {
    // GIVEN an instance the group puts in service
    // WHEN the agent runs
    const run = runOnFakeInstance(agent().script, { states: ["InService"] });

    // THEN every metadata read carried the token from a PUT to api/token (the fake answers nothing otherwise)
    expect(run.exitCode).toBe(0);
    const reads = run.metadataRequests.filter((r) => !r.startsWith("PUT api/token"));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect(read).toMatch(new RegExp(`^GET meta-data/\\S+ token=${SESSION_TOKEN}$`));
    expect(agent().script).toContain('-H "X-aws-ec2-metadata-token: $token"');
  });

  test("never falls back to reading the metadata without a session token", () => {
    // GIVEN a metadata service that hands out no token (so it answers nothing)
    const run = runOnFakeInstance(agent().script, { states: ["InService"], issuesTokens: false });

    // THEN the agent stops without taking over, and never asked without a token
    expect(run.exitCode).toBe(1);
    expect(run.awsCalls).toEqual([]);
    expect(run.stderr).toContain("no instance id from the instance metadata");
    expect(run.metadataRequests.every((r) => r.startsWith("PUT api/token"))).toBe(true);
  });

  test("takes over when the target lifecycle state is InService", () => {
    // GIVEN an instance launched straight into service
    const run = runOnFakeInstance(agent().script, { states: ["InService"], instanceId: "i-0aaa" });

    // THEN it ran the in-service commands, with its instance id and region, once
    expect(run.awsCalls).toEqual(["test-take-over --instance-id i-0aaa --region ap-northeast-2"]);
  });

  test("waits for the state to appear after launch, then takes over", () => {
    // GIVEN the metadata has no state for the first polls, then InService
    const run = runOnFakeInstance(agent().script, { states: ["", "", "InService"] });

    // THEN the agent kept polling and took over once the state said so
    expect(run.exitCode).toBe(0);
    expect(run.awsCalls).toEqual([expect.stringContaining("test-take-over")]);
  });

  test.each(["Warmed:Stopped", "Warmed:Running"])("never takes over while the instance is in the warm pool (%s)", (warm) => {
    // GIVEN an instance launched into the warm pool, which is later terminated there
    const run = runOnFakeInstance(agent().script, { states: [warm, warm, warm, "Warmed:Terminated"] });

    // THEN it did not touch the endpoint
    expect(run.exitCode).toBe(0);
    expect(run.awsCalls).toEqual([]);
  });

  test("takes over when a running warm instance enters service without a reboot", () => {
    // GIVEN a Running pool instance that the group moves into service
    const run = runOnFakeInstance(agent().script, { states: ["Warmed:Running", "Warmed:Running", "InService"] });

    // THEN the same agent run takes over
    expect(run.awsCalls).toEqual([expect.stringContaining("test-take-over")]);
  });

  test("gives up after a bounded wait when there is no lifecycle state", () => {
    // GIVEN an instance outside any Auto Scaling group (no target lifecycle state)
    const run = runOnFakeInstance(agent().script, { states: [] });

    // THEN it does not take over, and says why
    expect(run.exitCode).toBe(1);
    expect(run.awsCalls).toEqual([]);
    expect(run.stderr).toContain(`no target lifecycle state after ${STATE_WAIT_SECONDS} s`);
    expect(run.secondsSlept).toBeGreaterThanOrEqual(STATE_WAIT_SECONDS);
  });

  test("waits for the workload before taking over, but not forever", () => {
    // GIVEN nginx never becomes active
    const run = runOnFakeInstance(agent().script, { states: ["InService"], workloadActive: false });

    // THEN the agent waited ten minutes for it and then took over anyway (the old server is gone)
    expect(run.secondsSlept).toBeGreaterThanOrEqual(600);
    expect(run.awsCalls).toEqual([expect.stringContaining("test-take-over")]);
  });

  describe("with a launch hook", () => {
    test("completes the hook after taking over", () => {
      const run = runOnFakeInstance(agent(HOOK).script, { states: ["InService"], instanceId: "i-0bbb" });

      expect(run.awsCalls).toEqual([
        expect.stringContaining("test-take-over"),
        "autoscaling complete-lifecycle-action --region ap-northeast-2 --auto-scaling-group-name demo-group --lifecycle-hook-name demo-group-launch --instance-id i-0bbb --lifecycle-action-result CONTINUE",
      ]);
    });

    test("completes the hook once when entering the warm pool, and again when entering service", () => {
      // GIVEN a Running pool instance: it enters the pool, waits, then enters service
      const run = runOnFakeInstance(agent(HOOK).script, { states: ["Warmed:Running", "Warmed:Running", "Warmed:Running", "InService"] });

      // THEN: hook (pool), take over, hook (service)
      expect(run.awsCalls.map((c) => c.split(" ").slice(0, 2).join(" "))).toEqual([
        "autoscaling complete-lifecycle-action",
        "test-take-over --instance-id",
        "autoscaling complete-lifecycle-action",
      ]);
    });
  });

  test("without a launch hook, calls no lifecycle action", () => {
    const run = runOnFakeInstance(agent().script, { states: ["Warmed:Stopped", "Warmed:Terminated"] });

    expect(run.awsCalls).toEqual([]);
    expect(agent().script).not.toContain("complete-lifecycle-action");
  });

  test("installs itself as a systemd unit that starts at every boot, after the workload", () => {
    // GIVEN the rendered agent
    const { bootCommands, unit, script } = agent();

    // THEN the boot commands write the script and unit verbatim and start it without blocking user data
    expect(bootCommands[0]).toBe(`cat > ${AGENT_SCRIPT_PATH} <<'END_OF_FILE'\n${script}END_OF_FILE\nchmod 0755 ${AGENT_SCRIPT_PATH}`);
    expect(bootCommands[1]).toBe(`cat > ${AGENT_UNIT_PATH} <<'END_OF_FILE'\n${unit}END_OF_FILE`);
    expect(bootCommands[2]).toContain("systemctl enable lifecycle-agent.service && systemctl start --no-block lifecycle-agent.service");
    expect(unit).toMatch(/^After=network-online.target nginx.service$/m);
    expect(unit).toMatch(/^WantedBy=multi-user.target$/m);
  });

  test("fails when there is nothing to do in service", () => {
    expect(() => renderLifecycleAgent({ region: "ap-northeast-2", inServiceCommands: [] })).toThrow(/inServiceCommands/);
  });

  test("fails when a name would break the script", () => {
    expect(() => renderLifecycleAgent({ region: "ap-northeast-2", inServiceCommands: TAKE_OVER, launchHook: { groupName: "a; rm -rf /", hookName: "h" } })).toThrow(
      /"a; rm -rf \/" is not a plain name/,
    );
  });
});
