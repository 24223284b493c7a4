/**
 * The recovery rules on hand-written Terraform JSON: each test builds exactly the resources a
 * rule reads, so a failure points at the rule.
 */
import { DEFAULT_ASSUMPTIONS, FAILURE_MODES, RecoveryAssessment, Route, assessTerraformJson } from "../../model";
import { takeInventory } from "../../model/inventory";
import { termsOf } from "../../model/simulate";
import { ResourceGraph } from "../../lib/resource-graph";
import { AZS, Resources, autoScalingGroup, recoveryServer, terraform, webTier } from "./support/fixtures";

const A = DEFAULT_ASSUMPTIONS;

function assess(...parts: Resources[]): RecoveryAssessment {
  return assessTerraformJson("test", terraform(...parts));
}

const labels = (route: Route) => termsOf(route.steps).map((t) => t.label);
const routeNamed = (routes: readonly Route[] | undefined, pattern: RegExp) => routes?.find((r) => pattern.test(r.mechanism));

describe("every mode is assessed, none missing", () => {
  test.each([
    ["a recovered server", recoveryServer()],
    ["a group of one", autoScalingGroup()],
    ["a web tier", webTier()],
    ["nothing at all", {}],
  ])("%s: all nine modes with an outcome, a mechanism and a claim; percentiles ordered inside the hull", (_name, tf) => {
    const a = assess(tf);

    expect(Object.keys(a.modes)).toEqual([...FAILURE_MODES]);
    for (const mode of FAILURE_MODES) {
      const m = a.modes[mode];
      expect(["healed", "alarmed", "not-survived", "not-applicable"]).toContain(m.outcome);
      expect(m.survives).toBe(m.outcome === "healed");
      expect(m.claim.band.length).toBeGreaterThan(0);
      if (m.outcome === "healed") {
        const r = m.rto!;
        expect(r.hull.min).toBeLessThanOrEqual(r.p50);
        expect(r.p50).toBeLessThanOrEqual(r.p90);
        expect(r.p90).toBeLessThanOrEqual(r.p99);
        expect(r.p99).toBeLessThanOrEqual(r.hull.max);
        expect(m.claim.withinSeconds).toBe(Math.ceil(r.hull.max));
        expect(labels(r.routes[0])).toContain(r.dominant.label);
      } else {
        expect(m.rto).toBeUndefined();
      }
    }
  });

  test("the same stack always gives the same figures (the generator starts from a fixed state)", () => {
    const first = assess(autoScalingGroup());
    const second = assess(autoScalingGroup());

    expect(second.modes.host.rto!.p99).toBe(first.modes.host.rto!.p99);
    expect(second.modes["az-outage"].rto!.p50).toBe(first.modes["az-outage"].rto!.p50);
  });
});

