/**
 * The model on the real stacks: with the default configuration it keeps the book's comparison
 * (CloudWatch recovery: nothing lost, dies with its AZ; Auto Scaling across AZs: survives the
 * AZ, loses what was written since the last image), every (stack, mode) has a verdict, and
 * configuration changes move the percentiles the way AWS's behaviour says they should.
 */
import { StackName } from "../../config/schema";
import { DEFAULT_ASSUMPTIONS, FAILURE_MODES, RecoveryAssessment, assessTerraformJson } from "../../model";
import { termsOf } from "../../model/simulate";
import { GRACE_PERIOD_KEYS } from "../../model/assess";
import { Overrides, config, synthStack } from "../helpers";

/** The book's RTO for both strategies: "about 10 minutes". */
const BOOK_RTO_SECONDS = 10 * 60;

function assessStack(name: StackName, overrides: Overrides = {}): RecoveryAssessment {
  return assessTerraformJson(name, synthStack(name, overrides).tf);
}

describe("the book's comparison, with the default configuration", () => {
  test("CloudWatch recovery: RPO 0, a host failure healed in about 10 min, not an AZ outage (its data unavailable, not lost)", () => {
    const { modes, mechanisms } = assessStack("recovery");

    expect(mechanisms.map((m) => m.kind)).toEqual(
      expect.arrayContaining(["recover-alarm", "reboot-alarm", "elastic-ip", "simplified-recovery", "process-restart"]),
    );
    expect(modes.host.outcome).toBe("healed");
    expect(modes.host.rpo.kind).toBe("zero");
    expect(modes.host.rto!.p90).toBeLessThanOrEqual(BOOK_RTO_SECONDS);
    expect(modes["az-outage"].outcome).toBe("not-survived");
    expect(modes["az-outage"].rpo.kind).toBe("unavailable");
  });

  test("Auto Scaling recovery: survives a host failure and an AZ outage, losing up to the interval plus DLM's window, creation and publication", () => {
    const { modes, mechanisms } = assessStack("multiaz");

    expect(mechanisms.map((m) => m.kind)).toEqual(expect.arrayContaining(["auto-scaling-group", "ami-pipeline", "endpoint-takeover", "image-age-alarm"]));
    for (const mode of [modes.host, modes["az-outage"]]) {
      expect(mode.outcome).toBe("healed");
      expect(mode.rpo).toMatchObject({ kind: "bounded", estimate: { hull: { max: 86400 + 3600 + 3600 + 60 } } });
    }
    expect(modes.host.rto!.p90).toBeLessThanOrEqual(BOOK_RTO_SECONDS);
    // The takeover is a term of the replacement, run while the instance boots.
    expect(termsOf(modes.host.rto!.routes[0].steps).map((t) => t.label)).toContain(DEFAULT_ASSUMPTIONS.endpointTakeover.label);
    // The takeover failure and a pipeline stall are alarmed on the stack's topic.
    expect(modes["eip-takeover"].outcome).toBe("alarmed");
    expect(modes["ami-stall"]).toMatchObject({ outcome: "alarmed", rpo: { kind: "growing", alarmAtSeconds: 93600 + 2 * 3600 } });
  });

  test("the stateless web tier loses nothing and rides out host failures on its other instances within the health check", () => {
    const { modes } = assessStack("web");

    for (const mode of [modes.host, modes["guest-os"], modes["app-hang"], modes["control-plane"]]) {
      expect(mode.outcome).toBe("healed");
      expect(mode.rpo.kind).toBe("stateless");
      // (2 - 1) x 5 s + 2 s .. 2 x 5 s + 2 s
      expect(mode.rto!.hull).toEqual({ min: 7, max: 12 });
    }
    expect(modes["az-outage"].rto!.dominant.label).toBe(DEFAULT_ASSUMPTIONS.lbNodeFailover.label);
  });

  test.each<StackName>(["recovery", "multiaz", "web"])("stack %s: every mode has a verdict and a claim", (name) => {
    const { modes } = assessStack(name);

    expect(Object.keys(modes)).toEqual([...FAILURE_MODES]);
    for (const mode of FAILURE_MODES) expect(modes[mode].claim.band).not.toBe("");
  });

  test("app crashes are healed by systemd everywhere; hangs by the watchdog (recovery, multiaz) or the load balancer (web)", () => {
    for (const name of ["recovery", "multiaz", "web"] as const) {
      const { modes } = assessStack(name);
      expect(modes["app-crash"].outcome).toBe("healed");
      expect(modes["app-hang"].outcome).toBe("healed");
    }
    expect(assessStack("recovery").modes["app-hang"].explanation).toMatch(/reboots the guest/);
    expect(assessStack("multiaz").modes["app-hang"].explanation).toMatch(/powers the instance off/);
    // The watchdog heals on the data plane: the disk stays.
    expect(assessStack("multiaz").modes["app-hang"].rpo.kind).toBe("zero");
  });
});

