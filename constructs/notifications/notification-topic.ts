/**
 * The SNS topic a stack's alarms, Auto Scaling notifications and EventBridge rules publish
 * to, with the configured e-mail subscriptions; encrypted with the stack's key when it has
 * one (StackKey, whose policy lets those publishers use it: CloudWatch alarms cannot publish
 * to a topic under the AWS-managed `aws/sns` key). Lambda functions of the stack send the
 * events they fail to process here ({@link NotificationTopic.of}).
 */
import { Construct, IConstruct } from "constructs";
import { TerraformStack } from "cdktf";
import { StackKey } from "../encryption/stack-key";
import { TOPIC_KEY_RULE } from "../../policy/rules/encryption";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { policyDocument } from "../../lib/iam";

export interface NotificationTopicProps {
  readonly name: string;
  /** E-mail addresses to subscribe; each confirms by mail. @default [] */
  readonly emails?: readonly string[];
}

const TOPICS = new WeakMap<TerraformStack, NotificationTopic>();

export class NotificationTopic extends Construct {
  readonly topic: SnsTopic;
  readonly arn: string;

  /** The (first) notification topic of `scope`'s stack, if it has one. */
  static of(scope: IConstruct): NotificationTopic | undefined {
    return TOPICS.get(TerraformStack.of(scope));
  }

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", { name: props.name });
    const keyArn = StackKey.encrypt(this.topic, TOPIC_KEY_RULE);
    if (keyArn) this.topic.kmsMasterKeyId = keyArn;
    const stack = TerraformStack.of(this);
    if (!TOPICS.has(stack)) TOPICS.set(stack, this);
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
