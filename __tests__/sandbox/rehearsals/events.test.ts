/**
 * The events the rehearsals play EventBridge with: the documented shape, and accepted by our
 * real handlers (against the fakes of their own tests, no emulator).
 */
import { amiStateChange, launchLifecycleAction, scheduledEvent } from "../../../sandbox/rehearsals/events";
import { collectingLogs } from "../../../sandbox/rehearsals/emulator-api";
import { GROUP, HANDLER_ENV, HOOK, fakeGroup } from "../../constructs/endpoint/support/fake-group";

const where = { account: "123456789012", region: "eu-west-1", time: new Date("2026-03-04T05:06:07.891Z") };
const takeover = require("../../../constructs/endpoint/handler") as { createHandler(deps: object): (event: unknown) => Promise<any> };

describe("rehearsal events", () => {
  test("a launch lifecycle action carries the documented envelope and detail, with a fresh token each time", () => {
    const launch = {
      groupArn: "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:u:autoScalingGroupName/g",
      groupName: "g",
      hookName: "h",
      instanceId: "i-1",
    };
    const e = launchLifecycleAction(where, launch);
    expect(e).toMatchObject({
      version: "0",
      "detail-type": "EC2 Instance-launch Lifecycle Action",
      source: "aws.autoscaling",
      account: "123456789012",
      region: "eu-west-1",
      time: "2026-03-04T05:06:07Z",
      resources: [launch.groupArn],
      detail: {
        AutoScalingGroupName: "g",
        LifecycleHookName: "h",
        EC2InstanceId: "i-1",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        Origin: "EC2",
        Destination: "AutoScalingGroup",
      },
    });
    expect(e.detail.LifecycleActionToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(launchLifecycleAction(where, launch).detail.LifecycleActionToken).not.toBe(e.detail.LifecycleActionToken);
    expect(launchLifecycleAction(where, { ...launch, destination: "WarmPool" }).detail.Destination).toBe("WarmPool");
  });

  test("an AMI state change names the image in the region's partition", () => {
    expect(amiStateChange(where, "ami-0abc")).toMatchObject({
      source: "aws.ec2",
      "detail-type": "EC2 AMI State Change",
      resources: ["arn:aws:ec2:eu-west-1::image/ami-0abc"],
      detail: { ImageId: "ami-0abc", State: "available", ErrorMessage: "" },
    });
    expect(amiStateChange({ ...where, region: "cn-north-1" }, "ami-1", "deregistered")).toMatchObject({
      resources: ["arn:aws-cn:ec2:cn-north-1::image/ami-1"],
      detail: { State: "deregistered" },
    });
  });

  test("a scheduled event names its rule and has an empty detail", () => {
    expect(scheduledEvent(where, "arn:aws:events:eu-west-1:123456789012:rule/r")).toMatchObject({
      source: "aws.events",
      "detail-type": "Scheduled Event",
      resources: ["arn:aws:events:eu-west-1:123456789012:rule/r"],
      detail: {},
    });
  });

  test("the takeover handler acts on the built launch event (not skipped), and its JSON log lines are collected, not printed", async () => {
    const group = fakeGroup();
    const id = group.launch();
    const handle = takeover.createHandler({ ...group.clients, env: HANDLER_ENV, sleep: async () => undefined });
    const event = launchLifecycleAction(where, { groupArn: "arn", groupName: GROUP, hookName: HOOK, instanceId: id });
    const printed = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const { value, logs } = await collectingLogs(() => handle(event));
    expect(value).toMatchObject({ tookOver: true, instanceId: id, result: "CONTINUE" });
    expect(group.eip.instanceId).toBe(id);
    expect(group.completions).toEqual([{ instanceId: id, result: "CONTINUE", token: event.detail.LifecycleActionToken }]);
    expect(logs).toEqual(expect.arrayContaining([expect.objectContaining({ tookOver: expect.any(String), instanceId: id })]));
    expect(printed).not.toHaveBeenCalled();
    printed.mockRestore();
  });

  test("collectingLogs passes other output through and restores console.log, also when the body throws", async () => {
    const original = console.log;
    const seen: unknown[][] = [];
    const recorder = (...args: unknown[]) => void seen.push(args);
    console.log = recorder;
    try {
      await expect(
        collectingLogs(async () => {
          console.log("plain text");
          console.log("{not json");
          console.log(JSON.stringify({ a: 1 }));
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect(seen).toEqual([["plain text"], ["{not json"]]);
      expect(console.log).toBe(recorder);
    } finally {
      console.log = original;
    }
  });
});
