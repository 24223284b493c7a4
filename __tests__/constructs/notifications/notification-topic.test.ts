import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { only, policyJson, resources, synthConstruct } from "../../helpers";

describe("NotificationTopic", () => {
  test("subscribes every e-mail address and lets CloudWatch alarms and EventBridge publish", () => {
    const tf = synthConstruct((scope) => new NotificationTopic(scope, "notifications", { name: "demo", emails: ["ops@example.com", "oncall@example.com"] }));
    expect(only(tf, "aws_sns_topic")).toMatchObject({ name: "demo" });
    expect(
      Object.values(resources(tf, "aws_sns_topic_subscription"))
        .map((s) => [s.protocol, s.endpoint])
        .sort(),
    ).toEqual([
      ["email", "oncall@example.com"],
      ["email", "ops@example.com"],
    ]);
    const [statement] = policyJson(only(tf, "aws_sns_topic_policy").policy).Statement;
    expect(statement).toMatchObject({ Effect: "Allow", Action: "sns:Publish", Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] } });
    expect(statement.Resource).toMatch(/^\$\{aws_sns_topic\..+\.arn\}$/);
  });

  test("has no subscriptions when no address is configured", () => {
    const tf = synthConstruct((scope) => new NotificationTopic(scope, "notifications", { name: "demo" }));
    expect(resources(tf, "aws_sns_topic_subscription")).toEqual({});
  });
});