describe("a single recovered server (recover and reboot alarms)", () => {
  test("host failure: the recover alarm races simplified automatic recovery; the alarm's route is detection + latency + recovery + start", () => {
    const { modes } = assess(recoveryServer({ recoverEvaluationPeriods: 2, periodSeconds: 60 }));

    const host = modes.host;
    expect(host.outcome).toBe("healed");
    expect(host.rpo).toEqual({ kind: "zero", reason: "EBS kept" });
    expect(host.rto!.routes.map((r) => r.mechanism)).toEqual([
      "recover alarm aws_cloudwatch_metric_alarm.recover -> EC2 recovery",
      "EC2 simplified automatic recovery",
    ]);
    // The race ends with the first route: its hull is the smallest minimum and the smallest maximum.
    const alarmRoute = {
      min: 60 + 0 + A.ec2Recovery.seconds.min + A.serviceStartAtBoot.seconds.min,
      max: 120 + 60 + A.ec2Recovery.seconds.max + A.serviceStartAtBoot.seconds.max,
    };
    const simplified = {
      min: A.simplifiedRecoveryStart.seconds.min + A.ec2Recovery.seconds.min + A.serviceStartAtBoot.seconds.min,
      max: A.simplifiedRecoveryStart.seconds.max + A.ec2Recovery.seconds.max + A.serviceStartAtBoot.seconds.max,
    };
    expect(host.rto!.hull).toEqual({ min: Math.min(alarmRoute.min, simplified.min), max: Math.min(alarmRoute.max, simplified.max) });
    expect(host.rto!.dominant.label).toBe(A.ec2Recovery.label);
    expect(host.explanation).toMatch(/reboot alarm .* fires after the recover alarm/);
  });

  test("without simplified recovery only the alarm heals a host failure, and fewer periods move every percentile down by about a period", () => {
    const two = assess(recoveryServer({ autoRecovery: "disabled", recoverEvaluationPeriods: 2 })).modes.host.rto!;
    const one = assess(recoveryServer({ autoRecovery: "disabled", recoverEvaluationPeriods: 1, rebootEvaluationPeriods: 3 })).modes.host.rto!;

    expect(two.routes).toHaveLength(1);
    expect(two.hull.min - one.hull.min).toBe(60);
    expect(two.hull.max - one.hull.max).toBe(60);
    for (const p of ["p50", "p90", "p99"] as const) {
      expect(two[p] - one[p]).toBeGreaterThan(40);
      expect(two[p] - one[p]).toBeLessThan(80);
    }
  });

  test("datapoints_to_alarm, not evaluation_periods, decides when an M-of-N alarm fires", () => {
    const tf = recoveryServer({ autoRecovery: "disabled", recoverEvaluationPeriods: 5 });
    tf.aws_cloudwatch_metric_alarm.recover.datapoints_to_alarm = 2;

    expect(assess(tf).modes.host.rto!.hull).toEqual(assess(recoveryServer({ autoRecovery: "disabled", recoverEvaluationPeriods: 2 })).modes.host.rto!.hull);
  });

  test("guest OS failure: healed by the reboot alarm; without it the status-check alarm that notifies only alarms", () => {
    const healed = assess(recoveryServer()).modes["guest-os"];
    expect(healed.outcome).toBe("healed");
    expect(labels(healed.rto!.routes[0])).toEqual([
      "alarm aws_cloudwatch_metric_alarm.reboot: 3 breaching period(s) of 60 s",
      A.alarmLatency.label,
      A.ec2Reboot.label,
      A.serviceStartAtBoot.label,
    ]);

    const noReboot = assess(recoveryServer({ withoutRebootAlarm: true })).modes["guest-os"];
    expect(noReboot.outcome).toBe("not-survived");
    expect(noReboot.explanation).toMatch(/recovery acts on the system check only/);
  });

  test("a reboot alarm alone does not heal a host failure, but it tells the topic when the host check alarm is gone too", () => {
    const a = assess(recoveryServer({ withoutRecoverAlarm: true, autoRecovery: "disabled" }));

    expect(a.mechanisms.map((m) => m.kind)).toContain("reboot-alarm");
    expect(a.modes.host.outcome).toBe("not-survived");
    expect(a.modes.host.rpo.kind).toBe("zero");
  });

  test("app crash: systemd's restart heals it in RestartSec + the app's start; without Restart= nothing does", () => {
    const healed = assess(recoveryServer({ workload: { restart: "always", restartSeconds: 2 } })).modes["app-crash"];
    expect(healed.outcome).toBe("healed");
    expect(healed.rto!.hull).toEqual({ min: 2 + A.appRestart.seconds.min, max: 2 + A.appRestart.seconds.max });

    expect(assess(recoveryServer({ workload: {} })).modes["app-crash"].outcome).toBe("not-survived");
  });

  test("app hang: systemd does not notice it; the watchdog's probes restart the apps", () => {
    const bare = assess(recoveryServer({ workload: { restart: "always" } })).modes["app-hang"];
    expect(bare.outcome).toBe("not-survived");

    const watched = assess(recoveryServer({ workload: { restart: "always", watchdog: { interval: 10, timeout: 2, failures: 3, escalation: "reboot" } } }));
    const hang = watched.modes["app-hang"];
    expect(hang.outcome).toBe("healed");
    // (3 - 1) x (10 + 2) + 2 .. the same + 10 seconds of probes, then the restart
    expect(hang.rto!.hull).toEqual({ min: 26 + A.appRestart.seconds.min, max: 36 + A.appRestart.seconds.max });
    expect(hang.explanation).toMatch(/reboots the guest/);
    expect(watched.mechanisms.map((m) => m.kind)).toContain("health-watchdog");
  });

  test("AZ outage: not survived, and the data is unavailable until the AZ returns, not lost", () => {
    const { modes } = assess(recoveryServer({ az: "ap-northeast-2c" }));

    expect(modes["az-outage"].outcome).toBe("not-survived");
    expect(modes["az-outage"].rpo.kind).toBe("unavailable");
    expect(modes["az-outage"].explanation).toContain("ap-northeast-2c");
  });

  test("instance store: EC2 recovery and an AZ's power loss lose it, a reboot or a restart keeps it; the EBS volume is kept either way", () => {
    const modes = assess(recoveryServer({ instanceType: "x2idn.16xlarge", workload: { restart: "always" } })).modes;
    const lost = (why: string) => `data on instance store (x2idn.16xlarge comes with instance store volumes): lost, ${why}`;
    const kept = "data on instance store (x2idn.16xlarge comes with instance store volumes): kept, the instance stays on its host";

    expect(modes.host.rpo).toMatchObject({ kind: "zero", reason: `EBS kept; ${lost("EC2 recovery moves the instance to other hardware")}` });
    expect(modes["az-outage"].rpo.kind).toBe("unavailable");
    expect(modes["az-outage"].rpo.reason).toContain(lost("the instance loses power or is stopped with its AZ"));
    expect(modes["guest-os"].rpo.reason).toBe(`EBS kept; ${kept}`);
    expect(modes["app-crash"].rpo.reason).toBe(`EBS kept; ${kept}`);
    expect(assess(recoveryServer()).modes.host.rpo.reason).toBe("EBS kept");
  });

  test("an instance's own root_block_device says whether its volume goes with it; EC2 recovery keeps the volume either way", () => {
    const server = (o: Parameters<typeof recoveryServer>[0]) => takeInventory(ResourceGraph.fromTerraformJson(terraform(recoveryServer(o)))).servers[0];
    expect(server({}).rootDeletedOnTermination).toBe(true);
    expect(server({ deleteOnTermination: true }).rootDeletedOnTermination).toBe(true);
    expect(server({ deleteOnTermination: false }).rootDeletedOnTermination).toBe(false);
    expect(server({ instanceType: "i4i.large" }).instanceStore).toBe("i4i.large comes with instance store volumes");
    expect(server({}).instanceStore).toBeUndefined();
    for (const deleteOnTermination of [true, false]) {
      expect(assess(recoveryServer({ deleteOnTermination })).modes.host.rpo).toEqual({ kind: "zero", reason: "EBS kept" });
    }
  });

  test("no Elastic IP takeover and no image pipeline: those modes do not apply, and say why", () => {
    const { modes } = assess(recoveryServer());

    expect(modes["eip-takeover"]).toMatchObject({ outcome: "not-applicable" });
    expect(modes["eip-takeover"].explanation).toMatch(/keeps its Elastic IP/);
    expect(modes["ami-stall"]).toMatchObject({ outcome: "not-applicable" });
  });

  test("control-plane impairment: EC2 recovery is a control-plane action; the recovery-failure event tells the topic", () => {
    expect(assess(recoveryServer({ recoveryEvents: true })).modes["control-plane"]).toMatchObject({ outcome: "alarmed" });
    expect(assess(recoveryServer({ recoveryEvents: false, withoutRecoverAlarm: true, withoutRebootAlarm: true })).modes["control-plane"].outcome).toBe(
      "not-survived",
    );
  });
});

