/**
 * Every default stack applied to the emulator and destroyed, on one emulator (the stacks apply in
 * parallel): what the pinned emulator lacks is named, at least 95 % of each stack is applied,
 * the outputs (the recovery model's included) come from the applied state, every rehearsal of
 * these stacks passes, and after destroy nothing tagged with the stack remains. The variants
 * are variants.emulator.test.ts's.
 */
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { StackId } from "../../config/schema";
import { RehearsalResult } from "../../sandbox/rehearsals/rehearsal";
import { EmulatorRun, appliedSummary, destroyAll, rehearsalsOf, rehearseAll, startAndApply } from "./emulator-run";

jest.setTimeout(20 * 60 * 1000);

const STACKS: StackId[] = ["recovery", "multiaz", "web"];
let run: EmulatorRun;

beforeAll(async () => {
  run = await startAndApply({});
});

afterAll(async () => {
  await run?.sandbox.stop();
});

describe("the sandbox, every default stack", () => {
  test("applies at least 95 % of each stack; every resource not applied for real is named with its gap", () => {
    expect(run.sandbox.stacks).toEqual(STACKS);
    for (const stack of STACKS) expect(appliedSummary(run.applied[stack]!)).toEqual({ stack, atTarget: true, accounted: true, gapsNamed: true });
    const { recovery, multiaz, web } = run.applied;
    expect(web!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
    expect(multiaz!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
    expect(multiaz!.standIn.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_dlm_lifecycle_policy\./)]);
    expect(recovery!.leftOut).toEqual([]);
  });

  test("the outputs come from the applied stacks, the recovery model's included", async () => {
    const recovery = run.applied.recovery!.outputs;
    const figures = recovery.recovery as Record<string, Record<string, unknown>>;
    expect(figures.host).toMatchObject({ survives: true, rpo_kind: "zero" });
    expect(figures.az_outage).toMatchObject({ survives: false });
    const ec2 = new EC2Client(run.sandbox.clientConfig());
    const found = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [recovery.instance_id as string] }));
    expect(found.Reservations?.[0]?.Instances?.[0]?.State?.Name).toBe("running");
    for (const stack of STACKS) expect([stack, run.applied[stack]!.outputs.vpc_id]).toEqual([stack, expect.stringMatching(/^vpc-/)]);
    expect(await run.sandbox.remaining("web")).not.toEqual([]);
  });

  describe("the rehearsals (sandbox/rehearsals), each stack's one after the other, the stacks in parallel", () => {
    let results: Map<string, RehearsalResult>;
    beforeAll(async () => {
      results = await rehearseAll(run);
    });
    test("every rehearsal of these stacks ran, each name once", () => {
      const names = rehearsalsOf(STACKS).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      expect([...results.keys()].sort()).toEqual(names.sort());
    });
    for (const rehearsal of rehearsalsOf(STACKS)) {
      test(`${rehearsal.name}: every check holds`, () => {
        const result = results.get(rehearsal.name)!;
        expect(result.checks.length).toBeGreaterThan(0);
        expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      });
    }
  });

  test("destroys every stack (web after turning its deletion protection off, as the README orders); nothing tagged remains", async () => {
    expect(await destroyAll(run)).toEqual([
      { stack: "recovery", turnedOff: [], remaining: [] },
      { stack: "multiaz", turnedOff: [], remaining: [] },
      { stack: "web", turnedOff: ["web.deletionProtection"], remaining: [] },
    ]);
  });
});
