/**
 * The recovery rules: for each failure mode, what each server of a stack does about it (heals
 * it by a race of routes, alarms on it, or neither), how long healing takes (detection from
 * the stack plus documented priors, summarised by the Monte Carlo of `simulate.ts`) and how
 * much data it can cost (`rpo.ts`). One detection path per trigger: a target the load balancer
 * finds unhealthy is replaced at once; an impaired status check after Auto Scaling's wait; an
 * instance that is not running at once. The AWS behaviour is cited in `assumptions.ts` and
 * `detection.ts`.
 */
import { assumedTerm, coldBootSeconds, resolveAssumptions } from "./assumptions";
import { claimFor } from "./claims";
import { HealthCheckTiming, alarmDetection, configuredWait, healthCheckDetection, healthCheckRegistration, probeDetection } from "./detection";
import { GroupServer, Inventory, NotifyingAlarm, Server, StandaloneServer, takeInventory } from "./inventory";
import { instanceRpo, replacementRpo } from "./rpo";
import { Route, Step, Term, estimate, isDataPlane, raceHull } from "./simulate";
import { ResourceGraph } from "../lib/resource-graph";
import {
  Assumption,
  AssumptionKey,
  AssumptionOverrides,
  FAILURE_MODES,
  FailureMode,
  ModeAssessment,
  ModelWarning,
  Outcome,
  RecoveryAssessment,
  Rpo,
} from "./types";
import { restartsCrash } from "./workload-facts";
import { afterLosingOneAz } from "../lib/static-stability";

export function assessGraph(stack: string, graph: ResourceGraph, overrides?: AssumptionOverrides): RecoveryAssessment {
  const inventory = takeInventory(graph);
  const ledger = new AssumptionLedger(resolveAssumptions(overrides));
  const modes = Object.fromEntries(FAILURE_MODES.map((mode) => [mode, assessMode(mode, inventory, ledger)])) as Record<FailureMode, ModeAssessment>;
  return { stack, mechanisms: inventory.mechanisms, modes, assumptions: ledger.used(), warnings: graceWarnings(inventory, ledger) };
}

/** Hands out assumption terms and remembers which ones an assessment relied on. */
export class AssumptionLedger {
  private readonly usedKeys = new Set<AssumptionKey>();

  constructor(readonly all: Readonly<Record<AssumptionKey, Assumption>>) {}

  term(key: AssumptionKey): Term {
    this.usedKeys.add(key);
    return assumedTerm(this.all[key]);
  }

  used(): Assumption[] {
    return Object.values(this.all).filter((a) => this.usedKeys.has(a.key));
  }
}

/** What one server does about one failure mode. */
export interface Verdict {
  readonly outcome: Outcome;
  readonly mechanism: string;
  /** The routes that race to heal it; only when healed. */
  readonly routes?: readonly Route[];
  readonly rpo: Rpo;
  readonly explanation: string;
  /** The alarm that tells an operator, with its detection time in seconds (the longest). */
  readonly alarm?: { readonly address: string; readonly withinSeconds: number };
}

const OUTCOME_RANK: Readonly<Record<Outcome, number>> = { "not-survived": 0, alarmed: 1, healed: 2, "not-applicable": 3 };

function assessMode(mode: FailureMode, inventory: Inventory, ledger: AssumptionLedger): ModeAssessment {
  const verdicts: Verdict[] =
    inventory.servers.length === 0
      ? [
          {
            outcome: "not-survived",
            mechanism: "none",
            rpo: { kind: "everything", reason: "no recovery mechanism" },
            explanation: "No server and no recovery mechanism found: nothing brings the service back.",
          },
        ]
      : inventory.servers.map((server) => serverVerdict(server, mode, inventory, ledger));
  // A stack is as good as its weakest server; among equals, the slowest.
  const worst = verdicts.reduce((a, b) => {
    if (OUTCOME_RANK[b.outcome] !== OUTCOME_RANK[a.outcome]) return OUTCOME_RANK[b.outcome] < OUTCOME_RANK[a.outcome] ? b : a;
    return b.routes && a.routes && estimate(b.routes, 200).hull.max > estimate(a.routes, 200).hull.max ? b : a;
  });
  const rto = worst.outcome === "healed" && worst.routes ? { ...estimate(worst.routes), routes: worst.routes } : undefined;
  const assessment = {
    mode,
    outcome: worst.outcome,
    survives: worst.outcome === "healed",
    mechanism: worst.mechanism,
    rto,
    rpo: worst.rpo,
    explanation: verdicts.length === 1 ? worst.explanation : verdicts.map((v) => v.explanation).join(" "),
  };
  return { ...assessment, claim: claimFor(assessment, worst.alarm) };
}