describe("a group of one across AZs", () => {
  test("host failure: one detection path per trigger; the EC2 route has the status-check report and Auto Scaling's wait", () => {
    const host = assess(autoScalingGroup({ autoRecovery: "disabled" })).modes.host;

    expect(host.rto!.routes.map((r) => r.mechanism)).toEqual(["EC2 status check impaired -> Auto Scaling replaces after its wait"]);
    expect(labels(host.rto!.routes[0])).toEqual([A.statusCheckReport.label, A.asgImpairedWait.label, A.instanceLaunch.label, A.appStartFromImage.label]);
  });

  test("an ELB-checked group of one: the load balancer's route replaces at once, without the status-check wait", () => {
    const host = assess(webTier({ minSize: 1, maxSize: 1 })).modes.host;

    const elb = routeNamed(host.rto!.routes, /load balancer health check/)!;
    expect(labels(elb)).toContain(A.asgReplaceAtOnce.label);
    expect(labels(elb)).not.toContain(A.asgImpairedWait.label);
    expect(labels(elb).at(-1)).toMatch(/first health check of the new target/);
    // The race with the impaired-status route is won by the load balancer's far quicker check.
    expect(host.rto!.winners[0].mechanism).toBe(elb.mechanism);
  });

  test("the Elastic IP takeover is a term, run while the instance boots", () => {
    const plain = assess(autoScalingGroup({ autoRecovery: "disabled" })).modes.host.rto!;
    const taken = assess(autoScalingGroup({ autoRecovery: "disabled", takeover: true })).modes.host.rto!;

    expect(labels(taken.routes[0])).toContain(A.endpointTakeover.label);
    // In parallel with the boot from the image (20-90 s), the takeover (2-30 s) never adds to the hull.
    expect(taken.hull).toEqual(plain.hull);
  });

  test("AZ outage has its own terms, not the instance ones", () => {
    const az = assess(autoScalingGroup()).modes["az-outage"];

    expect(az.outcome).toBe("healed");
    expect(labels(az.rto!.routes[0]).slice(0, 2)).toEqual([A.azOutageDetection.label, A.azLaunchRetry.label]);
    expect(labels(az.rto!.routes[0])).not.toContain(A.statusCheckReport.label);
  });

  test("RPO: the AMI interval plus DLM's start window, the image's creation and its publication; an hourly pipeline bounds it lower", () => {
    const daily = assess(autoScalingGroup({ intervalHours: 24 })).modes.host.rpo;
    const hourly = assess(autoScalingGroup({ intervalHours: 1 })).modes.host.rpo;

    expect(daily.kind).toBe("bounded");
    if (daily.kind !== "bounded" || hourly.kind !== "bounded") throw new Error("bounded RPO expected");
    expect(daily.estimate.hull.max).toBe(86400 + A.dlmStartWindow.seconds.max + A.imageCreation.seconds.max + A.imagePublication.seconds.max);
    expect(hourly.estimate.hull.max).toBe(3600 + A.dlmStartWindow.seconds.max + A.imageCreation.seconds.max + A.imagePublication.seconds.max);
    expect(hourly.estimate.p50).toBeLessThan(daily.estimate.p50);
    expect(daily.reason).toMatch(/root volume is deleted with it/);
  });

  test("delete_on_termination off keeps the failed instance's volume for an operator", () => {
    const rpo = assess(autoScalingGroup({ deleteOnTermination: false })).modes.host.rpo;

    expect(rpo.kind).toBe("bounded");
    expect(rpo.reason).toMatch(/kept \(delete_on_termination false\)/);
  });

  test("delete_on_termination off in an AZ outage: the kept volume is out of reach with its AZ, not at hand", () => {
    const kept = assess(autoScalingGroup({ deleteOnTermination: false })).modes["az-outage"].rpo;
    const deleted = assess(autoScalingGroup()).modes["az-outage"].rpo;

    expect(kept.reason).toMatch(/kept \(delete_on_termination false\) but in the failed AZ: out of reach until the AZ returns/);
    expect(deleted.reason).toMatch(/in the failed AZ, and deleted with the instance/);
  });

  test("instance store: lost with every replacement, kept when the process restarts in place; from the type or a mapping", () => {
    const restarting = { workload: { restart: "always" } };
    for (const store of [{ instanceType: "m5d.large" }, { instanceType: "t3.micro", instanceStoreMapping: true }]) {
      const modes = assess(autoScalingGroup({ ...store, ...restarting })).modes;
      const what = store.instanceStoreMapping ? "ephemeral0 is mapped" : "m5d.large comes with instance store volumes";
      for (const mode of ["host", "guest-os", "az-outage"] as const) {
        expect(modes[mode].rpo.reason).toContain(`data on instance store (${what}): lost, the failed instance is terminated and replaced`);
      }
      expect(modes["app-crash"].rpo).toMatchObject({ kind: "zero" });
      expect(modes["app-crash"].rpo.reason).toContain(`data on instance store (${what}): kept, the instance stays on its host`);
    }
    // On a regional EFS the data is safe, the instance store still goes with the instance.
    expect(assess(autoScalingGroup({ instanceType: "c6gd.large", efs: "regional" })).modes.host.rpo.reason).toMatch(
      /^data on EFS .*; data on instance store \(c6gd\.large comes with instance store volumes\): lost/,
    );
    // An EBS-only type without a mapping says nothing about instance store.
    expect(assess(autoScalingGroup({ instanceType: "m5.large" })).modes.host.rpo.reason).not.toMatch(/instance store/);
  });

  test("a regional EFS makes the RPO zero in every mode; One Zone EFS not in an AZ outage", () => {
    const regional = assess(autoScalingGroup({ efs: "regional" })).modes;
    const oneZone = assess(autoScalingGroup({ efs: "one-zone" })).modes;

    expect(regional.host.rpo.kind).toBe("zero");
    expect(regional["az-outage"].rpo.kind).toBe("zero");
    expect(oneZone.host.rpo.kind).toBe("zero");
    expect(oneZone["az-outage"].rpo.kind).toBe("bounded");
  });

  test("a warm pool shortens the replacement; without EFS it loses what was written since the warm instance launched", () => {
    const cold = assess(autoScalingGroup({ efs: "regional", autoRecovery: "disabled" })).modes.host.rto!;
    const warm = assess(autoScalingGroup({ efs: "regional", autoRecovery: "disabled", warmPool: true })).modes.host.rto!;

    expect(warm.p50).toBeLessThan(cold.p50);
    expect(labels(warm.routes[0])).toContain(A.warmPoolStart.label);
    expect(assess(autoScalingGroup({ warmPool: true })).modes.host.rpo.kind).toBe("everything");
  });

  test("app crash and hang on EC2 health checks only: nothing notices without systemd and the watchdog", () => {
    const bare = assess(autoScalingGroup()).modes;
    expect(bare["app-crash"].outcome).toBe("not-survived");
    expect(bare["app-hang"].outcome).toBe("not-survived");

    const watched = assess(
      autoScalingGroup({ workload: { restart: "always", watchdog: { interval: 10, timeout: 2, failures: 3, escalation: "poweroff" } } }),
    ).modes;
    expect(watched["app-crash"].outcome).toBe("healed");
    expect(watched["app-hang"].outcome).toBe("healed");
    expect(watched["app-hang"].explanation).toMatch(/replaces an instance that is not running at once/);
    expect(watched["app-hang"].rpo.kind).toBe("zero");
  });

  test("Elastic IP takeover failure: alarmed by the endpoint alarm; not applicable without a takeover", () => {
    expect(assess(autoScalingGroup({ takeover: true })).modes["eip-takeover"]).toMatchObject({ outcome: "alarmed" });
    expect(assess(autoScalingGroup()).modes["eip-takeover"].outcome).toBe("not-applicable");
  });

  test("AMI pipeline stall: the image-age alarm tells the topic at its threshold plus its periods; without it the RPO grows unnoticed", () => {
    const alarmed = assess(autoScalingGroup({ imageAgeAlarmSeconds: 93600 })).modes["ami-stall"];
    expect(alarmed.outcome).toBe("alarmed");
    expect(alarmed.rpo).toMatchObject({ kind: "growing", alarmAtSeconds: 93600 + 2 * 3600 });

    const silent = assess(autoScalingGroup()).modes["ami-stall"];
    expect(silent.outcome).toBe("not-survived");
    expect(silent.rpo).toMatchObject({ kind: "growing" });
    expect(assess(autoScalingGroup({ image: "fixed" })).modes["ami-stall"].outcome).toBe("not-applicable");
  });

  test("AZ gray failure is not automatic for a single server; the operator's way is spelled out", () => {
    const gray = assess(autoScalingGroup({ takeover: true })).modes["az-gray"];

    expect(gray.outcome).toBe("not-survived");
    expect(gray.explanation).toMatch(/not automatic/);
    expect(gray.explanation).toMatch(/set-instance-health/);
  });

  test("control-plane impairment: a replacement needs a launch; launch-error notifications make it alarmed", () => {
    expect(assess(autoScalingGroup({ launchNotifications: true })).modes["control-plane"].outcome).toBe("alarmed");
    expect(assess(autoScalingGroup()).modes["control-plane"].outcome).toBe("not-survived");
  });

  test("a group in one AZ does not survive its AZ", () => {
    const { modes } = assess(autoScalingGroup({ azs: AZS.slice(0, 1) }));

    expect(modes.host.outcome).toBe("healed");
    expect(modes["az-outage"].outcome).toBe("not-survived");
  });
});

