/**
 * The times the model cannot read from Terraform: how long AWS and the instance take to do
 * what a recovery mechanism asks, and the check phases AWS runs on its own clock. Each is a
 * prior: a stated low and high with the evidence behind them, and a distribution between them
 * (uniform for where a failure falls in a check cycle, skewed towards the low end for action
 * times; see `distributions.ts`). AWS documents the mechanisms but rarely their durations;
 * where it gives no number the range is our estimate, marked as such, with the reasoning.
 * Every prior can be overridden, by a range or by measured samples (`measurements.ts`), e.g.
 * with times from a game day.
 *
 * What the model computes from the stack itself (alarm periods, health-check timing, the AMI
 * interval, the image-age alarm) is not here: see `detection.ts` and `rpo.ts`.
 */
import { Distribution, describe, skewed, uniform } from "./distributions";
import { Plane, Term } from "./simulate";
import { Assumption, AssumptionKey, AssumptionOverride, AssumptionOverrides, SecondsRange } from "./types";

const EC2_STATUS_CHECKS =
  "EC2 User Guide, 'Status checks for Amazon EC2 instances': status checks run every minute " +
  "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html)";
const EC2_RECOVERY =
  "EC2 User Guide, 'Instance resiliency': the instance is moved to another host and the recovery " +
  "'will appear to the instance as an unplanned reboot'; AWS gives no duration " +
  "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-recover.html)";
const SIMPLIFIED_RECOVERY =
  "EC2 User Guide, 'Simplified automatic recovery': on by default for supported types, started by a " +
  "system status check failure, no duration given " +
  "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-configuration-recovery.html)";
const ASG_HEALTH =
  "EC2 Auto Scaling User Guide, 'Health checks': an instance that is not running, or whose status checks " +
  "report impaired, is unhealthy and replaced; 'instances are usually terminated within a few minutes " +
  "after failing their health check' (https://docs.aws.amazon.com/autoscaling/ec2/userguide/health-checks-overview.html, " +
  "https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-health-checks-monitor-view-status.html)";
const ASG_UNHEALTHY_AT_ONCE =
  "EC2 Auto Scaling User Guide, 'Set up a custom health check': an instance marked Unhealthy is replaced " +
  "immediately (https://docs.aws.amazon.com/autoscaling/ec2/userguide/set-up-a-custom-health-check.html)";
const WARM_POOLS =
  "EC2 Auto Scaling User Guide, warm pools: pre-initialized instances kept Stopped start without " +
  "the first-boot work (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html)";
const DLM_WINDOW =
  "Amazon EBS User Guide, 'Automate backups with Amazon Data Lifecycle Manager': creation starts " +
  "'within one hour' of the scheduled start time (https://docs.aws.amazon.com/ebs/latest/userguide/ami-policy.html)";
const EVENTBRIDGE =
  "EventBridge delivers Auto Scaling's lifecycle events best effort, usually within seconds " +
  "(https://docs.aws.amazon.com/autoscaling/ec2/userguide/automating-ec2-auto-scaling-with-eventbridge.html)";
const ALB_DNS =
  "ELB User Guide: the load balancer's DNS name resolves to the IPs of its nodes, with a TTL of 60 s; " +
  "a node in an impaired AZ is taken out of the name (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html)";
const WORKLOAD = "workload/: nginx and nodejs24 are dnf packages installed at first boot, the apps are systemd units";

type Prior = Omit<Assumption, "key" | "distribution"> & { readonly typical?: number; readonly check?: boolean; readonly plane?: Plane };

