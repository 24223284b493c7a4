/**
 * Every default stack applied to the emulator and destroyed, on one emulator (the stacks apply in
 * parallel): what the pinned emulator lacks is named, at least 95 % of each stack is applied,
 * the outputs (the recovery model's included) come from the applied state, and after destroy
 * nothing tagged with the stack remains.
 */
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { StackId } from "../../config/schema";
import { GAPS } from "../../sandbox/gaps";
import { AppliedStack, Sandbox } from "../../sandbox/sandbox";
import { REHEARSALS, rehearseStack } from "../../sandbox/rehearsals";
import { RehearsalResult } from "../../sandbox/rehearsals/rehearsal";

jest.setTimeout(20 * 60 * 1000);

let sandbox: Sandbox;
const applied: Partial<Record<StackId, AppliedStack>> = {};

beforeAll(async () => {
  sandbox = await Sandbox.start();
  const results = await Promise.all(sandbox.stacks.map((s) => sandbox.apply(s)));
  for (const r of results) applied[r.stack] = r;
});

afterAll(async () => {
  await sandbox?.stop();
});

describe("the sandbox, every default stack", () => {
  test("applies at least 95 % of each stack; every resource not applied for real is named with its gap", () => {
    expect(sandbox.stacks).toEqual(["recovery", "multiaz", "web"]);
    for (const stack of sandbox.stacks) {
      const a = applied[stack]!;
      expect([stack, a.applied.length / a.resources.length >= 0.95]).toEqual([stack, true]);
      expect(a.applied.length + a.standIn.length + a.leftOut.length).toBe(a.resources.length);
      for (const r of [...a.standIn, ...a.leftOut]) expect(r.gap).toBe(GAPS[r.address.split(".")[0]]);
    }
    expect(applied.web!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
    expect(applied.multiaz!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
    expect(applied.multiaz!.standIn.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_dlm_lifecycle_policy\./)]);
    expect(applied.recovery!.leftOut).toEqual([]);
  });

  test("the outputs come from the applied stacks, the recovery model's included", async () => {
    const recovery = applied.recovery!.outputs;
    const figures = recovery.recovery as Record<string, Record<string, unknown>>;
    expect(figures.host).toMatchObject({ survives: true, rpo_kind: "zero" });
    expect(figures.az_outage).toMatchObject({ survives: false });
    const ec2 = new EC2Client(sandbox.clientConfig());
    const found = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [recovery.instance_id as string] }));
    expect(found.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe("running");
    for (const stack of sandbox.stacks) expect([stack, applied[stack]!.outputs.vpc_id]).toEqual([stack, expect.stringMatching(/^vpc-/)]);
    expect(await sandbox.remaining("web")).not.toEqual([]);
  });

  describe("the rehearsals (sandbox/rehearsals), each stack's one after the other, the stacks in parallel", () => {
    const results = new Map<string, RehearsalResult>();
    beforeAll(async () => {
      for (const r of (await Promise.all(sandbox.stacks.map((s) => rehearseStack(sandbox, applied[s]!)))).flat()) results.set(r.name, r);
    });
    test("the rehearsals have unique names and each names a stack this run applied", () => {
      expect(new Set(REHEARSALS.map((r) => r.name)).size).toBe(REHEARSALS.length);
      for (const r of REHEARSALS) expect([r.name, sandbox.stacks.includes(r.stack)]).toEqual([r.name, true]);
      expect([...results.keys()].sort()).toEqual(REHEARSALS.map((r) => r.name).sort());
    });
    for (const rehearsal of REHEARSALS) {
      test(`${rehearsal.name}: every check holds`, () => {
        const result = results.get(rehearsal.name)!;
        expect(result.checks.length).toBeGreaterThan(0);
        expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      });
    }
  });

  test("destroys every stack (web after turning its deletion protection off, as the README orders); nothing tagged remains", async () => {
    const destroyed = await Promise.all(sandbox.stacks.map((s) => sandbox.destroy(s)));
    expect(destroyed.map((d) => d.turnedOff)).toEqual([[], [], ["web.deletionProtection"]]);
    for (const stack of sandbox.stacks) expect([stack, await sandbox.remaining(stack)]).toEqual([stack, []]);
  });
});