describe("the load-balanced web tier (static stability)", () => {
  test("host, guest and hang: the other instances serve once the load balancer gives up on the lost one", () => {
    const { modes } = assess(webTier());

    for (const mode of [modes.host, modes["guest-os"], modes["app-hang"]]) {
      expect(mode.outcome).toBe("healed");
      expect(mode.rto!.hull).toEqual({ min: 7, max: 12 });
      expect(mode.rpo.kind).toBe("stateless");
    }
  });

  test("slower health checks move every percentile up", () => {
    const fast = assess(webTier()).modes.host.rto!;
    const slow = assess(webTier({ healthCheck: { interval: 10, timeout: 5, unhealthy_threshold: 3 } })).modes.host.rto!;

    expect(slow.hull).toEqual({ min: 25, max: 35 });
    for (const p of ["p50", "p90", "p99"] as const) expect(slow[p]).toBeGreaterThan(fast[p]);
  });

  test("AZ outage: the load balancer's node leaves the DNS name while the targets are checked; the slower dominates", () => {
    const az = assess(webTier()).modes["az-outage"];

    expect(az.outcome).toBe("healed");
    expect(az.rto!.dominant.label).toBe(A.lbNodeFailover.label);
    expect(az.rto!.hull).toEqual({ min: A.lbNodeFailover.seconds.min, max: A.lbNodeFailover.seconds.max });
  });

  test("three instances over two AZs keep one serving when the AZ holding two fails", () => {
    const { modes } = assess(webTier({ azs: AZS.slice(0, 2), minSize: 3 }));

    expect(modes["az-outage"].mechanism).toMatch(/1 of 3 instances serve/);
  });

  test("control-plane impairment: routing around a failed target is data plane, so it heals", () => {
    expect(assess(webTier()).modes["control-plane"].outcome).toBe("healed");
  });

  test("AZ gray failure: the load balancer's alarm tells the topic, and with zonal shift on the operator shifts", () => {
    const withShift = assess(webTier({ loadBalancerAlarm: true, zonalShift: true }));
    expect(withShift.modes["az-gray"].outcome).toBe("alarmed");
    expect(withShift.modes["az-gray"].explanation).toMatch(/start-zonal-shift/);
    expect(withShift.mechanisms.map((m) => m.kind)).toContain("zonal-shift");

    expect(assess(webTier()).modes["az-gray"].outcome).toBe("not-survived");
    expect(assess(webTier({ loadBalancerAlarm: true })).modes["az-gray"].explanation).toMatch(/Zonal shift is off/);
  });
});

