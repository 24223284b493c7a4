import { NotificationTopic } from "../../../constructs/notifications/notification-topic";
import { LoadBalancerAlarms, LoadBalancerAlarmsProps } from "../../../constructs/web/alb-alarms";
import { ApplicationLoadBalancer } from "../../../constructs/web/application-load-balancer";
import { InstanceTargetGroup } from "../../../constructs/web/target-group";
import { TerraformJson, resources, synthConstruct, testVpc } from "../../helpers";

/** The dimensions name the load balancer and the target group by their ARN suffixes. */
const LOAD_BALANCER = expect.stringMatching(/^\$\{aws_lb\.[^.]+\.arn_suffix\}$/);
const TARGET_GROUP = expect.stringMatching(/^\$\{aws_lb_target_group\.[^.]+\.arn_suffix\}$/);

function alarmsByMetric(props: Partial<LoadBalancerAlarmsProps> = {}): Record<string, Record<string, any>> {
  const tf: TerraformJson = synthConstruct((scope) => {
    const vpc = testVpc(scope);
    const targetGroup = new InstanceTargetGroup(scope, "target-group", { name: "test-web", vpc, port: 80 });
    const loadBalancer = new ApplicationLoadBalancer(scope, "load-balancer", { name: "test-web", vpc, targetGroup });
    const topic = new NotificationTopic(scope, "topic", { name: "test-web" });
    new LoadBalancerAlarms(scope, "alarms", { name: "test-web", loadBalancer, targetGroup, topic, ...props });
  });
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
      dimensions: { LoadBalancer: LOAD_BALANCER },
      statistic: "Sum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 10,
      evaluation_periods: 1,
    });
  });

  test("unhealthy hosts: any target of the group failing its health check", () => {
    expect(alarms.UnHealthyHostCount).toMatchObject({
      dimensions: { LoadBalancer: LOAD_BALANCER, TargetGroup: TARGET_GROUP },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
      evaluation_periods: 1,
    });
  });

  test("response time: the targets' average above 1 s for 3 minutes", () => {
    expect(alarms.TargetResponseTime).toMatchObject({
      dimensions: { LoadBalancer: LOAD_BALANCER, TargetGroup: TARGET_GROUP },
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