function serverVerdict(server: Server, mode: FailureMode, inventory: Inventory, ledger: AssumptionLedger): Verdict {
  return server.kind === "instance" ? instanceVerdict(server, mode, inventory, ledger) : groupVerdict(server, mode, inventory, ledger);
}

const notApplicable = (explanation: string, rpo: Rpo): Verdict => ({ outcome: "not-applicable", mechanism: "-", rpo, explanation });
/** Healed by any of `routes` (each a mechanism and its steps); the mechanism names them all. */
const healed = (routes: readonly Route[], rpo: Rpo, explanation: string): Verdict => ({
  outcome: "healed",
  mechanism: routes.map((r) => r.mechanism).join(", or "),
  routes,
  rpo,
  explanation,
});

/** The longest time an alarm takes to tell: all its periods, plus the evaluation's latency. */
function alarmed(alarm: NotifyingAlarm, extraSeconds = 0): { address: string; withinSeconds: number } {
  return { address: alarm.address, withinSeconds: extraSeconds + alarm.datapoints * alarm.periodSeconds + 60 };
}

/** The alarm (of those given) that tells first. */
function firstAlarm(alarms: readonly NotifyingAlarm[], metrics: readonly string[]): NotifyingAlarm | undefined {
  return alarms.filter((a) => metrics.includes(a.metric)).sort((a, b) => a.datapoints * a.periodSeconds - b.datapoints * b.periodSeconds)[0];
}

// ---------------------------------------------------------------------------------------------
// A standalone instance: CloudWatch alarms, simplified automatic recovery, what runs on it.