describe("stacks without recovery", () => {
  test("no resources at all: nothing survived in any mode", () => {
    const a = assessTerraformJson("empty", { resource: {} });

    expect(a.mechanisms).toEqual([]);
    for (const mode of FAILURE_MODES) expect(a.modes[mode].outcome).toBe("not-survived");
  });

  test("metal sizes have no simplified automatic recovery", () => {
    const a = assess({ aws_instance: { metal: { instance_type: "m7i.metal-24xl" } } });
    expect(a.modes.host.outcome).toBe("not-survived");
  });

  test("a bare instance is healed only by simplified automatic recovery, which EC2 turns on by default", () => {
    const a = assess({ aws_instance: { lonely: { instance_type: "t3.micro" } } });

    expect(a.modes.host.mechanism).toBe("EC2 simplified automatic recovery");
    expect(a.modes["guest-os"].outcome).toBe("not-survived");
    expect(a.modes["app-crash"].outcome).toBe("not-survived");
  });

  test("a stack is as weak as its weakest server", () => {
    const { modes } = assess(recoveryServer(), webTier());

    expect(modes.host.outcome).toBe("healed");
    expect(modes["az-outage"].outcome).toBe("not-survived");
  });
});

describe("the grace period against the model's launch-and-boot estimate", () => {
  test("an ELB-checked group whose instances count before they answer warns, naming the configuration key", () => {
    const { warnings } = assess(webTier({ gracePeriodSeconds: 30 }));

    expect(warnings).toEqual([
      {
        setting: "web.healthCheckGracePeriodSeconds",
        resource: "aws_autoscaling_group.server.health_check_grace_period",
        message: expect.stringMatching(
          /^web\.healthCheckGracePeriodSeconds \(30 s\) is shorter than the model's longest launch and boot \(540 s: .*\): a healthy replacement .*; set web\.healthCheckGracePeriodSeconds to at least 540$/,
        ),
      },
    ]);
  });

  test("no warning with a launch hook that waits for readiness, or a grace period that outlasts the boot", () => {
    expect(assess(webTier({ gracePeriodSeconds: 30, launchHook: true })).warnings).toEqual([]);
    expect(assess(webTier({ gracePeriodSeconds: 600 })).warnings).toEqual([]);
  });
});

