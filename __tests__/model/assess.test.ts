/**
 * The recovery rules on hand-written Terraform JSON: each test builds exactly the resources a
 * rule reads, so a failure points at the rule.
 */
import { DEFAULT_ASSUMPTIONS, RecoveryAssessment, SecondsRange, assessTerraformJson } from "../../model";
import { AZS, Resources, autoScalingGroup, recoveryServer, terraform, webTier } from "./support/fixtures";

const A = DEFAULT_ASSUMPTIONS;

/** The sum of ranges, the way an RTO adds its terms. */
function sum(...ranges: SecondsRange[]): SecondsRange {
  return { min: ranges.reduce((s, r) => s + r.min, 0), max: ranges.reduce((s, r) => s + r.max, 0) };
}

function assess(...parts: Resources[]): RecoveryAssessment {
  return assessTerraformJson("test", terraform(...parts));
}

const range = (r: SecondsRange | undefined) => (r ? { min: r.min, max: r.max } : undefined);

describe("CloudWatch recovery (recover alarm on a single instance)", () => {
  test("an instance failure is survived with the EBS volume: RTO = alarm detection + latency + EC2 recovery + service start", () => {
    // GIVEN the notes' recovery server with AWS's recommended 2 x 60 s recover alarm
    // WHEN assessed
    const { modes } = assess(recoveryServer({ recoverEvaluationPeriods: 2, periodSeconds: 60 }));

    // THEN it survives with nothing lost, and the RTO adds up from its terms
    expect(modes.instance.survives).toBe(true);
    expect(modes.instance.rpo).toEqual({ kind: "zero", reason: "EBS kept" });
    const detection = { min: 60, max: 120 };
    expect(range(modes.instance.rto)).toEqual(
      sum(detection, A.alarmLatency.seconds, A.ec2Recovery.seconds, A.serviceStartAtBoot.seconds),
    );
    expect(modes.instance.rto?.terms.map((t) => t.seconds)).toContainEqual(detection);
  });

  test("an AZ outage is not survived: the instance and its volume exist in one AZ only", () => {
    const { modes } = assess(recoveryServer({ az: "ap-northeast-2c" }));

    expect(modes.az.survives).toBe(false);
    expect(modes.az.rto).toBeUndefined();
    expect(modes.az.rpo.kind).toBe("everything");
    expect(modes.az.explanation).toContain("ap-northeast-2c");
  });

  test.each([
    [1, 5],
    [2, 5],
    [3, 5],
  ])("%i evaluation periods give an RTO smaller than %i by whole periods", (fewer, more) => {
    // GIVEN two recover alarms that differ only in evaluation periods
    const quick = assess(recoveryServer({ recoverEvaluationPeriods: fewer })).modes.instance.rto!;
    const slow = assess(recoveryServer({ recoverEvaluationPeriods: more })).modes.instance.rto!;

    // THEN the difference is exactly the extra periods, at both ends of the range
    expect(slow.min - quick.min).toBe((more - fewer) * 60);
    expect(slow.max - quick.max).toBe((more - fewer) * 60);
  });

  test("datapoints_to_alarm, not evaluation_periods, decides when an M-of-N alarm fires", () => {
    const tf = recoveryServer({ recoverEvaluationPeriods: 5 });
    tf.aws_cloudwatch_metric_alarm.recover.datapoints_to_alarm = 2;

    const m = assess(tf).modes.instance;

    expect(range(m.rto)).toEqual(range(assess(recoveryServer({ recoverEvaluationPeriods: 2 })).modes.instance.rto));
  });

  test("a reboot alarm alone does not survive a host failure", () => {
    const a = assess(recoveryServer({ withoutRecoverAlarm: true }));

    expect(a.mechanisms.map((m) => m.kind)).toContain("reboot-alarm");
    expect(a.modes.instance.survives).toBe(false);
    expect(a.modes.instance.rpo.kind).toBe("everything");
  });

  test("lists the alarms and the Elastic IP that recovery keeps", () => {
    const { mechanisms } = assess(recoveryServer());

    expect(mechanisms.map((m) => [m.kind, m.address])).toEqual([
      ["reboot-alarm", "aws_cloudwatch_metric_alarm.reboot"],
      ["recover-alarm", "aws_cloudwatch_metric_alarm.recover"],
      ["elastic-ip", "aws_eip.server"],
    ]);
    expect(mechanisms.find((m) => m.kind === "elastic-ip")?.detail).toContain("aws_instance.server");
  });
});

