import { EC2_ALARM_ACTIONS, ec2ActionArn, ec2ActionOf } from "../../lib/ec2-alarm-actions";

describe("EC2 alarm actions", () => {
  test("an action's ARN names the partition, the region and the action", () => {
    expect(ec2ActionArn("aws", "eu-west-1", "recover")).toBe("arn:aws:automate:eu-west-1:ec2:recover");
    expect(ec2ActionArn("aws-cn", "cn-north-1", "reboot")).toBe("arn:aws-cn:automate:cn-north-1:ec2:reboot");
  });

  test.each(EC2_ALARM_ACTIONS)("reads %s back from the ARN it builds", (action) => {
    expect(ec2ActionOf(ec2ActionArn("aws-us-gov", "us-gov-west-1", action))).toBe(action);
  });

  test("reads an ARN whose partition is an interpolation", () => {
    expect(ec2ActionOf("arn:${data.aws_partition.current.partition}:automate:ap-northeast-2:ec2:recover")).toBe("recover");
  });

  test.each([
    ["an SNS topic", "arn:aws:sns:ap-northeast-2:123456789012:alarms"],
    ["a reference", "${aws_sns_topic.events.arn}"],
    ["an unknown EC2 action", "arn:aws:automate:ap-northeast-2:ec2:hibernate"],
    ["a Systems Manager action", "arn:aws:ssm:ap-northeast-2:123456789012:opsitem:3"],
  ])("is no EC2 action: %s", (_what, arn) => {
    expect(ec2ActionOf(arn)).toBeUndefined();
  });
});
