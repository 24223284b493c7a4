import { ATTACHED_METRIC } from "../../../constructs/endpoint/endpoint-takeover";
import { GROUP, HANDLER_ENV, PUBLIC_IP, SCHEDULED, STATE, fakeGroup, lifecycleEvent } from "./support/fake-group";

// The handler is plain JavaScript for the Lambda runtime; typed here for the tests.
interface HandlerModule {
  createHandler(deps: Record<string, unknown>): (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<any>;
  ATTACHED_METRIC: string;
}
const handlerModule = require("../../../constructs/endpoint/handler") as HandlerModule;

/** A group and the function that serves it; pauses are recorded, not waited. */
function setup(options: { maxLaunches?: number } = {}) {
  const group = fakeGroup(options);
  const slept: number[] = [];
  const handle = handlerModule.createHandler({ ...group.clients, env: HANDLER_ENV, sleep: async (ms: number) => void slept.push(ms) });
  /** Delivers the queued lifecycle events, as EventBridge would, until Auto Scaling sends no more. */
  async function deliverAll(limit = 50) {
    const results: any[] = [];
    while (group.events.length > 0 && results.length < limit) results.push(await handle(group.events.shift()));
    return results;
  }
  return { group, handle, slept, deliverAll };
}

const attachedValues = (group: ReturnType<typeof fakeGroup>) => group.metrics.filter((m) => m.name === ATTACHED_METRIC).map((m) => m.value);

describe("endpoint takeover function", () => {
  beforeEach(() => jest.spyOn(console, "log").mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  describe("on a launch into service", () => {
    test("moves the Elastic IP onto the new instance, then lets it enter service", async () => {
      // GIVEN the old server is gone and the group launched a replacement, which waits at the hook
      const { group, deliverAll } = setup();
      group.eip.instanceId = "i-0old";
      const replacement = group.launch(["pending", "pending", "running"]);

      // WHEN the hook's event arrives
      const [result] = await deliverAll();

      // THEN the address is on the replacement, which is in service, with the event's token
      expect(result).toMatchObject({ tookOver: true, instanceId: replacement, publicIp: PUBLIC_IP, result: "CONTINUE", completed: true });
      expect(group.eip.instanceId).toBe(replacement);
      expect(group.instances.get(replacement)!.lifecycle).toBe("InService");
      expect(group.completions).toEqual([{ instanceId: replacement, result: "CONTINUE", token: `token-${replacement}` }]);
      expect(attachedValues(group)).toEqual([1]);
      expect(group.notifications).toEqual([]);
    });

    test("survives IAM still propagating the function's new policy (the first launch right after apply)", async () => {
      // GIVEN AssociateAddress is denied twice, then allowed
      const { group, deliverAll, slept } = setup();
      group.transientDenials.set("ec2:AssociateAddress", 2);
      const first = group.launch();

      const [result] = await deliverAll();

      expect(result).toMatchObject({ tookOver: true, result: "CONTINUE" });
      expect(group.eip.instanceId).toBe(first);
      expect(slept.length).toBeGreaterThanOrEqual(2);
    });

    test("leaves an address that is already on the instance as it is", async () => {
      const { group, deliverAll } = setup();
      const id = group.launch();
      group.eip.instanceId = id;

      expect((await deliverAll())[0]).toMatchObject({ tookOver: true, result: "CONTINUE" });
    });

    test("ignores launches into the warm pool (the instance completes those) and other groups' hooks", async () => {
      const { group, handle } = setup();
      const id = group.launch();

      expect(await handle(lifecycleEvent(id, { Destination: "WarmPool" }))).toMatchObject({ skipped: true, reason: expect.stringContaining("warm pool") });
      expect(await handle(lifecycleEvent(id, { AutoScalingGroupName: "someone-else" }))).toMatchObject({ skipped: true });
      expect(group.completions).toEqual([]);
      expect(group.eip.instanceId).toBeUndefined();
    });
  });

  describe("when the takeover fails", () => {
    test("abandons the launch, so Auto Scaling replaces the instance, and tells the topic", async () => {
      // GIVEN a role that may not associate the address (an IAM mistake)
      const { group, handle } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      const first = group.launch();

      // WHEN the launch's event arrives
      const result = await handle(group.events.shift());

      // THEN not success: the launch was abandoned, the instance is gone and a replacement launched
      expect(result).toMatchObject({
        tookOver: false,
        instanceId: first,
        result: "ABANDON",
        failures: 1,
        cause: expect.stringContaining("ec2:AssociateAddress"),
      });
      expect(group.instances.get(first)!.lifecycle).toBe("Terminated");
      expect(group.launched).toBe(2);
      expect(group.notifications).toEqual([
        {
          subject: `${GROUP}: endpoint takeover failed, replacing ${first} (1 of 2)`,
          message: expect.stringMatching(
            /could not be moved to i-0001 \(launch into service\): AccessStillDenied: ec2:AssociateAddress .*The launch was abandoned, so Auto Scaling terminates the instance and launches another; replacement 1 of at most 2 in a row\./,
          ),
        },
      ]);
      expect(attachedValues(group)).toEqual([0]);
      expect(group.failedInstances()).toEqual([first]);
    });

    test("cannot churn instances forever: after the allowed replacements the instance is kept, and the topic says what to fix", async () => {
      // GIVEN a cause no replacement can fix
      const { group, deliverAll } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      group.launch();

      // WHEN every launch's event is delivered, Auto Scaling launching a replacement on each ABANDON
      const results = await deliverAll();

      // THEN the loop ends by itself: 2 replacements, then the third instance serves without the endpoint
      expect(results.map((r) => r.result)).toEqual(["ABANDON", "ABANDON", "CONTINUE"]);
      expect(group.launched).toBe(3);
      expect(group.events).toEqual([]);
      const kept = results[2].instanceId;
      expect(group.instances.get(kept)!.lifecycle).toBe("InService");
      expect(group.eip.instanceId).toBeUndefined();
      expect(group.notifications.map((n) => n.subject)).toEqual([
        `${GROUP}: endpoint takeover failed, replacing i-0001 (1 of 2)`,
        `${GROUP}: endpoint takeover failed, replacing i-0002 (2 of 2)`,
        `${GROUP}: endpoint takeover failed, not replacing ${kept}`,
      ]);
      expect(group.notifications[2].message).toMatch(
        /3 takeovers failed in a row \(i-0001, i-0002, i-0003\), more than the 2 replacements allowed: the instance is kept.*Fix the cause/,
      );
    });

    test("once the cause is fixed, the periodic check restores the endpoint and resets the count", async () => {
      // GIVEN the replacements were used up and the instance serves without the endpoint
      const { group, handle, deliverAll } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      group.launch();
      const results = await deliverAll();
      const kept = results[2].instanceId;

      // WHEN the operator fixes the permission and the periodic check runs
      group.deniedActions.delete("ec2:AssociateAddress");
      const check = await handle(SCHEDULED);

      // THEN the address is on the instance in service, the topic hears it, and the count starts again
      expect(check).toMatchObject({ checked: true, attached: true, instanceId: kept, moved: true });
      expect(group.eip.instanceId).toBe(kept);
      expect(group.failedInstances()).toEqual([]);
      expect(group.notifications.at(-1)!.subject).toBe(`${GROUP}: endpoint restored on ${kept}`);
      expect(attachedValues(group).at(-1)).toBe(1);
    });

    test("counts an instance once when its event is delivered twice", async () => {
      const { group, handle } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      const first = group.launch();
      const event = group.events.shift();

      await handle(event);
      const again = await handle(event);

      expect(group.failedInstances()).toEqual([first]);
      expect(again).toMatchObject({ result: "ABANDON", completed: false });
    });

    test("keeps the instance rather than replace it without a bound when the failure record cannot be read", async () => {
      const { group, handle } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      group.deniedActions.add("ssm:GetParameter");
      const first = group.launch();

      const result = await handle(group.events.shift());

      expect(result).toMatchObject({ tookOver: false, result: "CONTINUE" });
      expect(group.instances.get(first)!.lifecycle).toBe("InService");
      expect(group.notifications[0].message).toContain(`The record of failed takeovers (${STATE}) cannot be read or written, so the instance is kept`);
    });

    test("an instance that never runs is a failed takeover too", async () => {
      const { group, handle } = setup();
      const first = group.launch(["pending"]);

      const result = await handle(group.events.shift());

      expect(result).toMatchObject({ tookOver: false, result: "ABANDON", cause: expect.stringContaining(`instance ${first} is not running after 24 checks`) });
    });
  });

  describe("on the periodic check", () => {
    test("takes over a launch whose lifecycle event was lost", async () => {
      // GIVEN a launch waiting at the hook whose event never arrived
      const { group, handle } = setup();
      const waiting = group.launch();
      group.events.length = 0;

      const result = await handle(SCHEDULED);

      expect(result.launches).toEqual([expect.objectContaining({ tookOver: true, instanceId: waiting, result: "CONTINUE" })]);
      expect(group.eip.instanceId).toBe(waiting);
      expect(group.instances.get(waiting)!.lifecycle).toBe("InService");
      expect(group.completions).toEqual([{ instanceId: waiting, result: "CONTINUE", token: undefined }]);
    });

    test("reports the endpoint attached when the address is on the instance in service", async () => {
      const { group, handle, deliverAll } = setup();
      group.launch();
      await deliverAll();
      group.metrics.length = 0;

      expect(await handle(SCHEDULED)).toMatchObject({ checked: true, attached: true });
      expect(group.metrics).toEqual([{ name: ATTACHED_METRIC, dimensions: { Group: GROUP }, value: 1 }]);
    });

    test("reports the endpoint missing while no instance is in service, which the alarm watches", async () => {
      const { group, handle } = setup();

      expect(await handle(SCHEDULED)).toMatchObject({ checked: true, attached: false, reason: "no instance in service" });
      expect(attachedValues(group)).toEqual([0]);
    });

    test("a check that still cannot move the address reports it missing and leaves the telling to the alarm", async () => {
      const { group, handle, deliverAll } = setup();
      group.deniedActions.add("ec2:AssociateAddress");
      group.launch();
      await deliverAll();
      const told = group.notifications.length;

      expect(await handle(SCHEDULED)).toMatchObject({ checked: true, attached: false });
      expect(attachedValues(group).at(-1)).toBe(0);
      expect(group.notifications).toHaveLength(told);
    });
  });

  test("fails on an event it does not know, and on an incomplete environment", async () => {
    const { handle } = setup();
    await expect(handle({ hello: 1 })).rejects.toThrow(/unexpected event/);
    expect(() => handlerModule.createHandler({ ...fakeGroup().clients, env: { ...HANDLER_ENV, MAX_REPLACEMENTS: "many" } })).toThrow(
      /MAX_REPLACEMENTS must be a whole number, got many/,
    );
    expect(() => handlerModule.createHandler({ ...fakeGroup().clients, env: { ...HANDLER_ENV, ALLOCATION_ID: undefined } })).toThrow(
      /ALLOCATION_ID is not set/,
    );
  });

  test("puts the metric the construct's alarm watches", () => {
    expect(handlerModule.ATTACHED_METRIC).toBe(ATTACHED_METRIC);
  });
});
