import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { EC2_RECOVERY_EVENT_TYPE_CODES, RecoveryEvents } from "../../../constructs/recovery/recovery-events";
import { TerraformJson, deref, only, synthConstruct } from "../../helpers";

function synthEvents(): TerraformJson {
  return synthConstruct((scope) => new RecoveryEvents(scope, "events", { name: "test", topic: new NotificationTopic(scope, "topic", { name: "alarms" }) }));
}

describe("RecoveryEvents", () => {
  test("matches the AWS Health events of both recovery mechanisms, success and failure", () => {
    // GIVEN the construct WHEN synthesized
    const rule = only(synthEvents(), "aws_cloudwatch_event_rule");
    // THEN the pattern selects EC2 Health events of the four recovery outcomes, nothing else
    expect(rule.name).toBe("test-ec2-recovery");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.health"],
      "detail-type": ["AWS Health Event"],
      detail: {
        service: ["EC2"],
        eventTypeCode: [
          "AWS_EC2_INSTANCE_AUTO_RECOVERY_SUCCESS",
          "AWS_EC2_INSTANCE_AUTO_RECOVERY_FAILURE",
          "AWS_EC2_SIMPLIFIED_AUTO_RECOVERY_SUCCESS",
          "AWS_EC2_SIMPLIFIED_AUTO_RECOVERY_FAILURE",
        ],
      },
    });
    expect(EC2_RECOVERY_EVENT_TYPE_CODES).toHaveLength(4);
  });

  test("sends the events to the topic", () => {
    const tf = synthEvents();
    const target = only(tf, "aws_cloudwatch_event_target");
    expect(deref(tf, target.arn)).toMatchObject({ type: "aws_sns_topic", attr: "arn" });
    expect(deref(tf, target.rule).type).toBe("aws_cloudwatch_event_rule");
  });
});
