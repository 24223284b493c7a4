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
import { partitionOf } from "../../lib/aws";
import { Ec2AlarmAction, ec2ActionArn } from "../../lib/ec2-alarm-actions";
import { Problems } from "../../lib/validation";

/**
 * CloudWatch's limits on an alarm's evaluation range (period x evaluation periods): one day
 * for periods under an hour, seven days otherwise.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function maxEvaluationRangeSeconds(periodSeconds: number): number {
  return periodSeconds < 3600 ? 86_400 : 604_800;
}

export interface Ec2RecoveryAlarmsProps {
  /** Prefix of the alarm names (`<name>-recover`, `<name>-reboot`). */
  readonly name: string;
  /** Id of the instance the alarms watch and act on. */
  readonly instanceId: string;
  /** Region of the instance; the action ARNs name it. */
  readonly region: string;
  /** ARN partition of the region. @default - derived from `region` (`aws`, `aws-cn`, `aws-us-gov`) */
  readonly partition?: string;
  /** SNS topic told when either alarm fires and when it clears. */
  readonly topicArn: string;
  /**
   * Consecutive failed periods of `StatusCheckFailed_System` before the instance is recovered.
   * @default 2 - AWS's recommendation; the book used 5
   */
  readonly recoverEvaluationPeriods?: number;
  /**
   * Consecutive failed periods of `StatusCheckFailed_Instance` before the instance is
   * rebooted; must differ from `recoverEvaluationPeriods`.
   * @default 3 - AWS's recommendation
   */
  readonly rebootEvaluationPeriods?: number;
  /**
   * Length of one period; a multiple of 60, as status checks are reported once a minute.
   * @default 60
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
    const periodSeconds = props.alarmPeriodSeconds ?? 60;
    const recoverPeriods = props.recoverEvaluationPeriods ?? 2;
    const rebootPeriods = props.rebootEvaluationPeriods ?? 3;
    validate(periodSeconds, recoverPeriods, rebootPeriods);

    const partition = props.partition ?? partitionOf(props.region);
    const alarm = (action: Ec2AlarmAction, metricName: string, evaluationPeriods: number, what: string) =>
      new CloudwatchMetricAlarm(this, action, {
        alarmName: `${props.name}-${action}`,
        alarmDescription: `${what} failed for ${evaluationPeriods} x ${periodSeconds} s: ${action} the instance`,
        namespace: "AWS/EC2",
        metricName,
        dimensions: { InstanceId: props.instanceId },
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
        alarmActions: [ec2ActionArn(partition, props.region, action), props.topicArn],
        okActions: [props.topicArn],
      });

    this.recoverAlarm = alarm("recover", "StatusCheckFailed_System", recoverPeriods, "System status check (the host)");
    this.rebootAlarm = alarm("reboot", "StatusCheckFailed_Instance", rebootPeriods, "Instance status check (the guest OS)");
  }
}

function validate(periodSeconds: number, recoverPeriods: number, rebootPeriods: number): void {
  const p = new Problems();
  const known = (n: number) => !Token.isUnresolved(n);

  const periodOk = !known(periodSeconds) || (Number.isInteger(periodSeconds) && periodSeconds >= 60 && periodSeconds % 60 === 0);
  if (!periodOk) {
    p.add(
      "alarmPeriodSeconds",
      periodSeconds,
      "must be a multiple of 60 such as 60: status checks are reported once a minute, so a shorter (high-resolution) period sees no data",
    );
  }

  const periodsOk = (key: string, periods: number): boolean => {
    if (!known(periods)) return false;
    if (!Number.isInteger(periods) || periods < 1) {
      p.add(key, periods, "must be a whole number of periods, at least 1 (AWS recommends 2 for recover and 3 for reboot)");
      return false;
    }
    if (periodOk && known(periodSeconds)) {
      const max = maxEvaluationRangeSeconds(periodSeconds);
      if (periods * periodSeconds > max) {
        p.add(
          key,
          periods,
          `x alarmPeriodSeconds (${periodSeconds}) is ${periods * periodSeconds} s, beyond CloudWatch's ${max} s evaluation range; use at most ${Math.floor(max / periodSeconds)} periods`,
        );
        return false;
      }
    }
    return true;
  };

  const recoverOk = periodsOk("recoverEvaluationPeriods", recoverPeriods);
  const rebootOk = periodsOk("rebootEvaluationPeriods", rebootPeriods);
  if (recoverOk && rebootOk && recoverPeriods === rebootPeriods) {
    p.add(
      "recoverEvaluationPeriods",
      recoverPeriods,
      `must differ from rebootEvaluationPeriods (${rebootPeriods}) so that a reboot and a recovery never start together; AWS recommends recover after 2 periods and reboot after 3`,
    );
  }
  p.throwIfAny();
}
