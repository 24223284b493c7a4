/**
 * The two CloudWatch alarms that heal a single EC2 instance, as AWS recommends them:
 *
 * - `StatusCheckFailed_System` (the host: power, network, hardware) -> `ec2:recover`, which
 *   moves the instance to new hardware keeping its id, private IPs, Elastic IP and EBS
 *   volumes (RAM is lost); 2 periods of 1 minute by default (the book used 5);
 * - `StatusCheckFailed_Instance` (the guest: kernel, network configuration, memory) ->
 *   `ec2:reboot`; 3 periods by default.
 *
 * The two never use the same number of periods, so a reboot and a recovery do not start in
 * the same minute. Both alarms notify a topic when they fire and when they clear
 * (CKV_AWS_338: alarms have actions).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingAlarmActions.html
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { maxEvaluationRangeSeconds } from "../../lib/alarm-evaluation";
import { Ec2AlarmAction, ec2ActionArn } from "../../lib/ec2-alarm-actions";
import { awsContext } from "../../lib/stack-context";
import { Problems } from "../../lib/validation";
import { NotificationTopic } from "../notifications/notification-topic";

/** AWS's recommendation for the recover alarm (the book used 5). */
export const DEFAULT_RECOVER_EVALUATION_PERIODS = 2;
/** AWS's recommendation for the reboot alarm. */
export const DEFAULT_REBOOT_EVALUATION_PERIODS = 3;
/** One minute: status checks are reported once a minute. */
export const DEFAULT_ALARM_PERIOD_SECONDS = 60;

export const ALARM_PERIOD_FIX =
  "must be a multiple of 60 such as 60: status checks are reported once a minute, so a shorter (high-resolution) period sees no data";
export const EVALUATION_PERIODS_FIX = "must be a whole number of periods, at least 1 (AWS recommends 2 for recover and 3 for reboot)";

/** When the alarms act: the period they share and the failed periods each waits for. */
export interface RecoveryAlarmTiming {
  readonly alarmPeriodSeconds: number;
  readonly recoverEvaluationPeriods: number;
  readonly rebootEvaluationPeriods: number;
}

/**
 * Adds to `p` what is wrong with `timing`: a period of whole minutes, whole periods, each
 * alarm's range within CloudWatch's, and periods that differ. Values that are still tokens
 * are not checked. `keyPrefix` goes before the names a fix mentions (`recovery.` in the
 * configuration): the schema reports the same problems to users, the construct to programmers.
 */
export function checkTiming(p: Problems, timing: RecoveryAlarmTiming, keyPrefix = ""): void {
  const known = (n: number) => !Token.isUnresolved(n);
  const period = timing.alarmPeriodSeconds;
  const periodOk = !known(period) || (Number.isInteger(period) && period >= 60 && period % 60 === 0);
  if (!periodOk) p.add("alarmPeriodSeconds", period, ALARM_PERIOD_FIX);

  const periodsOk = (key: "recoverEvaluationPeriods" | "rebootEvaluationPeriods"): boolean => {
    const periods = timing[key];
    if (!known(periods)) return false;
    if (!Number.isInteger(periods) || periods < 1) {
      p.add(key, periods, EVALUATION_PERIODS_FIX);
      return false;
    }
    if (periodOk && known(period)) {
      const max = maxEvaluationRangeSeconds(period);
      if (periods * period > max) {
        p.add(
          key,
          periods,
          `x ${keyPrefix}alarmPeriodSeconds (${period}) is ${periods * period} s, beyond CloudWatch's ${max} s evaluation range; use at most ${Math.floor(max / period)} periods`,
        );
        return false;
      }
    }
    return true;
  };
  const recoverOk = periodsOk("recoverEvaluationPeriods");
  const rebootOk = periodsOk("rebootEvaluationPeriods");
  if (recoverOk && rebootOk && timing.recoverEvaluationPeriods === timing.rebootEvaluationPeriods) {
    p.add(
      "recoverEvaluationPeriods",
      timing.recoverEvaluationPeriods,
      `must differ from ${keyPrefix}rebootEvaluationPeriods (${timing.rebootEvaluationPeriods}) so that a reboot and a recovery never start together; AWS recommends recover after 2 periods and reboot after 3`,
    );
  }
}

