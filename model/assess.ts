/**
 * The recovery rules: for each failure mode, whether each server of a stack comes back by
 * itself, how long that takes (detection computed from the stack plus documented action-time
 * assumptions) and how much data it can cost. The semantics follow the notes (seed 004) and
 * the AWS behaviour cited in `assumptions.ts` and `detection.ts`.
 */
import { resolveAssumptions } from "./assumptions";
import { HealthCheckTiming, alarmDetection, healthCheckDetection, healthCheckRegistration } from "./detection";
import { ResourceGraph } from "../lib/resource-graph";
import { GroupServer, Inventory, StandaloneServer, takeInventory } from "./inventory";
import {
  Assumption,
  AssumptionKey,
  AssumptionOverrides,
  FAILURE_MODES,
  FailureMode,
  ModeAssessment,
  RecoveryAssessment,
  Rpo,
  Rto,
  RtoTerm,
} from "./types";

export function assessGraph(stack: string, graph: ResourceGraph, overrides?: AssumptionOverrides): RecoveryAssessment {
  const inventory = takeInventory(graph);
  const assumptions = new AssumptionLedger(resolveAssumptions(overrides));
  const modes = Object.fromEntries(
    FAILURE_MODES.map((mode) => [mode, assessMode(mode, inventory, assumptions)]),
  ) as Record<FailureMode, ModeAssessment>;
  return { stack, mechanisms: inventory.mechanisms, modes, assumptions: assumptions.used() };
}

/** Hands out assumption terms and remembers which ones an assessment relied on. */
class AssumptionLedger {
  private readonly usedKeys = new Set<AssumptionKey>();

  constructor(private readonly all: Readonly<Record<AssumptionKey, Assumption>>) {}

  get(key: AssumptionKey): Assumption {
    this.usedKeys.add(key);
    return this.all[key];
  }

  term(key: AssumptionKey): RtoTerm {
    const a = this.get(key);
    return { label: a.label, seconds: a.seconds, source: a.source };
  }

  used(): Assumption[] {
    return Object.values(this.all).filter((a) => this.usedKeys.has(a.key));
  }
}

function assessMode(mode: FailureMode, inventory: Inventory, assumptions: AssumptionLedger): ModeAssessment {
  if (inventory.servers.length === 0) {
    return {
      survives: false,
      rpo: { kind: "everything", reason: "no recovery mechanism" },
      explanation: "No server and no recovery mechanism found: nothing brings the service back.",
    };
  }
  const perServer = inventory.servers.map((server) =>
    server.kind === "instance" ? assessInstance(server, mode, inventory, assumptions) : assessGroup(server, mode, inventory, assumptions),
  );
  return combine(perServer);
}

/** A stack is as good as its weakest server: it survives if all do, with the slowest RTO and the worst RPO. */
function combine(assessments: ModeAssessment[]): ModeAssessment {
  if (assessments.length === 1) return assessments[0];
  const survives = assessments.every((a) => a.survives);
  const slowest = survives ? assessments.reduce((a, b) => (b.rto!.max > a.rto!.max ? b : a)) : undefined;
  const worst = assessments.reduce((a, b) => (rpoSeverity(b.rpo) > rpoSeverity(a.rpo) ? b : a));
  return { survives, rto: slowest?.rto, rpo: worst.rpo, explanation: assessments.map((a) => a.explanation).join(" ") };
}

function rpoSeverity(rpo: Rpo): number {
  switch (rpo.kind) {
    case "stateless":
    case "zero":
      return 0;
    case "interval":
      return rpo.seconds;
    case "everything":
      return Number.POSITIVE_INFINITY;
  }
}

function rto(terms: RtoTerm[]): Rto {
  return {
    min: terms.reduce((sum, t) => sum + t.seconds.min, 0),
    max: terms.reduce((sum, t) => sum + t.seconds.max, 0),
    terms,
  };
}

/** Data on a regional EFS survives either failure mode; One Zone EFS only an instance failure. */
function efsRpo(mode: FailureMode, inventory: Inventory): Rpo | undefined {
  const usable = inventory.fileSystems.filter((fs) => mode === "instance" || (fs.regional && fs.mountTargetAzs.length >= 2));
  return usable.length > 0 ? { kind: "zero", reason: `data on EFS ${usable.map((fs) => fs.address).join(", ")}` } : undefined;
}

function assessInstance(server: StandaloneServer, mode: FailureMode, inventory: Inventory, assumptions: AssumptionLedger): ModeAssessment {
  const where = server.az ?? "one AZ";
  if (mode === "az") {
    return {
      survives: false,
      rpo: efsRpo(mode, inventory) ?? { kind: "everything", reason: `the only copy is the EBS volume in ${where}` },
      explanation: `${server.address} runs only in ${where}; nothing starts a server in another AZ, and its EBS volume stays in ${where}.`,
    };
  }
  const alarm = [...server.recoverAlarms].sort((a, b) => a.datapoints * a.periodSeconds - b.datapoints * b.periodSeconds)[0];
  if (!alarm) {
    return {
      survives: false,
      rpo: { kind: "everything", reason: "no recovery mechanism" },
      explanation:
        `Nothing configured here detects or repairs a failure of ${server.address}. ` +
        "(EC2 simplified automatic recovery, on by default for supported types, is not configured by the stack and not counted.)",
    };
  }
  return {
    survives: true,
    rto: rto([alarmDetection(alarm), assumptions.term("alarmLatency"), assumptions.term("ec2Recovery"), assumptions.term("serviceStartAtBoot")]),
    rpo: efsRpo(mode, inventory) ?? { kind: "zero", reason: "EBS kept" },
    explanation:
      `${alarm.address} recovers ${server.address} on a healthy host in ${where}: instance ID, private and Elastic IPs and ` +
      "EBS volumes are kept, RAM is lost. EC2 makes at most 3 recovery attempts a day.",
  };
}