describe("assumptions", () => {
  test("an override moves the hull by exactly its change, and is reported as used", () => {
    const base = assessTerraformJson("r", terraform(recoveryServer({ autoRecovery: "disabled" })));
    const slower = assessTerraformJson("r", terraform(recoveryServer({ autoRecovery: "disabled" })), { ec2Recovery: { min: 300, max: 900 } });

    expect(slower.modes.host.rto!.hull.max - base.modes.host.rto!.hull.max).toBe(900 - A.ec2Recovery.seconds.max);
    expect(slower.modes.host.rto!.p50).toBeGreaterThan(base.modes.host.rto!.p50);
    expect(slower.assumptions.find((a) => a.key === "ec2Recovery")).toMatchObject({ seconds: { min: 300, max: 900 } });
  });

  test("measured samples become the prior: the hull is their range", () => {
    const measured = assessTerraformJson("r", terraform(recoveryServer({ workload: { restart: "always", restartSeconds: 2 } })), {
      appRestart: { samples: [3, 1, 2] },
    });

    expect(measured.modes["app-crash"].rto!.hull).toEqual({ min: 3, max: 5 });
    expect(measured.assumptions.find((a) => a.key === "appRestart")).toMatchObject({
      source: "measured",
      distribution: { kind: "empirical", samples: [1, 2, 3] },
    });
  });

  test("lists only the assumptions the assessment relied on, each with a source", () => {
    const used = assess(recoveryServer()).assumptions.map((a) => a.key);

    expect(used).toContain("ec2Recovery");
    expect(used).not.toContain("instanceLaunch");
    for (const a of assess(recoveryServer()).assumptions) expect(a.source.length).toBeGreaterThan(20);
  });

  test("fails on a range that is not one", () => {
    expect(() => assessTerraformJson("r", terraform(recoveryServer()), { instanceLaunch: { min: 200, max: 100 } })).toThrow(
      /instanceLaunch \(200-100 s\) must satisfy 0 <= min <= max/,
    );
  });
});