function instanceVerdict(server: StandaloneServer, mode: FailureMode, inventory: Inventory, ledger: AssumptionLedger): Verdict {
  const where = server.az ?? "one AZ";
  const rpo = instanceRpo(server, mode, inventory);
  const recover = [...server.recoverAlarms].sort((a, b) => a.datapoints * a.periodSeconds - b.datapoints * b.periodSeconds)[0];
  const reboot = [...server.rebootAlarms].sort((a, b) => a.datapoints * a.periodSeconds - b.datapoints * b.periodSeconds)[0];
  const statusAlarm = (metric: string) => firstAlarm(server.notifyingAlarms, [metric]);
  const hostRoutes = (): Route[] => [
    ...(recover
      ? [
          {
            mechanism: `recover alarm ${recover.address} -> EC2 recovery`,
            steps: [alarmDetection(recover), ledger.term("alarmLatency"), ledger.term("ec2Recovery"), ledger.term("serviceStartAtBoot")],
          },
        ]
      : []),
    ...(server.simplifiedRecovery
      ? [
          {
            mechanism: "EC2 simplified automatic recovery",
            steps: [ledger.term("simplifiedRecoveryStart"), ledger.term("ec2Recovery"), ledger.term("serviceStartAtBoot")],
          },
        ]
      : []),
  ];

  switch (mode) {
    case "host": {
      const routes = hostRoutes();
      if (routes.length === 0) return unhealedInstance(server, statusAlarm("StatusCheckFailed_System"), rpo, "Nothing recovers a failed host");
      const race =
        reboot && recover
          ? reboot.datapoints * reboot.periodSeconds < recover.datapoints * recover.periodSeconds
            ? ` The reboot alarm ${reboot.address} fires first and reboots on the failed host, which cannot help; the recovery still runs on its own alarm.`
            : ` The reboot alarm ${reboot.address} (the instance check fails too) fires after the recover alarm, so recovery wins the race.`
          : "";
      return healed(
        routes,
        rpo,
        `${routes.map((r) => r.mechanism).join(" races ")}: ${server.address} restarts on a healthy host in ${where} with its instance ID, private and Elastic IPs and ` +
          `EBS volumes; RAM is lost. EC2 makes at most 3 recovery attempts a day.${race}`,
      );
    }
    case "guest-os": {
      if (!reboot)
        return unhealedInstance(
          server,
          statusAlarm("StatusCheckFailed_Instance"),
          rpo,
          "Nothing reboots a guest whose instance status check fails (recovery acts on the system check only)",
        );
      return healed(
        [
          {
            mechanism: `reboot alarm ${reboot.address} -> ec2:reboot`,
            steps: [alarmDetection(reboot), ledger.term("alarmLatency"), ledger.term("ec2Reboot"), ledger.term("serviceStartAtBoot")],
          },
        ],
        rpo,
        `${reboot.address} reboots ${server.address} on the same host: disk, addresses and instance ID stay; a reboot does not fix a guest that fails again at boot.`,
      );
    }
    case "app-crash":
    case "app-hang":
      return (
        appVerdict(server, mode, [], rpo, ledger) ??
        unhealedInstance(server, undefined, rpo, `Nothing on or around ${server.address} notices a ${mode === "app-crash" ? "crashed" : "hung"} app`)
      );
    case "eip-takeover":
      return notApplicable(`${server.address} keeps its Elastic IP through EC2 recovery and reboots: no takeover happens.`, rpo);
    case "ami-stall":
      return notApplicable(`${server.address} is recovered in place with its own disk, never from an image.`, rpo);
    case "az-outage":
      return {
        outcome: "not-survived",
        mechanism: "none",
        rpo,
        explanation:
          `${server.address} runs only in ${where}; nothing starts a server in another AZ, and its EBS volume stays in ${where}. ` +
          "An operator restores from a snapshot in another AZ, or waits for the AZ.",
      };
    case "az-gray":
      return {
        outcome: "not-survived",
        mechanism: "none",
        rpo,
        explanation: `${server.address} keeps passing its status checks while clients cannot reach it: no alarm fires and nothing moves it. An operator stops and starts it (a new host, same AZ), or restores it in another AZ.`,
      };
    case "control-plane": {
      const dataPlane = hostRoutes().filter(isDataPlane);
      if (dataPlane.length > 0) return healed(dataPlane, rpo, "Healing runs on the data plane.");
      return {
        outcome: server.recoveryEventsRule || statusAlarm("StatusCheckFailed_System") ? "alarmed" : "not-survived",
        mechanism: server.recoveryEventsRule ? `recovery failure event ${server.recoveryEventsRule} -> topic` : "none",
        alarm: statusAlarm("StatusCheckFailed_System") ? alarmed(statusAlarm("StatusCheckFailed_System")!) : undefined,
        rpo,
        explanation:
          `EC2 recovery is a control-plane action: while it fails, ${server.address} stays down on its host. ` +
          `${server.recoveryEventsRule ? "EC2's recovery-failure event reaches the topic; " : ""}the data stays on its EBS volume, and a recovery (or a stop and start) succeeds once the API works.`,
      };
    }
  }
}

function unhealedInstance(server: StandaloneServer, alarm: NotifyingAlarm | undefined, rpo: Rpo, why: string): Verdict {
  return alarm
    ? {
        outcome: "alarmed",
        mechanism: `alarm ${alarm.address} -> topic`,
        alarm: alarmed(alarm),
        rpo,
        explanation: `${why}; ${alarm.address} tells the topic, an operator acts.`,
      }
    : { outcome: "not-survived", mechanism: "none", rpo, explanation: `${why}, and no alarm tells anyone about ${server.address}.` };
}