const PRIORS: Readonly<Record<AssumptionKey, Prior>> = {
  statusCheckReport: {
    label: "EC2 reports the failed status check",
    seconds: { min: 0, max: 60 },
    check: true,
    source: `${EC2_STATUS_CHECKS}: the first check after the failure finds it.`,
  },
  alarmLatency: {
    label: "status-check datapoint published and the alarm evaluated",
    seconds: { min: 0, max: 60 },
    check: true,
    source: `Our estimate: ${EC2_STATUS_CHECKS}; CloudWatch evaluates the alarm on that 1-minute metric, so the last breaching datapoint can take up to one more period to act on.`,
  },
  ec2Recovery: {
    label: "EC2 recovery: instance moved to a new host and its OS booted",
    seconds: { min: 120, max: 360 },
    plane: "control",
    source: `Our estimate: ${EC2_RECOVERY}. A stop on the impaired host, a start on a healthy one and an Amazon Linux boot.`,
  },
  simplifiedRecoveryStart: {
    label: "simplified automatic recovery notices the system status check failure",
    seconds: { min: 60, max: 300 },
    source: `Our estimate: ${SIMPLIFIED_RECOVERY}; taken as slower than a 2-period recover alarm, as it runs on EC2's own schedule.`,
  },
  ec2Reboot: {
    label: "ec2:reboot: the guest OS restarted on the same host",
    seconds: { min: 30, max: 120 },
    plane: "control",
    source: "Our estimate: a reboot keeps the host and the disk; Amazon Linux 2023 boots in well under a minute, the reboot request is asynchronous.",
  },
  serviceStartAtBoot: {
    label: "nginx and the apps started by systemd from an installed disk",
    seconds: { min: 10, max: 60 },
    source: `Our estimate: ${WORKLOAD}; enabled units start at boot with nothing to install.`,
  },
  appRestart: {
    label: "the app process started again (after systemd's RestartSec)",
    seconds: { min: 1, max: 5 },
    source: `Our estimate: ${WORKLOAD}; a Node.js process that reads no state at start listens within seconds.`,
  },
  asgReplaceAtOnce: {
    label: "Auto Scaling acts on an instance that is unhealthy or not running: terminate and launch",
    seconds: { min: 0, max: 30 },
    check: true,
    plane: "control",
    source: `${ASG_UNHEALTHY_AT_ONCE}; ${ASG_HEALTH}. Our estimate of its periodic pass: within 30 s.`,
  },
  asgImpairedWait: {
    label: "Auto Scaling waits on an impaired status check before it replaces the instance",
    seconds: { min: 60, max: 300 },
    plane: "control",
    source: `${ASG_HEALTH}. 'A few minutes' read as 1 to 5.`,
  },
  instanceLaunch: {
    label: "replacement instance launched (pending to running) and its OS booted",
    seconds: { min: 60, max: 180 },
    plane: "control",
    source:
      "Our estimate: AWS publishes no launch time; an EBS-backed Amazon Linux 2023 instance of a current generation type is typically running and booted within one to three minutes.",
  },
  appStartFromBaseImage: {
    label: "first boot from the base image: cloud-init installs nginx and nodejs24, the apps start",
    seconds: { min: 120, max: 360 },
    source: `Our estimate: ${WORKLOAD}; the dnf metadata refresh and package installs dominate.`,
  },
  appStartFromImage: {
    label: "boot from a server image: cloud-init finds the packages installed, the apps start",
    seconds: { min: 20, max: 90 },
    source: `Our estimate: ${WORKLOAD}; a new instance runs the user data again, but dnf has nothing to install.`,
  },
  warmPoolStart: {
    label: "Stopped warm-pool instance started and booted",
    seconds: { min: 30, max: 120 },
    plane: "control",
    source: `Our estimate: ${WARM_POOLS}; a start of an already launched EBS-backed instance, without a new launch.`,
  },
  endpointTakeover: {
    label: "Elastic IP takeover: launch event -> EventBridge -> function -> AssociateAddress, launch completed",
    seconds: { min: 2, max: 30 },
    plane: "control",
    source: `Our estimate: ${EVENTBRIDGE}; a function start and two EC2 calls; it runs while the instance boots.`,
  },
  azOutageDetection: {
    label: "Auto Scaling finds the instance in the failed AZ unhealthy",
    seconds: { min: 60, max: 900 },
    plane: "control",
    source: `Our estimate: ${ASG_HEALTH}; in an AZ outage the status checks there may report late or not at all, so the wait runs from a minute to 15.`,
  },
  azLaunchRetry: {
    label: "launches into the failed AZ fail; Auto Scaling launches in another AZ",
    seconds: { min: 0, max: 120 },
    plane: "control",
    source:
      "Our estimate: Auto Scaling launches in the AZs it still can (EC2 Auto Scaling User Guide, 'Availability Zone distribution'); a first attempt in the failed AZ costs a failed launch.",
  },
  lbNodeFailover: {
    label: "the load balancer's node in the failed AZ leaves its DNS name; clients follow the 60 s TTL",
    seconds: { min: 60, max: 180 },
    source: `Our estimate: ${ALB_DNS}.`,
  },
  dlmStartWindow: {
    label: "DLM starts the scheduled image up to an hour late",
    seconds: { min: 0, max: 3600 },
    check: true,
    source: DLM_WINDOW,
  },
  imageCreation: {
    label: "the image's snapshot is taken and the AMI becomes available",
    seconds: { min: 300, max: 3600 },
    source: "Our estimate: an incremental snapshot of a 16 GB root volume; the image-age alarm allows 1 h for it (constructs/ami-pipeline).",
  },
  imagePublication: {
    label: "the new AMI is published to the launch template's SSM parameter",
    seconds: { min: 5, max: 60 },
    source: `Our estimate: ${EVENTBRIDGE}; a lost event is caught by the hourly catch-up, which the image-age alarm's allowance covers.`,
  },
};

