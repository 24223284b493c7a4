import { Token } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { Ec2RecoveryAlarms, Ec2RecoveryAlarmsProps } from "../../../constructs/recovery/ec2-recovery-alarms";
import { TEST_TOPIC_ARN, TerraformJson, resources, synthConstruct, testTopic } from "../../helpers";

const INSTANCE = "${aws_instance.server.id}";
const TOPIC = TEST_TOPIC_ARN;

/** The alarms' resources by metric name, for an instance and a topic of a stack in `region`. */
function synthAlarms(props: Partial<Ec2RecoveryAlarmsProps> = {}, region?: string): Record<string, Record<string, any>> {
  const tf: TerraformJson = synthConstruct((scope) => {
    const instance = new Instance(scope, "server", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" });
    instance.overrideLogicalId("server");
    const topic = testTopic(scope);
    new Ec2RecoveryAlarms(scope, "alarms", { name: "test", instance, topic, ...props });
  }, region);
  return Object.fromEntries(Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).map((a) => [a.metric_name, a]));
}

describe("Ec2RecoveryAlarms", () => {
  test("the system status check recovers the instance after 2 one-minute periods", () => {
    // GIVEN the defaults WHEN synthesized
    const alarm = synthAlarms().StatusCheckFailed_System;
    // THEN the alarm is AWS's recommended recover alarm and tells the topic both ways
    expect(alarm).toMatchObject({
      alarm_name: "test-recover",
      namespace: "AWS/EC2",
      dimensions: { InstanceId: INSTANCE },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      period: 60,
      evaluation_periods: 2,
      treat_missing_data: "missing",
      alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:recover", TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test("the instance status check reboots the instance after 3 periods", () => {
    const alarm = synthAlarms().StatusCheckFailed_Instance;
    expect(alarm).toMatchObject({
      alarm_name: "test-reboot",
      dimensions: { InstanceId: INSTANCE },
      statistic: "Maximum",
      threshold: 0,
      period: 60,
      evaluation_periods: 3,
      alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:reboot", TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test("periods come from the props", () => {
    // GIVEN the book's 5 periods of 2 minutes for recovery and 7 for reboot
    const alarms = synthAlarms({ recoverEvaluationPeriods: 5, rebootEvaluationPeriods: 7, alarmPeriodSeconds: 120 });
    expect(alarms.StatusCheckFailed_System).toMatchObject({ period: 120, evaluation_periods: 5 });
    expect(alarms.StatusCheckFailed_Instance).toMatchObject({ period: 120, evaluation_periods: 7 });
  });

  test("action ARNs carry the stack's region and its partition", () => {
    // GIVEN a stack in a China region WHEN synthesized THEN the partition is derived from it
    expect(synthAlarms({}, "cn-north-1").StatusCheckFailed_System.alarm_actions[0]).toBe("arn:aws-cn:automate:cn-north-1:ec2:recover");
    expect(synthAlarms({}, "us-gov-west-1").StatusCheckFailed_Instance.alarm_actions[0]).toBe("arn:aws-us-gov:automate:us-gov-west-1:ec2:reboot");
  });

  test("accepts evaluation ranges up to CloudWatch's limits", () => {
    // GIVEN exactly one day of 1-minute periods, and exactly seven days of 1-hour periods
    expect(synthAlarms({ recoverEvaluationPeriods: 1440, rebootEvaluationPeriods: 1 }).StatusCheckFailed_System.evaluation_periods).toBe(1440);
    expect(
      synthAlarms({ alarmPeriodSeconds: 3600, recoverEvaluationPeriods: 1, rebootEvaluationPeriods: 168 }).StatusCheckFailed_Instance.evaluation_periods,
    ).toBe(168);
  });

  test("values that are still tokens are not checked", () => {
    // GIVEN periods known only at apply time WHEN synthesized THEN they pass through
    const periods = Token.asNumber("${var.periods}");
    expect(synthAlarms({ recoverEvaluationPeriods: periods, rebootEvaluationPeriods: periods }).StatusCheckFailed_System.evaluation_periods).toBe(
      "${var.periods}",
    );
  });

  test("fails when both alarms use the same number of periods", () => {
    expect(() => synthAlarms({ recoverEvaluationPeriods: 3, rebootEvaluationPeriods: 3 })).toThrow(
      /recoverEvaluationPeriods \(3\): must differ from rebootEvaluationPeriods \(3\)/,
    );
  });

  test.each([30, 10, 90, 0, 59.5])("fails when the period is %p s, not a multiple of 60", (period) => {
    expect(() => synthAlarms({ alarmPeriodSeconds: period })).toThrow(new RegExp(`alarmPeriodSeconds \\(${period}\\): must be a multiple of 60`));
  });

  test.each([0, -1, 1.5])("fails when the recover alarm has %p evaluation periods", (periods) => {
    expect(() => synthAlarms({ recoverEvaluationPeriods: periods })).toThrow(
      new RegExp(`recoverEvaluationPeriods \\(${periods}\\): must be a whole number of periods, at least 1`),
    );
  });

  test("fails when period x evaluation periods exceed one day", () => {
    // GIVEN 1441 one-minute periods (one minute beyond a day)
    expect(() => synthAlarms({ rebootEvaluationPeriods: 1441 })).toThrow(
      /rebootEvaluationPeriods \(1441\): x alarmPeriodSeconds \(60\) is 86460 s, beyond CloudWatch's 86400 s evaluation range; use at most 1440 periods/,
    );
  });

  test("fails when hour-long periods exceed seven days", () => {
    expect(() => synthAlarms({ alarmPeriodSeconds: 3600, rebootEvaluationPeriods: 169 })).toThrow(/rebootEvaluationPeriods \(169\).*604800 s/);
  });

  test("reports every problem at once, as a programmer error at the construct's path", () => {
    // GIVEN a bad period and a bad evaluation count WHEN synthesized THEN both are named
    expect(() => synthAlarms({ alarmPeriodSeconds: 30, rebootEvaluationPeriods: 0 })).toThrow(
      /alarms: alarmPeriodSeconds \(30\): must be a multiple of 60.*; rebootEvaluationPeriods \(0\)/,
    );
  });
});
