/**
 * The SNS topic a stack's alarms, Auto Scaling notifications and EventBridge rules publish
 * to, with the configured e-mail subscriptions. Not KMS-encrypted on purpose: CloudWatch
 * alarms cannot publish to a topic encrypted with the AWS-managed `aws/sns` key.
 */
import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { policyDocument } from "../../lib/iam";

export interface NotificationTopicProps {
  readonly name: string;
  /** E-mail addresses to subscribe; each confirms by mail. @default [] */
  readonly emails?: readonly string[];
}

export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name });
    this.arn = this.topic.arn;
    new SnsTopicPolicy(this, "policy", {
      arn: this.topic.arn,
      policy: policyDocument([
          {
            Sid: "AlarmsAndEventsPublish",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
            Action: "sns:Publish",
            Resource: this.topic.arn,
          },
        ]),
    });
    (props.emails ?? []).forEach((email) => {
      new SnsTopicSubscription(this, `email-${email.replace(/[^a-zA-Z0-9]/g, "-")}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      });
    });
  }
}
