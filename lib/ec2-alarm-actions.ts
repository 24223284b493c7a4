/**
 * EC2 alarm actions: a CloudWatch alarm on an instance's metric stops, terminates, reboots or
 * recovers that instance through the action ARN `arn:<partition>:automate:<region>:ec2:<action>`.
 * The recovery alarms write these ARNs, the recovery model and the review read them back from
 * the synthesized or planned JSON (without importing a construct), so the format lives here once.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/UsingAlarmActions.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
 */

/** The EC2 actions a CloudWatch alarm can take on the instance it watches. */
export const EC2_ALARM_ACTIONS = ["stop", "terminate", "reboot", "recover"] as const;
export type Ec2AlarmAction = (typeof EC2_ALARM_ACTIONS)[number];

/** ARN of an EC2 alarm action, e.g. `arn:aws:automate:ap-northeast-2:ec2:recover`. */
export function ec2ActionArn(partition: string, region: string, action: Ec2AlarmAction): string {
  return `arn:${partition}:automate:${region}:ec2:${action}`;
}

const EC2_ACTION_ARN = /:automate:[^:]*:ec2:([a-z]+)$/;

/**
 * The EC2 action an alarm action ARN takes, or undefined for another action (an SNS topic, a
 * scaling policy). The partition and region may be interpolations (`arn:${data...}:automate:...`).
 */
export function ec2ActionOf(arn: string): Ec2AlarmAction | undefined {
  const action = EC2_ACTION_ARN.exec(arn)?.[1];
  return (EC2_ALARM_ACTIONS as readonly string[]).includes(action ?? "") ? (action as Ec2AlarmAction) : undefined;
}
