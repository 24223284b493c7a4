/**
 * Every stack applied to the emulator, rehearsed and destroyed, on two emulators at once, each
 * stack on its own way (sandbox/lifecycle.ts):
 * - the default stacks;
 * - every variant stack (modules/variants.ts: HTTPS, step scaling, EFS, EFS + warm pool) and the
 *   recovery stack with isolated subnets on (`network.isolatedSubnets`, a configuration of the
 *   network every stack shares, scan/variants.ts), so each variant and the isolated tier with
 *   every base stack (multiaz and web through their variants) are applied with 8 stacks in all
 *   instead of 13 (the tier is modules/reference-stack.ts's VPC, the same in every stack).
 * What the pinned emulator lacks is named, at least 95 % of each stack is applied, the outputs
 * (the recovery model's included) come from the applied state, every registered rehearsal of
 * these stacks passes, a stack with destroy blockers has them turned off (its own, applying
 * only what they change in it) before its destroy, and after destroy nothing tagged with the
 * stack remains.
 */
import { STACK_NAMES, StackId } from "../../config/schema";
import { resolveConfig } from "../../config/load";
import { STACK_VARIANTS, baseOf } from "../../modules/variants";
import { CONFIGURATION_VARIANTS } from "../../scan/variants";
import { EmulatorRun, appliedSummary, rehearsalsOf, runSandbox } from "./emulator-run";

jest.setTimeout(20 * 60 * 1000);

const DEFAULTS: StackId[] = [...STACK_NAMES];
const VARIANTS: StackId[] = STACK_VARIANTS.map((v) => v.id);
const ISOLATED = CONFIGURATION_VARIANTS.find((v) => v.name === "isolated")!;
/** The second emulator's stacks: every variant, and recovery (no variant of its own) so that each base stack has the isolated tier once. */
const WITH_ISOLATED: StackId[] = [...VARIANTS, "recovery"];
const isolatedSubnet = (address: string) => /^aws_subnet\..*isolated/.test(address);

let runs: { name: string; run: EmulatorRun; stacks: StackId[] }[];

beforeAll(async () => {
  const [defaults, variants] = await Promise.all([
    runSandbox({ stacks: DEFAULTS }),
    runSandbox({ config: resolveConfig(ISOLATED.overrides), stacks: WITH_ISOLATED }),
  ]);
  runs = [
    { name: "defaults", run: defaults, stacks: DEFAULTS },
    { name: "variant stacks and recovery, isolated subnets", run: variants, stacks: WITH_ISOLATED },
  ];
});

const each = (body: (r: (typeof runs)[number]) => void) => () => runs.forEach(body);

describe("the sandbox, every stack and variant", () => {
  test("the variant stacks and the second recovery stack are applied with the isolated tier, the default stacks without", () => {
    expect(ISOLATED.overrides).toEqual({ network: { isolatedSubnets: true } });
    expect(new Set(WITH_ISOLATED.map(baseOf))).toEqual(new Set(STACK_NAMES));
    for (const stack of WITH_ISOLATED) expect([stack, runs[1].run.stacks[stack]!.applied!.resources.filter(isolatedSubnet).length]).toEqual([stack, 3]);
    for (const stack of DEFAULTS) expect([stack, runs[0].run.stacks[stack]!.applied!.resources.filter(isolatedSubnet)]).toEqual([stack, []]);
  });

  test(
    "applies at least 95 % of each stack; every resource not applied for real is named with its gap",
    each(({ run, stacks }) => {
      expect(run.sandbox.stacks).toEqual(stacks);
      for (const stack of stacks) expect(appliedSummary(run.stacks[stack]!.applied!)).toEqual({ stack, atTarget: true, accounted: true, gapsNamed: true });
      if (run !== runs[0].run) return;
      const { recovery, multiaz, web } = run.stacks;
      expect(web!.applied!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
      expect(multiaz!.applied!.leftOut.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_autoscaling_notification\./)]);
      expect(multiaz!.applied!.standIn.map((r) => r.address)).toEqual([expect.stringMatching(/^aws_dlm_lifecycle_policy\./)]);
      expect(recovery!.applied!.leftOut).toEqual([]);
    }),
  );

  test("the recovery stack's outputs come from the applied stack, the recovery model's included", () => {
    const recovery = runs[0].run.stacks.recovery!;
    const figures = recovery.applied!.outputs.recovery as Record<string, Record<string, unknown>>;
    expect(figures.host).toMatchObject({ survives: true, rpo_kind: "zero" });
    expect(figures.az_outage).toMatchObject({ survives: false });
    expect(recovery.whileUp!.instanceState).toBe("running");
  });

  test(
    "every stack's outputs come from its applied state; the emulator holds its tagged resources while it is up",
    each(({ run, stacks }) => {
      for (const stack of stacks) {
        expect([stack, run.stacks[stack]!.applied!.outputs.vpc_id]).toEqual([stack, expect.stringMatching(/^vpc-/)]);
        expect([stack, run.stacks[stack]!.whileUp!.tagged > 0]).toEqual([stack, true]);
      }
    }),
  );

  test(
    "every registered rehearsal of these stacks ran once and every check holds",
    each(({ run, stacks }) => {
      const results = stacks.flatMap((s) => run.stacks[s]!.rehearsals);
      const names = rehearsalsOf(stacks).map((r) => r.name);
      expect(names.length).toBeGreaterThan(0);
      expect(results.map((r) => r.name).sort()).toEqual(names.sort());
      for (const r of results) {
        expect([r.name, r.checks.length > 0]).toEqual([r.name, true]);
        expect([r.name, r.checks.filter((c) => !c.ok)]).toEqual([r.name, []]);
      }
    }),
  );

  test(
    "each stack with destroy blockers has its own turned off, applying only what they change in it, before its destroy",
    each(({ run, stacks }) => {
      const web = stacks.filter((s) => baseOf(s) === "web");
      expect(web.length).toBeGreaterThan(0);
      for (const stack of web) {
        const s = run.stacks[stack]!;
        const lb = s.applied!.resources.filter((a) => a.startsWith("aws_lb."));
        expect(lb).toHaveLength(1);
        expect({ stack, turnedOff: s.destroyed!.turnedOff, targeted: s.destroyed!.targeted }).toEqual({
          stack,
          turnedOff: ["web.deletionProtection"],
          targeted: lb,
        });
        expect({ stack, applied: s.whileUp!.deletionProtection, beforeDestroy: s.deletionProtectionBeforeDestroy }).toEqual({
          stack,
          applied: "true",
          beforeDestroy: "false",
        });
      }
    }),
  );

  test(
    "destroys every stack; nothing tagged with it remains",
    each(({ run, stacks }) => {
      for (const stack of stacks) {
        const s = run.stacks[stack]!;
        expect({ stack, turnedOff: s.destroyed!.turnedOff, remaining: s.remaining }).toEqual({
          stack,
          turnedOff: baseOf(stack) === "web" ? ["web.deletionProtection"] : [],
          remaining: [],
        });
      }
    }),
  );
});