/**
 * An app that crashed or hangs: systemd restarts a crashed process; the local watchdog
 * restarts hung apps and then escalates; a load balancer stops routing to it (when others
 * serve) or has the group replace it. `extra`: routes the server kind adds. Undefined when
 * nothing heals it.
 */
function appVerdict(server: Server, mode: "app-crash" | "app-hang", extra: readonly Route[], rpo: Rpo, ledger: AssumptionLedger): Verdict | undefined {
  const routes: Route[] = [];
  const units = server.workload.units;
  if (mode === "app-crash" && units.length > 0 && units.every(restartsCrash)) {
    const slowest = Math.max(...units.map((u) => u.restartSeconds));
    routes.push({
      mechanism: `systemd restarts the process (Restart=${units[0].restart})`,
      steps: [configuredWait(`systemd waits RestartSec (${slowest} s)`, slowest, "the user data's unit files: RestartSec"), ledger.term("appRestart")],
    });
  }
  const w = server.workload.watchdog;
  if (w) {
    const detect = probeDetection({
      label: `watchdog ${w.unit}: ${w.failures} failed probes of /health, ${w.intervalSeconds} s between probes, ${w.timeoutSeconds} s timeout`,
      source: `the user data's ${w.unit} unit (WATCHDOG_INTERVAL, WATCHDOG_TIMEOUT, WATCHDOG_FAILURES)`,
      ...w,
    });
    routes.push({ mechanism: `watchdog ${w.unit} restarts the apps`, steps: [detect, ledger.term("appRestart")] });
  }
  routes.push(...extra);
  if (routes.length === 0) return undefined;
  return healed(
    routes,
    rpo,
    `${routes.map((r) => r.mechanism).join("; ")}.` +
      (w
        ? ` If the restart does not bring /health back within ${w.failures} more probes, the watchdog ${w.escalation === "reboot" ? "reboots the guest (same host, same disk)" : "powers the instance off, and its group replaces an instance that is not running at once"}: only the local data plane is used.`
        : "") +
      (mode === "app-hang" && !w ? " systemd does not notice a process that lives but does not answer." : ""),
  );
}

// ---------------------------------------------------------------------------------------------
// An Auto Scaling group: replacement, static stability behind a load balancer, the takeover.

/** The slowest target group: the one whose check takes longest to notice a failure. */
function slowestTargetGroup(targetGroups: readonly HealthCheckTiming[]): HealthCheckTiming | undefined {
  return [...targetGroups].sort(
    (a, b) => b.unhealthyThreshold * b.intervalSeconds + b.timeoutSeconds - (a.unhealthyThreshold * a.intervalSeconds + a.timeoutSeconds),
  )[0];
}

/** From "replace it" to the new instance answering: launch (or warm start), boot, takeover in parallel, first health check. */
export function replacementSteps(group: GroupServer, ledger: AssumptionLedger, warmAllowed = true): Step[] {
  const warm = group.warmPool && warmAllowed;
  const [start, boot] = warm
    ? [ledger.term("warmPoolStart"), ledger.term("serviceStartAtBoot")]
    : [
        ledger.term("instanceLaunch"),
        ledger.term(
          group.image.kind === "pipeline" || (group.image.kind === "static" && group.image.hasWorkloadInstalled)
            ? "appStartFromImage"
            : "appStartFromBaseImage",
        ),
      ];
  const tg = slowestTargetGroup(group.targetGroups);
  return [start, group.takeover ? { together: [[boot], [ledger.term("endpointTakeover")]] } : boot, ...(tg ? [healthCheckRegistration(tg)] : [])];
}

