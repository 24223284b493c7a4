/**
 * The model on the real stacks: with the default configuration it reproduces the notes'
 * comparison (REFERENCE.md, "The comparison to reproduce"), and configuration changes move the
 * numbers the way the notes and AWS say they should.
 */
import { StackName } from "../../config/schema";
import { DEFAULT_ASSUMPTIONS, RecoveryAssessment, assessTerraformJson } from "../../model";
import { Overrides, synthStack } from "../helpers";

/** The notes' RTO for both strategies: "about 10 minutes" (seed 004). */
const NOTES_RTO_SECONDS = 10 * 60;

function assessStack(name: StackName, overrides: Overrides = {}): RecoveryAssessment {
  return assessTerraformJson(name, synthStack(name, overrides).tf);
}

describe("the notes' comparison, with the default configuration", () => {
  test("CloudWatch recovery: RPO 0, survives a VM failure within ~10 min, not an AZ outage", () => {
    const { modes, mechanisms } = assessStack("recovery");

    expect(mechanisms.map((m) => m.kind)).toEqual(expect.arrayContaining(["recover-alarm", "reboot-alarm", "elastic-ip"]));
    expect(modes.instance.survives).toBe(true);
    expect(modes.instance.rpo.kind).toBe("zero");
    expect(modes.instance.rto!.max).toBeLessThanOrEqual(NOTES_RTO_SECONDS);
    expect(modes.az.survives).toBe(false);
  });

  test("Auto Scaling recovery: RPO = the snapshot interval, survives both within ~10 min", () => {
    const { modes, mechanisms } = assessStack("multiaz");

    expect(mechanisms.map((m) => m.kind)).toEqual(expect.arrayContaining(["auto-scaling-group", "ami-pipeline"]));
    for (const mode of [modes.instance, modes.az]) {
      expect(mode.survives).toBe(true);
      expect(mode.rpo).toMatchObject({ kind: "interval", seconds: 24 * 3600 });
      expect(mode.rto!.max).toBeLessThanOrEqual(NOTES_RTO_SECONDS);
    }
  });

  test("the stateless web tier loses nothing and rides out both failures on its other instances", () => {
    const { modes } = assessStack("web");

    for (const mode of [modes.instance, modes.az]) {
      expect(mode.survives).toBe(true);
      expect(mode.rpo.kind).toBe("stateless");
      // (2 - 1) x 5 s + 2 s .. 2 x 5 s + 2 s: the notes' failover exercise health check
      expect({ min: mode.rto!.min, max: mode.rto!.max }).toEqual({ min: 7, max: 12 });
    }
  });
});

describe("configuration changes move the numbers", () => {
  test("fewer recover-alarm evaluation periods: a smaller RTO, by whole periods", () => {
    const two = assessStack("recovery").modes.instance.rto!;
    const one = assessStack("recovery", { recovery: { recoverEvaluationPeriods: 1, rebootEvaluationPeriods: 3 } }).modes.instance.rto!;

    expect(two.max - one.max).toBe(60);
    expect(two.min - one.min).toBe(60);
  });

  test("a 1 h snapshot interval: an RPO of 1 h", () => {
    const { modes } = assessStack("multiaz", { multiaz: { amiPipeline: { intervalHours: 1 } } });

    expect(modes.instance.rpo).toMatchObject({ kind: "interval", seconds: 3600 });
    expect(modes.az.rpo).toMatchObject({ kind: "interval", seconds: 3600 });
  });

  test("EFS: an RPO of 0 in both modes", () => {
    const { modes, mechanisms } = assessStack("multiaz", { multiaz: { efs: { enabled: true } } });

    expect(mechanisms.map((m) => m.kind)).toContain("efs");
    expect(modes.instance.rpo.kind).toBe("zero");
    expect(modes.az.rpo.kind).toBe("zero");
  });

  test("a warm pool: a smaller RTO", () => {
    // (the stack accepts a warm pool only with the state on EFS: a warm instance's disk is older than the newest AMI)
    const cold = assessStack("multiaz", { multiaz: { efs: { enabled: true } } }).modes.instance.rto!;
    const warm = assessStack("multiaz", { multiaz: { efs: { enabled: true }, warmPool: { enabled: true } } });

    expect(warm.mechanisms.map((m) => m.kind)).toContain("warm-pool");
    expect(warm.modes.instance.rto!.max).toBeLessThan(cold.max);
    expect(warm.modes.instance.rto!.terms.map((t) => t.label)).toContain(DEFAULT_ASSUMPTIONS.warmPoolStart.label);
  });

  test("a fixed AMI instead of the pipeline: everything since that AMI is lost", () => {
    const ami = "ami-0123456789abcdef0";
    const { modes } = assessStack("multiaz", { multiaz: { amiPipeline: { enabled: false }, fixedAmiId: ami } });

    expect(modes.instance.rpo).toEqual({ kind: "everything", reason: `written since ${ami} was made` });
  });

  test("slower web health checks: a larger RTO", () => {
    const { modes } = assessStack("web", { web: { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, unhealthyThreshold: 3 } } });

    expect({ min: modes.instance.rto!.min, max: modes.instance.rto!.max }).toEqual({ min: 70, max: 100 });
  });
});