describe("configuration changes move the percentiles", () => {
  test("fewer recover-alarm evaluation periods: a smaller host-failure RTO", () => {
    const two = assessStack("recovery").modes.host.rto!;
    const one = assessStack("recovery", { recovery: { recoverEvaluationPeriods: 1, rebootEvaluationPeriods: 3 } }).modes.host.rto!;

    expect(one.p50).toBeLessThan(two.p50);
    expect(one.p90).toBeLessThan(two.p90);
    expect(one.hull.min).toBe(two.hull.min - 60);
  });

  test("the book's 5 periods instead of 2: the reboot alarm (3) now fires first, which the explanation says", () => {
    const { modes } = assessStack("recovery", { recovery: { recoverEvaluationPeriods: 5 } });

    expect(modes.host.explanation).toMatch(/fires first and reboots on the failed host/);
  });

  test("a 1 h snapshot interval: a far smaller RPO bound and median", () => {
    const daily = assessStack("multiaz").modes.host.rpo;
    const hourly = assessStack("multiaz", { multiaz: { amiPipeline: { intervalHours: 1 } } }).modes.host.rpo;

    if (daily.kind !== "bounded" || hourly.kind !== "bounded") throw new Error("bounded RPO expected");
    expect(hourly.estimate.hull.max).toBe(3600 + 3600 + 3600 + 60);
    expect(hourly.estimate.p50).toBeLessThan(daily.estimate.p50);
  });

  test("EFS: an RPO of 0 in every mode that replaces the server", () => {
    const { modes, mechanisms } = assessStack("multiaz", { multiaz: { efs: { enabled: true } } });

    expect(mechanisms.map((m) => m.kind)).toContain("efs");
    expect(modes.host.rpo.kind).toBe("zero");
    expect(modes["az-outage"].rpo.kind).toBe("zero");
  });

  test("the root volume goes with a replaced server (the stacks' delete_on_termination), and instance store only with a type that has it", () => {
    const plain = assessStack("multiaz").modes;
    const withStore = assessStack("multiaz", { multiaz: { instanceType: "m5d.large" } }).modes;
    const recovery = assessStack("recovery", { recovery: { instanceType: "x2idn.16xlarge" } }).modes;

    expect(plain.host.rpo.reason).toMatch(/the failed instance's root volume is deleted with it$/);
    expect(plain.host.rpo.reason).not.toMatch(/instance store/);
    expect(withStore.host.rpo.reason).toMatch(
      /data on instance store \(m5d\.large comes with instance store volumes\): lost, the failed instance is terminated and replaced$/,
    );
    expect(withStore["app-crash"].rpo.reason).toMatch(/data on instance store \(m5d\.large .*\): kept, the instance stays on its host$/);
    expect(recovery.host.rpo).toMatchObject({
      kind: "zero",
      reason: expect.stringMatching(/^EBS kept; .*lost, EC2 recovery moves the instance to other hardware$/),
    });
    expect(assessStack("recovery").modes.host.rpo.reason).toBe("EBS kept");
  });

  test("a warm pool: a smaller host-failure RTO", () => {
    // (the stack accepts a warm pool only with the state on EFS: a warm instance's disk is older than the newest AMI)
    const cold = assessStack("multiaz", { multiaz: { efs: { enabled: true } } }).modes.host.rto!;
    const warm = assessStack("multiaz", { multiaz: { efs: { enabled: true }, warmPool: { enabled: true } } });

    expect(warm.mechanisms.map((m) => m.kind)).toContain("warm-pool");
    expect(warm.modes.host.rto!.p50).toBeLessThan(cold.p50);
  });

  test("a fixed AMI instead of the pipeline: everything since that AMI is lost, and no pipeline can stall", () => {
    const ami = "ami-0123456789abcdef0";
    const { modes } = assessStack("multiaz", { multiaz: { amiPipeline: { enabled: false }, fixedAmiId: ami } });

    expect(modes.host.rpo).toEqual({ kind: "everything", reason: `written since ${ami} was made` });
    expect(modes["ami-stall"].outcome).toBe("not-applicable");
  });

  test("slower web health checks: every percentile up", () => {
    const fast = assessStack("web").modes.host.rto!;
    const slow = assessStack("web", { web: { healthCheck: { intervalSeconds: 30, timeoutSeconds: 10, unhealthyThreshold: 3 } } }).modes.host.rto!;

    expect(slow.hull).toEqual({ min: 70, max: 100 });
    for (const p of ["p50", "p90", "p99"] as const) expect(slow[p]).toBeGreaterThan(fast[p]);
  });
});

describe("the grace-period warning on the real stacks", () => {
  const boot = (image: "appStartFromImage" | "appStartFromBaseImage") =>
    DEFAULT_ASSUMPTIONS.instanceLaunch.seconds.max + DEFAULT_ASSUMPTIONS[image].seconds.max;

  test("multiaz: a grace period shorter than launch plus boot warns, naming the configuration key and the fix", () => {
    const short = boot("appStartFromImage") - 30;
    const { warnings } = assessStack("multiaz", { multiaz: { healthCheckGracePeriodSeconds: short } });
    expect(warnings).toEqual([
      {
        setting: "multiaz.healthCheckGracePeriodSeconds",
        resource: expect.stringMatching(/^aws_autoscaling_group\..+\.health_check_grace_period$/),
        message: expect.stringMatching(
          new RegExp(
            `^multiaz\\.healthCheckGracePeriodSeconds \\(${short} s\\) is shorter than the model's longest launch and boot \\(${boot("appStartFromImage")} s: .*; set multiaz\\.healthCheckGracePeriodSeconds to at least ${boot("appStartFromImage")}$`,
          ),
        ),
      },
    ]);
  });

  test("multiaz: the default 300 s outlasts a boot from the pipeline's image, not a first boot from the base image", () => {
    expect(assessStack("multiaz").warnings).toEqual([]);
    const base = assessStack("multiaz", { multiaz: { amiPipeline: { enabled: false } } }).warnings;
    expect(base.map((w) => [w.setting, w.message.match(/\((\d+) s: /)?.[1]])).toEqual([
      ["multiaz.healthCheckGracePeriodSeconds", String(boot("appStartFromBaseImage"))],
    ]);
  });

  test("web: its launch hook waits until the instance answers, so even no grace period is safe", () => {
    expect(assessStack("web", { web: { healthCheckGracePeriodSeconds: 0 } }).warnings).toEqual([]);
  });

  test("the keys the warning names are keys of the configuration", () => {
    const cfg = config();
    for (const key of Object.values(GRACE_PERIOD_KEYS)) {
      const value = key.split(".").reduce<any>((o, k) => o?.[k], cfg);
      expect([key, typeof value]).toEqual([key, "number"]);
    }
  });
});

describe("the launch-error claim of a control-plane impairment, from the model's own terms", () => {
  test("multiaz: the first failed launch follows the group's detection of the failed host (status check, then Auto Scaling's wait)", () => {
    const { modes } = assessStack("multiaz");
    const within = DEFAULT_ASSUMPTIONS.statusCheckReport.seconds.max + DEFAULT_ASSUMPTIONS.asgImpairedWait.seconds.max;
    expect(modes["control-plane"]).toMatchObject({ outcome: "alarmed", claim: { withinSeconds: within } });
    expect(modes["control-plane"].claim.band).toMatch(/^aws_autoscaling_group\..+ tells the topic within 6 min; no automatic recovery of the endpoint$/);
  });

  test("a longer measured wait moves the claim by as much", () => {
    const slower = assessTerraformJson("multiaz", synthStack("multiaz").tf, { asgImpairedWait: { samples: [200, 500] } });
    expect(slower.modes["control-plane"].claim.withinSeconds).toBe(DEFAULT_ASSUMPTIONS.statusCheckReport.seconds.max + 500);
  });
});
