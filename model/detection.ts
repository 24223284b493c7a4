/**
 * Detection times computed from a stack's own settings. Each range runs from a failure at the
 * least favourable moment of a check cycle to one at the most favourable, so the spread is
 * one cycle wide; the arithmetic is here once, with the documentation that justifies it.
 */
import { RtoTerm } from "./types";

/**
 * A CloudWatch alarm on a 1-minute status-check metric. The failure falls somewhere inside the
 * first breaching period; the alarm fires when the `datapoints`-th breaching period ends
 * (M of N alarms need M breaching datapoints, a lasting failure gives one per period).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
export function alarmDetection(alarm: { address: string; periodSeconds: number; datapoints: number }): RtoTerm {
  const { periodSeconds: p, datapoints: n } = alarm;
  return {
    label: `alarm ${alarm.address}: ${n} breaching period(s) of ${p} s`,
    seconds: { min: (n - 1) * p, max: n * p },
    source: `${alarm.address}: period x (datapoints_to_alarm or evaluation_periods), less one period when the failure starts at a period's end`,
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
export function healthCheckDetection(hc: HealthCheckTiming): RtoTerm {
  const { intervalSeconds: i, timeoutSeconds: t, unhealthyThreshold: n } = hc;
  return {
    label: `load balancer marks the target unhealthy: ${n} failed checks ${i} s apart, ${t} s timeout`,
    seconds: { min: (n - 1) * i + t, max: n * i + t },
    source: `${hc.address}: health_check interval x unhealthy_threshold + timeout, less one interval when a check starts right after the failure`,
  };
}

/**
 * A newly registered target "must pass one health check to be considered healthy"; the first
 * check runs within one interval of the registration.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export function healthCheckRegistration(hc: HealthCheckTiming): RtoTerm {
  return {
    label: `load balancer passes its first health check of the new target (every ${hc.intervalSeconds} s)`,
    seconds: { min: 0, max: hc.intervalSeconds },
    source: `${hc.address}: health_check interval; ALB User Guide: a registered target must pass one health check to be healthy`,
  };
}
