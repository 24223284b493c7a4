import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { LoadBalancerAlarms, LoadBalancerAlarmsProps } from "../../../constructs/web/alb-alarms";
import { TerraformJson, resources, synthConstruct } from "../../helpers";

const BASE: Omit<LoadBalancerAlarmsProps, "topic"> = {
  name: "test-web",
  loadBalancerArnSuffix: "app/test-web/0123456789abcdef",
  targetGroupArnSuffix: "targetgroup/test-web/fedcba9876543210",
};

function alarmsByMetric(props: Partial<LoadBalancerAlarmsProps> = {}): Record<string, Record<string, any>> {
  const tf: TerraformJson = synthConstruct(
    (scope) => new LoadBalancerAlarms(scope, "alarms", { ...BASE, topic: new NotificationTopic(scope, "topic", { name: "test-web" }), ...props }),
  );
  return Object.fromEntries(Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).map((a) => [a.metric_name, a]));
}

describe("LoadBalancerAlarms", () => {
  // GIVEN the default thresholds WHEN synthesized
  const alarms = alarmsByMetric();

  test("alarms on the load balancer's 5xx, unhealthy targets and slow targets", () => {
    expect(Object.keys(alarms).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"]);
  });

  test("every alarm notifies the topic when it fires and when it clears, per minute, quiet without traffic", () => {
    for (const a of Object.values(alarms)) {
      expect(a).toMatchObject({
        namespace: "AWS/ApplicationELB",
        period: 60,
        alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.topic_[^.]+\.arn\}$/)],
        ok_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.topic_[^.]+\.arn\}$/)],
        treat_missing_data: "notBreaching",
      });
    }
  });

  test("5xx: more than 10 answered by the load balancer in a minute", () => {
    expect(alarms.HTTPCode_ELB_5XX_Count).toMatchObject({
      dimensions: { LoadBalancer: BASE.loadBalancerArnSuffix },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 10,
      evaluation_periods: 1,
    });
  });

  test("unhealthy hosts: any target of the group failing its health check", () => {
    expect(alarms.UnHealthyHostCount).toMatchObject({
      dimensions: { LoadBalancer: BASE.loadBalancerArnSuffix, TargetGroup: BASE.targetGroupArnSuffix },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      evaluation_periods: 1,
    });
  });

  test("response time: the targets' average above 1 s for 3 minutes", () => {
    expect(alarms.TargetResponseTime).toMatchObject({
      dimensions: { LoadBalancer: BASE.loadBalancerArnSuffix, TargetGroup: BASE.targetGroupArnSuffix },
      statistic: "Average",
      comparison_operator: "GreaterThanThreshold",
      threshold: 1,
      evaluation_periods: 3,
    });
  });

  test("takes configured thresholds", () => {
    const custom = alarmsByMetric({ elb5xxPerMinute: 0, targetResponseTimeSeconds: 0.25 });
    expect(custom.HTTPCode_ELB_5XX_Count.threshold).toBe(0);
    expect(custom.TargetResponseTime.threshold).toBe(0.25);
  });
});