function groupVerdict(group: GroupServer, mode: FailureMode, inventory: Inventory, ledger: AssumptionLedger): Verdict {
  const multiAz = group.azs.length >= 2;
  const lost = mode === "az-outage" || mode === "az-gray" ? afterLosingOneAz(group.capacity, group.azs.length).lost : 1;
  const remaining = group.capacity - lost;
  const tg = slowestTargetGroup(group.targetGroups);
  const routesAround = tg !== undefined && remaining >= 1;
  const rpo = replacementRpo(group, mode, inventory, ledger);
  const replacement = replacementSteps(group, ledger, mode !== "az-outage");
  // Each detection path up to Auto Scaling's decision to replace; the routes add the replacement.
  const elbDecision = (): Route | undefined =>
    tg && group.healthCheckType === "ELB"
      ? {
          mechanism: `load balancer health check ${tg.address} -> Auto Scaling replaces at once`,
          steps: [healthCheckDetection(tg), ledger.term("asgReplaceAtOnce")],
        }
      : undefined;
  const impairedDecision = (): Route => ({
    mechanism: "EC2 status check impaired -> Auto Scaling replaces after its wait",
    steps: [ledger.term("statusCheckReport"), ledger.term("asgImpairedWait")],
  });
  const withReplacement = (r: Route | undefined): Route | undefined => (r ? { mechanism: r.mechanism, steps: [...r.steps, ...replacement] } : undefined);
  const elbRoute = () => withReplacement(elbDecision());
  const impairedRoute = () => withReplacement(impairedDecision())!;
  const staticRoute = (): Route | undefined =>
    routesAround
      ? {
          mechanism: `load balancer ${tg!.address} stops routing to it; ${remaining} of ${group.capacity} instances serve (static stability)`,
          steps: [healthCheckDetection(tg!)],
        }
      : undefined;
  const simplifiedRoute = (): Route | undefined =>
    group.simplifiedRecovery
      ? {
          mechanism: "EC2 simplified automatic recovery (in place)",
          steps: [ledger.term("simplifiedRecoveryStart"), ledger.term("ec2Recovery"), ledger.term("serviceStartAtBoot")],
        }
      : undefined;
  const present = (...routes: (Route | undefined)[]) => routes.filter((r): r is Route => r !== undefined);
  const diskNote = group.rootDeletedOnTermination
    ? "the old instance's root volume is deleted with it (delete_on_termination)"
    : "the old instance's root volume is kept (delete_on_termination false) for an operator to copy from";

  switch (mode) {
    case "host":
    case "guest-os": {
      const routes = routesAround ? present(staticRoute()) : present(elbRoute(), impairedRoute(), mode === "host" ? simplifiedRoute() : undefined);
      return healed(
        routes,
        rpo,
        routesAround
          ? `Requests to the failed instance fail until the load balancer stops routing to it; Auto Scaling replaces it in the background.`
          : `${routes.map((r) => r.mechanism).join("; ")}. The replacement starts from ${imageText(group)}; ${diskNote}.` +
              (mode === "host" && group.simplifiedRecovery
                ? " Simplified automatic recovery may move the instance first, keeping its disk; the model races the two."
                : ""),
      );
    }
    case "app-crash":
    case "app-hang": {
      const extra = routesAround ? present(staticRoute()) : present(elbRoute());
      return (
        appVerdict(group, mode, extra, rpo, ledger) ?? {
          outcome: "not-survived",
          mechanism: "none",
          rpo,
          explanation: `${group.address} checks EC2 status only, which a ${mode === "app-crash" ? "crashed" : "hung"} app passes, and nothing on the instance restarts it: it stays broken until an operator acts.`,
        }
      );
    }
    case "eip-takeover": {
      if (!group.takeover)
        return notApplicable(tg ? "The endpoint is the load balancer: no Elastic IP is moved." : `${group.address} has no Elastic IP to take over.`, rpo);
      const t = group.takeover;
      const abandons = group.launchHook !== undefined;
      return {
        outcome: t.attachedAlarm ? "alarmed" : "not-survived",
        mechanism: t.attachedAlarm ? `${t.function} abandons the launch (at most 2 in a row); ${t.attachedAlarm.address} -> topic` : `${t.function}`,
        alarm: t.attachedAlarm ? alarmed(t.attachedAlarm) : undefined,
        rpo,
        explanation:
          `${abandons ? "A failed takeover abandons the launch, so Auto Scaling launches another instance; a cause that lasts (a denied permission) fails each time, and after 2 the instance is kept without the endpoint. " : ""}` +
          `${t.attachedAlarm ? `${t.attachedAlarm.address} tells the topic when the address stays off the instance in service; the periodic check moves it once the cause is fixed.` : "Nothing tells anyone."}`,
      };
    }
    case "ami-stall": {
      if (group.image.kind !== "pipeline") return notApplicable(`${group.address} launches ${imageText(group)}: no pipeline to stall.`, rpo);
      const alarm = group.imageAgeAlarm;
      return {
        outcome: alarm ? "alarmed" : "not-survived",
        mechanism: alarm ? `image-age alarm ${alarm.address} -> topic` : "none",
        alarm: alarm ? alarmed(alarm, alarm.threshold) : undefined,
        rpo:
          rpo.kind === "zero" || rpo.kind === "stateless"
            ? rpo
            : {
                kind: "growing",
                reason: `no new image of ${group.image.policy}`,
                alarmAtSeconds: alarm ? alarm.threshold + alarm.datapoints * alarm.periodSeconds : undefined,
              },
        explanation: alarm
          ? `A replacement would start from an ever older image; ${alarm.address} tells the topic once the published image is older than ${alarm.threshold} s (the interval plus DLM's start window and the image's creation).`
          : "A replacement would start from an ever older image, and nothing says so.",
      };
    }
    case "az-outage": {
      if (!multiAz) {
        return {
          outcome: "not-survived",
          mechanism: "none",
          rpo,
          explanation: `${group.address} launches only in ${group.azs.join(", ") || "an unknown AZ"}: an outage there leaves it nowhere to start a replacement.`,
        };
      }
      const routes = routesAround
        ? [
            {
              mechanism: `load balancer ${tg!.address} routes to the other AZs; ${remaining} of ${group.capacity} instances serve (static stability)`,
              steps: [{ together: [[healthCheckDetection(tg!)], [ledger.term("lbNodeFailover")]] }],
            },
          ]
        : [
            {
              mechanism: "Auto Scaling replaces the instance in another AZ",
              steps: [ledger.term("azOutageDetection"), ledger.term("azLaunchRetry"), ...replacement],
            },
          ];
      return healed(
        routes,
        rpo,
        routesAround
          ? `The instances in the other AZs keep serving once the load balancer stops routing to the failed AZ's targets and its node there leaves the DNS name; Auto Scaling replaces the lost capacity in the others.`
          : `${group.address} replaces the lost instance in another AZ from ${imageText(group)}${group.warmPool ? " (the warm pool's instance may be in the failed AZ: counted as a cold launch)" : ""}; ${diskNote}, once the AZ returns.`,
      );
    }
    case "az-gray": {
      const lb = group.loadBalancers[0];
      if (tg) {
        const alarm = firstAlarm(group.loadBalancerAlarms, ["HTTPCode_ELB_5XX_Count", "UnHealthyHostCount", "HTTPCode_Target_5XX_Count"]);
        return {
          outcome: alarm ? "alarmed" : "not-survived",
          mechanism: `${alarm ? `${alarm.address} -> topic; ` : ""}${lb?.zonalShift ? `zonal shift of ${lb.address} by an operator` : "an operator drains the AZ"}`,
          alarm: alarm ? alarmed(alarm) : undefined,
          rpo,
          explanation:
            "Health checks from the load balancer may pass while clients fail, or fail and replace instances in the same AZ that fail again. " +
            (lb?.zonalShift
              ? `An operator shifts traffic away from the AZ: \`aws arc-zonal-shift start-zonal-shift --resource-identifier <load balancer ARN> --away-from <AZ id> --expires-in 1h\` (zonal shift is on for ${lb.address}); the other AZs carry the load, as static stability provides for.`
              : "Zonal shift is off: an operator removes the AZ's subnet from the load balancer and the group."),
        };
      }
      return {
        outcome: "not-survived",
        mechanism: "none",
        rpo,
        explanation:
          `${group.address}'s instance stays running with passing status checks, and ${group.takeover ? "its Elastic IP stays attached, " : ""}so nothing replaces it: not automatic. ` +
          "An operator marks it unhealthy (`aws autoscaling set-instance-health --health-status Unhealthy`) after removing the AZ's subnet from the group, so the replacement starts elsewhere.",
      };
    }
    case "control-plane": {
      const routes = routesAround ? present(staticRoute()) : [];
      if (routes.length > 0) {
        return healed(
          routes,
          rpo,
          `The load balancer's routing is data plane: ${remaining} of ${group.capacity} instances keep serving; the lost capacity returns only when launches work again.`,
        );
      }
      return {
        outcome: group.notifiesLaunchErrors ? "alarmed" : "not-survived",
        mechanism: group.notifiesLaunchErrors ? "launch-error notifications -> topic" : "none",
        // The first failed launch is Auto Scaling's first attempt to replace the failed instance, when the first of its
        // detection paths decides; the launch-error notification goes out as that launch fails (EC2 Auto Scaling User Guide,
        // 'Amazon SNS notification options': autoscaling:EC2_INSTANCE_LAUNCH_ERROR, sent when an instance failed to launch:
        // https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-sns-notifications.html).
        alarm: group.notifiesLaunchErrors
          ? { address: group.address, withinSeconds: Math.ceil(raceHull(present(elbDecision(), impairedDecision())).max) }
          : undefined,
        rpo,
        explanation:
          `A replacement needs a launch: while launches fail, ${group.address} has no instance in service, and Auto Scaling retries with growing pauses. ` +
          `${group.notifiesLaunchErrors ? "Each failed launch is sent to the topic. " : ""}Nothing on the data plane serves meanwhile.`,
      };
    }
  }
}