function assessGroup(group: GroupServer, mode: FailureMode, inventory: Inventory, assumptions: AssumptionLedger): ModeAssessment {
  const rpo = groupRpo(group, mode, inventory);
  if (mode === "az" && group.azs.length < 2) {
    return {
      survives: false,
      rpo,
      explanation: `${group.address} launches only in ${group.azs.join(", ") || "an unknown AZ"}: an outage there leaves it nowhere to start a replacement.`,
    };
  }
  // Auto Scaling spreads instances evenly over its AZs, so an AZ outage takes the largest share.
  const lost = mode === "instance" ? 1 : Math.ceil(group.capacity / group.azs.length);
  const remaining = group.capacity - lost;
  const targetGroup = slowestTargetGroup(group.targetGroups);

  if (targetGroup && remaining >= 1) {
    return {
      survives: true,
      rto: rto([healthCheckDetection(targetGroup)]),
      rpo,
      explanation:
        `${remaining} of ${group.capacity} instances of ${group.address} keep serving once the load balancer stops routing ` +
        `to the ${lost} lost (static stability); until then requests to ${lost === 1 ? "it" : "them"} fail. Auto Scaling replaces ${lost === 1 ? "it" : "them"} in the background.`,
    };
  }

  const detection =
    group.healthCheckType === "ELB" && targetGroup
      ? [healthCheckDetection(targetGroup), assumptions.term("asgReplacementStart")]
      : [assumptions.term("asgReplacementStart")];
  const registration = targetGroup ? [healthCheckRegistration(targetGroup)] : [];
  const elsewhere = mode === "az" ? " in another AZ" : "";
  return {
    survives: true,
    rto: rto([...detection, ...replacementStart(group, mode, assumptions), ...registration]),
    rpo,
    explanation:
      `${group.address} replaces the lost instance${elsewhere} from ${imageText(group)}` +
      `${group.warmPool ? ", drawing on its warm pool" : ""}; the old instance's disk is not reused. ` +
      `The ${group.gracePeriodSeconds} s health-check grace period does not delay a healthy replacement, ` +
      "but a replacement that fails is noticed only after it: that case is not in this range.",
  };
}

/** The time from "replacement started" until the application answers. */
function replacementStart(group: GroupServer, mode: FailureMode, assumptions: AssumptionLedger): RtoTerm[] {
  const coldLaunch = [assumptions.term("instanceLaunch"), assumptions.term(appStartKey(group))];
  if (!group.warmPool) return coldLaunch;
  // A warm-pool instance ran its first boot before it was stopped: it only starts and boots.
  const warmStart = [assumptions.term("warmPoolStart"), assumptions.term("serviceStartAtBoot")];
  if (mode === "instance") return warmStart;
  // The pool's instance may sit in the failed AZ; then the group launches a new one instead.
  const warm = rto(warmStart);
  const cold = rto(coldLaunch);
  return [
    {
      label: "warm-pool instance started, or a new launch when the pool's instance is in the failed AZ",
      seconds: { min: Math.min(warm.min, cold.min), max: Math.max(warm.max, cold.max) },
      source: [...warmStart, ...coldLaunch].map((t) => t.source).join(" | "),
    },
  ];
}

function appStartKey(group: GroupServer): AssumptionKey {
  return group.image.kind === "pipeline" || group.image.hasWorkloadInstalled ? "appStartFromImage" : "appStartFromBaseImage";
}

function imageText(group: GroupServer): string {
  const image = group.image;
  return image.kind === "pipeline" ? `the newest pipeline AMI (SSM parameter ${image.parameter})` : image.detail;
}

function groupRpo(group: GroupServer, mode: FailureMode, inventory: Inventory): Rpo {
  const efs = efsRpo(mode, inventory);
  if (efs) return efs;
  // Interchangeable servers behind a load balancer cannot hold the system of record on their
  // own disks (the others would not see it): the design is stateless, as the notes advise.
  if (group.targetGroups.length > 0 && group.maxSize >= 2) return { kind: "stateless", reason: "interchangeable servers behind a load balancer" };
  // A warm instance keeps the disk it was launched with, older than the newest image.
  if (group.warmPool) return { kind: "everything", reason: "a warm-pool instance keeps the disk it was launched with" };
  if (group.image.kind === "pipeline") return { kind: "interval", seconds: group.image.intervalSeconds, reason: `since the newest AMI of ${group.image.policy}` };
  return { kind: "everything", reason: group.image.loss };
}

function slowestTargetGroup(targetGroups: readonly HealthCheckTiming[]): HealthCheckTiming | undefined {
  return [...targetGroups].sort((a, b) => healthCheckDetection(b).seconds.max - healthCheckDetection(a).seconds.max)[0];
}
