/**
 * CloudWatch's longest evaluation range of a metric alarm, its period x evaluation periods:
 * "An alarm's total current evaluation period can be no longer than seven days, so Period
 * multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period
 * of less than one hour (3,600 seconds), the total evaluation period can't be longer than one
 * day (86,400 seconds)." Every alarm setting of the configuration is checked against it.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */
export function maxEvaluationRangeSeconds(periodSeconds: number): number {
  return periodSeconds < 3600 ? 86_400 : 604_800;
}