function build(key: AssumptionKey, prior: Prior, distribution?: Distribution): Assumption {
  const { typical, check, ...rest } = prior;
  return {
    key,
    ...rest,
    distribution: distribution ?? (check ? uniform(prior.seconds.min, prior.seconds.max) : skewed(prior.seconds.min, prior.seconds.max, typical)),
  };
}

/** The default assumptions, by key. */
export const DEFAULT_ASSUMPTIONS: Readonly<Record<AssumptionKey, Assumption>> = Object.fromEntries(
  (Object.entries(PRIORS) as [AssumptionKey, Prior][]).map(([key, prior]) => [key, build(key, prior)]),
) as Record<AssumptionKey, Assumption>;

export const ASSUMPTION_KEYS = Object.keys(DEFAULT_ASSUMPTIONS) as AssumptionKey[];

/** The default assumptions with `overrides` applied; fails naming the key, the value and the fix. */
export function resolveAssumptions(overrides: AssumptionOverrides = {}): Readonly<Record<AssumptionKey, Assumption>> {
  const resolved = { ...DEFAULT_ASSUMPTIONS };
  for (const [key, override] of Object.entries(overrides) as [AssumptionKey, AssumptionOverride | undefined][]) {
    if (override === undefined) continue;
    if (!(key in DEFAULT_ASSUMPTIONS)) throw new Error(`unknown assumption "${key}": use one of ${ASSUMPTION_KEYS.join(", ")}`);
    resolved[key] = overridden(key, override);
  }
  return resolved;
}

function overridden(key: AssumptionKey, o: AssumptionOverride): Assumption {
  const base = DEFAULT_ASSUMPTIONS[key];
  if ("samples" in o) {
    const samples = o.samples;
    if (!Array.isArray(samples) || samples.length === 0 || !samples.every((s) => Number.isFinite(s) && s >= 0)) {
      throw new Error(`assumption ${key} (samples ${JSON.stringify(samples)}): give one or more measured durations in seconds, each 0 or more`);
    }
    const seconds: SecondsRange = { min: Math.min(...samples), max: Math.max(...samples) };
    return { ...base, seconds, distribution: { kind: "empirical", samples: [...samples].sort((a, b) => a - b) }, source: o.source ?? "measured" };
  }
  const { min, max, typical } = o;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && min <= max)) {
    throw new Error(`assumption ${key} (${min}-${max} s) must satisfy 0 <= min <= max`);
  }
  if (typical !== undefined && !(typical >= min && typical <= max)) {
    throw new Error(`assumption ${key}: typical ${typical} s must lie within ${min}-${max} s`);
  }
  const distribution = base.distribution.kind === "uniform" ? uniform(min, max) : skewed(min, max, typical);
  return { ...base, seconds: { min, max }, distribution, source: o.source ?? "overridden by the caller" };
}

/** An assumption as a term of a route. */
export function assumedTerm(a: Assumption): Term {
  return { label: a.label, distribution: a.distribution, source: `${a.source} Prior: ${describe(a.distribution)}.`, plane: a.plane };
}

/**
 * Safety factor on the model's longest cold first boot for a launch lifecycle hook's timeout:
 * the boot estimate is ours, not measured, and a timeout shorter than a slow but healthy
 * first boot (package mirrors through NAT) would abandon it and launch the next, which is just
 * as slow: churn. A broken instance waits this much longer before it is replaced.
 */
export const LAUNCH_HOOK_MARGIN = 1.5;

/** The model's longest cold first boot: launch plus the first boot from the base image, which installs the packages. */
export function coldBootSeconds(assumptions: Readonly<Record<AssumptionKey, Assumption>> = DEFAULT_ASSUMPTIONS): number {
  return assumptions.instanceLaunch.seconds.max + assumptions.appStartFromBaseImage.seconds.max;
}

/**
 * Seconds Auto Scaling may take to act on what it finds in its periodic pass (the model's
 * {@link AssumptionKey} `asgReplaceAtOnce`, at most): e.g. to apply a launch hook's default result
 * once its timeout has passed.
 */
export function autoScalingPassSeconds(assumptions: Readonly<Record<AssumptionKey, Assumption>> = DEFAULT_ASSUMPTIONS): number {
  return assumptions.asgReplaceAtOnce.seconds.max;
}

/**
 * Seconds a launch lifecycle hook waits for a new instance to report ready (its workload
 * answering) before the hook's default result applies: {@link coldBootSeconds} times
 * {@link LAUNCH_HOOK_MARGIN}, in whole minutes. With the default assumptions, 540 s -> 840 s.
 */
export function launchHookTimeoutSeconds(assumptions: Readonly<Record<AssumptionKey, Assumption>> = DEFAULT_ASSUMPTIONS): number {
  return Math.ceil((coldBootSeconds(assumptions) * LAUNCH_HOOK_MARGIN) / 60) * 60;
}
