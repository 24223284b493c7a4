/**
 * Detection times computed from a stack's own settings. A failure falls anywhere inside a
 * check cycle, so each detection is uniform over one cycle's width; the arithmetic is here
 * once, with the documentation that justifies it.
 */
import { uniform } from "./distributions";
import { Term } from "./simulate";

/**
 * A CloudWatch alarm on a 1-minute metric. The failure falls somewhere inside the first
 * breaching period; the alarm fires when the `datapoints`-th breaching period ends (M of N
 * alarms need M breaching datapoints, a lasting failure gives one per period).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
export function alarmDetection(alarm: { address: string; periodSeconds: number; datapoints: number }): Term {
  const { periodSeconds: p, datapoints: n } = alarm;
  return {
    label: `alarm ${alarm.address}: ${n} breaching period(s) of ${p} s`,
    distribution: uniform((n - 1) * p, n * p),
    source: `${alarm.address}: period x (datapoints_to_alarm or evaluation_periods), less up to one period for where the failure falls in the first; uniform`,
  };
}

/** The settings of a target group's health check that decide how fast it reacts. */
export interface HealthCheckTiming {
  readonly address: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly unhealthyThreshold: number;
}

/**
 * A load balancer stops routing to a dead target after `unhealthyThreshold` consecutive failed
 * checks, `interval` apart; a check of a dead target fails when its timeout expires. The first
 * failed check starts between 0 and one interval after the failure.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export function healthCheckDetection(hc: HealthCheckTiming): Term {
  const { intervalSeconds: i, timeoutSeconds: t, unhealthyThreshold: n } = hc;
  return {
    label: `load balancer marks the target unhealthy: ${n} failed checks ${i} s apart, ${t} s timeout`,
    distribution: uniform((n - 1) * i + t, n * i + t),
    source: `${hc.address}: health_check interval x unhealthy_threshold + timeout, less up to one interval for where the failure falls; uniform`,
  };
}

/**
 * A newly registered target "must pass one health check to be considered healthy"; the first
 * check runs within one interval of the registration.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export function healthCheckRegistration(hc: HealthCheckTiming): Term {
  return {
    label: `load balancer passes its first health check of the new target (every ${hc.intervalSeconds} s)`,
    distribution: uniform(0, hc.intervalSeconds),
    source: `${hc.address}: health_check interval; ALB User Guide: a registered target must pass one health check to be healthy; uniform`,
  };
}

/**
 * A probe loop that sleeps `intervalSeconds` after each probe, a probe of a hung server
 * lasting its `timeoutSeconds`, acting after `failures` failed probes in a row (the local
 * watchdog): the first failed probe starts within one interval of the failure, the next ones
 * interval + timeout apart.
 */
export function probeDetection(probe: { label: string; source: string; intervalSeconds: number; timeoutSeconds: number; failures: number }): Term {
  const { intervalSeconds: i, timeoutSeconds: t, failures: n } = probe;
  const min = (n - 1) * (i + t) + t;
  return {
    label: probe.label,
    distribution: uniform(min, min + i),
    source: `${probe.source}: (failures - 1) x (interval + timeout) + timeout, plus up to one interval for where the failure falls; uniform`,
  };
}

/** A fixed wait the stack configures (systemd's RestartSec). */
export function configuredWait(label: string, seconds: number, source: string): Term {
  return { label, distribution: uniform(seconds, seconds), source };
}
