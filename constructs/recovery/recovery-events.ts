/**
 * An EventBridge rule that forwards the outcome of every EC2 instance recovery to an SNS
 * topic: the alarm-based recover action's and simplified automatic recovery's, success and
 * failure. AWS reports both as AWS Health events; a recovery that healed itself is still
 * worth a message (Well-Architected: notify even when an event healed itself).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-recover.html
 * @see https://docs.aws.amazon.com/health/latest/ug/aws-health-events-eventbridge-schema.html
 */
import { Construct } from "constructs";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { NotificationTopic } from "../notifications/notification-topic";
import { EVENT_RULE_NAME_MAX, nameWithin } from "../../lib/aws";

/** AWS Health event type codes of EC2 recovery outcomes. */
export const EC2_RECOVERY_EVENT_TYPE_CODES = [
  // The CloudWatch alarm's `ec2:recover` action.
  "AWS_EC2_INSTANCE_AUTO_RECOVERY_SUCCESS",
  "AWS_EC2_INSTANCE_AUTO_RECOVERY_FAILURE",
  // Simplified automatic recovery (`maintenance_options.auto_recovery = "default"`).
  "AWS_EC2_SIMPLIFIED_AUTO_RECOVERY_SUCCESS",
  "AWS_EC2_SIMPLIFIED_AUTO_RECOVERY_FAILURE",
] as const;

export interface RecoveryEventsProps {
  /** Prefix of the rule name (`<name>-ec2-recovery`, shortened with a hash past EventBridge's 64 characters). */
  readonly name: string;
  /** The topic the events go to (its policy lets EventBridge publish). */
  readonly topic: NotificationTopic;
}

export class RecoveryEvents extends Construct {
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: RecoveryEventsProps) {
    super(scope, id);
    // Every instance of the account in the region: Health names an event's instance in
    // `resources`, and the message carries it.
    this.rule = new CloudwatchEventRule(this, "rule", {
      name: nameWithin(`${props.name}-ec2-recovery`, EVENT_RULE_NAME_MAX),
      description: "EC2 instance recovery succeeded or failed (alarm action or simplified automatic recovery)",
      eventPattern: JSON.stringify({
        source: ["aws.health"],
        "detail-type": ["AWS Health Event"],
        detail: { service: ["EC2"], eventTypeCode: [...EC2_RECOVERY_EVENT_TYPE_CODES] },
      }),
    });
    new CloudwatchEventTarget(this, "topic", {
      rule: this.rule.name,
      targetId: "notification-topic",
      arn: props.topic.arn,
    });
  }
}