function imageText(group: GroupServer): string {
  const image = group.image;
  return image.kind === "pipeline" ? `the newest pipeline AMI (SSM parameter ${image.parameter})` : image.detail;
}

/**
 * The configuration key that sets a group's grace period. The project builds groups in two
 * stacks, told apart by what the model finds: the web tier's group registers in target groups,
 * multiaz's group of one does not (its endpoint is the Elastic IP). A test checks that both
 * keys exist in the configuration.
 */
export const GRACE_PERIOD_KEYS = { loadBalanced: "web.healthCheckGracePeriodSeconds", single: "multiaz.healthCheckGracePeriodSeconds" } as const;

/**
 * A group whose new instances count as in service before they answer (no launch hook that
 * waits for readiness) can be killed while healthy: the grace period must outlast the
 * model's launch-and-boot estimate when something other than EC2's status checks can fail it
 * (the load balancer's check, or the watchdog's power-off). multiaz's launch hook completes
 * once the Elastic IP is on the instance, not once it answers, so it does not wait for readiness.
 */
function graceWarnings(inventory: Inventory, ledger: AssumptionLedger): ModelWarning[] {
  return inventory.servers.flatMap((server) => {
    if (server.kind !== "group") return [];
    const appChecked = server.healthCheckType === "ELB" || server.workload.watchdog?.escalation === "poweroff";
    const waitsForReady = server.launchHook !== undefined && server.takeover === undefined;
    if (!appChecked || waitsForReady) return [];
    const boot =
      coldBootSeconds(ledger.all) -
      (server.image.kind === "pipeline" ? ledger.all.appStartFromBaseImage.seconds.max - ledger.all.appStartFromImage.seconds.max : 0);
    if (server.gracePeriodSeconds >= boot) return [];
    const key = server.targetGroups.length > 0 ? GRACE_PERIOD_KEYS.loadBalanced : GRACE_PERIOD_KEYS.single;
    return [
      {
        setting: key,
        resource: `${server.address}.health_check_grace_period`,
        message:
          `${key} (${server.gracePeriodSeconds} s) is shorter than the model's longest launch and boot (${boot} s: instance launch and ` +
          `${server.image.kind === "pipeline" ? "a boot from the pipeline's image" : "a first boot that installs the packages"}): a healthy replacement ` +
          `that is still booting can be marked unhealthy and replaced; set ${key} to at least ${boot}`,
      },
    ];
  });
}