export interface Ec2RecoveryAlarmsProps {
  /** Prefix of the alarm names (`<name>-recover`, `<name>-reboot`). */
  readonly name: string;
  /** The instance the alarms watch and act on, in the stack's region (the action ARNs name it). */
  readonly instance: Instance;
  /** The topic told when either alarm fires and when it clears. */
  readonly topic: NotificationTopic;
  /**
   * Consecutive failed periods of `StatusCheckFailed_System` before the instance is recovered.
   * @default - {@link DEFAULT_RECOVER_EVALUATION_PERIODS}: 2, AWS's recommendation
   */
  readonly recoverEvaluationPeriods?: number;
  /**
   * Consecutive failed periods of `StatusCheckFailed_Instance` before the instance is
   * rebooted; must differ from `recoverEvaluationPeriods`.
   * @default - {@link DEFAULT_REBOOT_EVALUATION_PERIODS}: 3, AWS's recommendation
   */
  readonly rebootEvaluationPeriods?: number;
  /**
   * Length of one period; a multiple of 60, as status checks are reported once a minute.
   * @default - {@link DEFAULT_ALARM_PERIOD_SECONDS}: 60
   */
  readonly alarmPeriodSeconds?: number;
}

export class Ec2RecoveryAlarms extends Construct {
  /** `StatusCheckFailed_System` -> recover. */
  readonly recoverAlarm: CloudwatchMetricAlarm;
  /** `StatusCheckFailed_Instance` -> reboot. */
  readonly rebootAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: Ec2RecoveryAlarmsProps) {
    super(scope, id);
    const timing: RecoveryAlarmTiming = {
      alarmPeriodSeconds: props.alarmPeriodSeconds ?? DEFAULT_ALARM_PERIOD_SECONDS,
      recoverEvaluationPeriods: props.recoverEvaluationPeriods ?? DEFAULT_RECOVER_EVALUATION_PERIODS,
      rebootEvaluationPeriods: props.rebootEvaluationPeriods ?? DEFAULT_REBOOT_EVALUATION_PERIODS,
    };
    const p = new Problems();
    checkTiming(p, timing);
    p.throwIfAnyAt(this);

    const { region, partition } = awsContext(this);
    const periodSeconds = timing.alarmPeriodSeconds;
    const alarm = (action: Ec2AlarmAction, metricName: string, evaluationPeriods: number, what: string) =>
      new CloudwatchMetricAlarm(this, action, {
        alarmName: `${props.name}-${action}`,
        alarmDescription: `${what} failed for ${evaluationPeriods} x ${periodSeconds} s: ${action} the instance`,
        namespace: "AWS/EC2",
        metricName,
        dimensions: { InstanceId: props.instance.id },
        // A status check reports 0 or 1 per minute: any failure in a period counts.
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        period: periodSeconds,
        evaluationPeriods,
        // AWS recommends `missing` for alarms with EC2 actions: an interrupted metric report
        // leaves the alarm in INSUFFICIENT_DATA instead of acting on a healthy instance.
        // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
        treatMissingData: "missing",
        alarmActions: [ec2ActionArn(partition, region, action), props.topic.arn],
        okActions: [props.topic.arn],
      });

    this.recoverAlarm = alarm("recover", "StatusCheckFailed_System", timing.recoverEvaluationPeriods, "System status check (the host)");
    this.rebootAlarm = alarm("reboot", "StatusCheckFailed_Instance", timing.rebootEvaluationPeriods, "Instance status check (the guest OS)");
  }
}
