/**
 * The action times the model cannot read from Terraform: how long AWS and the instance take to
 * do what a recovery mechanism asks. Each is a range with the evidence behind it. AWS documents
 * the mechanisms but rarely their durations; where it gives no number the range is our
 * estimate, marked as such, with the reasoning. Every range can be overridden, e.g. with times
 * measured in a game day.
 *
 * What the model computes from the stack itself (alarm periods, health-check timing, the AMI
 * interval) is not here: see `detection.ts`.
 */
import { Assumption, AssumptionKey, AssumptionOverrides, SecondsRange } from "./types";

const EC2_STATUS_CHECKS =
  "EC2 User Guide, 'Status checks for Amazon EC2 instances': status checks are performed every minute " +
  "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html)";
const EC2_RECOVERY =
  "EC2 User Guide, 'Instance resiliency': the instance is moved to another host and the recovery " +
  "'will appear to the instance as an unplanned reboot'; AWS gives no duration " +
  "(https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-recover.html)";
const ASG_HEALTH =
  "EC2 Auto Scaling User Guide: instances that fail EC2 status checks are unhealthy and replaced; " +
  "'instances are usually terminated within a few minutes after failing their health check' " +
  "(https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-health-checks-monitor-view-status.html)";
const WARM_POOLS =
  "EC2 Auto Scaling User Guide, warm pools: pre-initialized instances kept Stopped start without " +
  "the first-boot work (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-warm-pools.html)";
const WORKLOAD = "workload/workload.ts: nginx and nodejs24 are dnf packages installed at first boot, the apps are systemd units";

/** The default assumptions, by key. */
export const DEFAULT_ASSUMPTIONS: Readonly<Record<AssumptionKey, Assumption>> = {
  alarmLatency: {
    key: "alarmLatency",
    label: "status-check datapoint published and the alarm evaluated",
    seconds: { min: 0, max: 60 },
    source:
      `Our estimate: ${EC2_STATUS_CHECKS}; CloudWatch evaluates the alarm on that 1-minute metric, ` +
      "so the last breaching datapoint can take up to about one more period to act on.",
  },
  ec2Recovery: {
    key: "ec2Recovery",
    label: "EC2 recovery: instance moved to a new host and its OS booted",
    seconds: { min: 120, max: 360 },
    source:
      `Our estimate: ${EC2_RECOVERY}. A stop on the impaired host, a start on a healthy one and ` +
      "an Amazon Linux boot; the notes put the whole recovery at about 10 minutes (seed 004).",
  },
  serviceStartAtBoot: {
    key: "serviceStartAtBoot",
    label: "nginx and the apps started by systemd from an installed disk",
    seconds: { min: 10, max: 60 },
    source: `Our estimate: ${WORKLOAD}; enabled units start at boot with nothing to install.`,
  },
  asgReplacementStart: {
    key: "asgReplacementStart",
    label: "Auto Scaling marks the instance unhealthy and starts a replacement",
    seconds: { min: 60, max: 300 },
    source: `${EC2_STATUS_CHECKS}; ${ASG_HEALTH}. 'A few minutes' read as at most 5.`,
  },
  instanceLaunch: {
    key: "instanceLaunch",
    label: "replacement instance launched (pending to running) and its OS booted",
    seconds: { min: 60, max: 180 },
    source:
      "Our estimate: AWS publishes no launch time; an EBS-backed Amazon Linux 2023 instance of a " +
      "current generation type is typically running and booted within one to three minutes.",
  },
  appStartFromBaseImage: {
    key: "appStartFromBaseImage",
    label: "first boot from the base image: cloud-init installs nginx and nodejs24, the apps start",
    seconds: { min: 120, max: 360 },
    source: `Our estimate: ${WORKLOAD}; the dnf metadata refresh and package installs dominate.`,
  },
  appStartFromImage: {
    key: "appStartFromImage",
    label: "boot from a server image: cloud-init finds the packages installed, the apps start",
    seconds: { min: 20, max: 90 },
    source: `Our estimate: ${WORKLOAD}; a new instance runs the user data again, but dnf has nothing to install.`,
  },
  warmPoolStart: {
    key: "warmPoolStart",
    label: "Stopped warm-pool instance started and booted",
    seconds: { min: 30, max: 120 },
    source: `Our estimate: ${WARM_POOLS}; a start of an already launched EBS-backed instance, without a new launch.`,
  },
};

/** The default assumptions with `overrides` applied; fails on a range that is not one. */
export function resolveAssumptions(overrides: AssumptionOverrides = {}): Readonly<Record<AssumptionKey, Assumption>> {
  const resolved = { ...DEFAULT_ASSUMPTIONS };
  for (const [key, seconds] of Object.entries(overrides) as [AssumptionKey, SecondsRange | undefined][]) {
    if (seconds === undefined) continue;
    if (!(key in DEFAULT_ASSUMPTIONS)) {
      throw new Error(`unknown assumption "${key}": use one of ${Object.keys(DEFAULT_ASSUMPTIONS).join(", ")}`);
    }
    if (!(Number.isFinite(seconds.min) && Number.isFinite(seconds.max) && seconds.min >= 0 && seconds.min <= seconds.max)) {
      throw new Error(`assumption ${key} (${seconds.min}-${seconds.max} s) must satisfy 0 <= min <= max`);
    }
    resolved[key] = { ...DEFAULT_ASSUMPTIONS[key], seconds, source: "overridden by the caller" };
  }
  return resolved;
}

/**
 * Safety factor on the model's longest cold first boot for a launch lifecycle hook's timeout:
 * the boot estimate is ours, not measured, and a timeout shorter than a slow but healthy
 * first boot (package mirrors through NAT) would abandon it and launch the next, which is just
 * as slow: churn. A broken instance waits this much longer before it is replaced.
 */
export const LAUNCH_HOOK_MARGIN = 1.5;

/**
 * Seconds a launch lifecycle hook waits for a new instance to report ready (its workload
 * answering) before the hook's default result applies: the model's longest cold first boot
 * (launch plus the first boot from the base image, which installs the packages), times
 * {@link LAUNCH_HOOK_MARGIN}, in whole minutes. With the default assumptions, 540 s -> 840 s.
 */
export function launchHookTimeoutSeconds(assumptions: Readonly<Record<AssumptionKey, Assumption>> = DEFAULT_ASSUMPTIONS): number {
  const coldBoot = assumptions.instanceLaunch.seconds.max + assumptions.appStartFromBaseImage.seconds.max;
  return Math.ceil((coldBoot * LAUNCH_HOOK_MARGIN) / 60) * 60;
}