describe("Auto Scaling recovery (a group of one across AZs)", () => {
  test("survives both failure modes; RPO is the AMI interval; RTO = replacement start + launch + start from the image", () => {
    const { modes, mechanisms } = assess(autoScalingGroup({ image: "pipeline", intervalHours: 24 }));

    for (const mode of [modes.instance, modes.az]) {
      expect(mode.survives).toBe(true);
      expect(mode.rpo).toMatchObject({ kind: "interval", seconds: 24 * 3600 });
      expect(range(mode.rto)).toEqual(sum(A.asgReplacementStart.seconds, A.instanceLaunch.seconds, A.appStartFromImage.seconds));
    }
    expect(mechanisms.find((m) => m.kind === "auto-scaling-group")?.azs).toEqual(AZS);
    expect(mechanisms.find((m) => m.kind === "ami-pipeline")?.detail).toContain("every 24 h");
    expect(modes.instance.explanation).toContain("120 s health-check grace period");
  });

  test("a 1 h snapshot interval gives an RPO of 1 h", () => {
    const { modes } = assess(autoScalingGroup({ image: "pipeline", intervalHours: 1 }));

    expect(modes.instance.rpo).toMatchObject({ kind: "interval", seconds: 3600 });
    expect(modes.az.rpo).toMatchObject({ kind: "interval", seconds: 3600 });
  });

  test("a regional EFS makes the RPO zero in both modes", () => {
    const { modes, mechanisms } = assess(autoScalingGroup({ efs: "regional" }));

    expect(modes.instance.rpo.kind).toBe("zero");
    expect(modes.az.rpo.kind).toBe("zero");
    expect(mechanisms.find((m) => m.kind === "efs")?.azs).toEqual(AZS);
  });

  test("EFS One Zone keeps the data through an instance failure but not an AZ outage", () => {
    const { modes } = assess(autoScalingGroup({ efs: "one-zone", intervalHours: 6 }));

    expect(modes.instance.rpo.kind).toBe("zero");
    expect(modes.az.rpo).toMatchObject({ kind: "interval", seconds: 6 * 3600 });
  });

  test("a warm pool replaces launch and first start with a warm start: smaller RTO", () => {
    const cold = assess(autoScalingGroup()).modes;
    const warm = assess(autoScalingGroup({ warmPool: true })).modes;

    expect(range(warm.instance.rto)).toEqual(sum(A.asgReplacementStart.seconds, A.warmPoolStart.seconds, A.serviceStartAtBoot.seconds));
    expect(warm.instance.rto!.max).toBeLessThan(cold.instance.rto!.max);
    expect(warm.instance.rto!.min).toBeLessThan(cold.instance.rto!.min);
  });

  test("a warm pool without EFS loses what was written since the warm instance was launched", () => {
    expect(assess(autoScalingGroup({ warmPool: true })).modes.instance.rpo).toEqual({
      kind: "everything",
      reason: "a warm-pool instance keeps the disk it was launched with",
    });
    expect(assess(autoScalingGroup({ warmPool: true, efs: "regional" })).modes.instance.rpo.kind).toBe("zero");
  });

  test("in an AZ outage a warm pool helps only at best: its instance may be in the failed AZ", () => {
    const cold = assess(autoScalingGroup()).modes.az.rto!;
    const warm = assess(autoScalingGroup({ warmPool: true })).modes.az.rto!;

    expect(warm.min).toBeLessThan(cold.min);
    expect(warm.max).toBe(cold.max);
  });

  test("a fixed AMI loses everything since that AMI was made", () => {
    const { modes } = assess(autoScalingGroup({ image: "fixed" }));

    expect(modes.instance.rpo.kind).toBe("everything");
    expect(modes.instance.rpo.reason).toBe("written since ami-0123456789abcdef0 was made");
    expect(range(modes.instance.rto)).toEqual(sum(A.asgReplacementStart.seconds, A.instanceLaunch.seconds, A.appStartFromImage.seconds));
  });

  test("the public base image keeps nothing and installs the workload at first boot", () => {
    const base = assess(autoScalingGroup({ image: "base" })).modes.instance;

    expect(base.rpo.kind).toBe("everything");
    expect(range(base.rto)).toEqual(sum(A.asgReplacementStart.seconds, A.instanceLaunch.seconds, A.appStartFromBaseImage.seconds));
  });

  test("an image policy whose target tags the instances do not carry is no pipeline", () => {
    const { modes, mechanisms } = assess(autoScalingGroup({ image: "pipeline", dlmTargetTags: { Role: "something-else" } }));

    expect(mechanisms.map((m) => m.kind)).toContain("ami-pipeline");
    expect(modes.instance.rpo.kind).toBe("everything");
    expect(modes.instance.rpo.reason).toMatch(/no enabled image policy targets the group's instances/);
  });

  test("a group in one AZ survives an instance failure but not an AZ outage", () => {
    const { modes } = assess(autoScalingGroup({ azs: ["ap-northeast-2a"] }));

    expect(modes.instance.survives).toBe(true);
    expect(modes.az.survives).toBe(false);
    expect(modes.az.rto).toBeUndefined();
  });
});

describe("load-balanced web tier (static stability)", () => {
  test("the surviving instances serve once the load balancer's health check gives up on the lost one", () => {
    // GIVEN one instance per AZ behind an ALB checking every 5 s, timeout 2 s, unhealthy after 2
    const { modes } = assess(webTier());

    // THEN RTO = (2-1) x 5 + 2 .. 2 x 5 + 2 seconds in both modes, and nothing is stored
    for (const mode of [modes.instance, modes.az]) {
      expect(mode.survives).toBe(true);
      expect(range(mode.rto)).toEqual({ min: 7, max: 12 });
      expect(mode.rpo.kind).toBe("stateless");
    }
  });

  test("slower health checks give a larger RTO", () => {
    const { modes } = assess(webTier({ healthCheck: { interval: 10, timeout: 5, unhealthy_threshold: 3 } }));

    expect(range(modes.instance.rto)).toEqual({ min: 25, max: 35 });
  });

  test("a single instance behind the load balancer must be replaced, and registered before it serves", () => {
    const { modes } = assess(webTier({ minSize: 1 }));

    const terms = modes.instance.rto!.terms.map((t) => t.label);
    expect(modes.instance.survives).toBe(true);
    expect(terms).toHaveLength(5);
    expect(terms[0]).toMatch(/marks the target unhealthy/);
    expect(terms[4]).toMatch(/first health check of the new target/);
    expect(modes.instance.rto!.min).toBe(7 + A.asgReplacementStart.seconds.min + A.instanceLaunch.seconds.min + A.appStartFromBaseImage.seconds.min);
  });

  test("three instances over two AZs keep one serving when the AZ holding two fails", () => {
    const { modes } = assess(webTier({ azs: AZS.slice(0, 2), minSize: 3 }));

    expect(range(modes.az.rto)).toEqual({ min: 7, max: 12 });
    expect(modes.az.explanation).toMatch(/^1 of 3 instances/);
  });
});

describe("stacks without recovery", () => {
  test("no resources at all: no mechanism, nothing survived, everything lost", () => {
    const a = assessTerraformJson("empty", { resource: {} });

    expect(a.mechanisms).toEqual([]);
    for (const mode of [a.modes.instance, a.modes.az]) {
      expect(mode.survives).toBe(false);
      expect(mode.rto).toBeUndefined();
      expect(mode.rpo.kind).toBe("everything");
      expect(mode.explanation).toMatch(/no recovery mechanism/i);
    }
  });

  test("a bare instance survives nothing", () => {
    const a = assess({ aws_instance: { lonely: { instance_type: "t3.micro" } } });

    expect(a.mechanisms).toEqual([]);
    expect(a.modes.instance.survives).toBe(false);
    expect(a.modes.az.survives).toBe(false);
  });

  test("a stack is as weak as its weakest server", () => {
    const { modes } = assess(recoveryServer(), webTier());

    expect(modes.instance.survives).toBe(true);
    expect(modes.instance.rto!.max).toBe(assess(recoveryServer()).modes.instance.rto!.max);
    expect(modes.az.survives).toBe(false);
  });
});

describe("assumptions", () => {
  test("an override moves the RTO by exactly its change, and is reported as used", () => {
    const base = assessTerraformJson("r", terraform(recoveryServer()));
    const slower = assessTerraformJson("r", terraform(recoveryServer()), { ec2Recovery: { min: 300, max: 900 } });

    expect(slower.modes.instance.rto!.max - base.modes.instance.rto!.max).toBe(900 - A.ec2Recovery.seconds.max);
    expect(slower.assumptions.find((a) => a.key === "ec2Recovery")).toMatchObject({ seconds: { min: 300, max: 900 } });
  });

  test("lists only the assumptions the assessment relied on, each with a source", () => {
    const { assumptions } = assess(webTier());
    expect(assumptions).toEqual([]);

    const recovery = assess(recoveryServer()).assumptions;
    expect(recovery.map((a) => a.key).sort()).toEqual(["alarmLatency", "ec2Recovery", "serviceStartAtBoot"]);
    for (const a of recovery) expect(a.source.length).toBeGreaterThan(20);
  });

  test("fails on a range that is not one", () => {
    expect(() => assessTerraformJson("r", terraform(recoveryServer()), { instanceLaunch: { min: 200, max: 100 } })).toThrow(
      /instanceLaunch \(200-100 s\) must satisfy 0 <= min <= max/,
    );
  });
});
