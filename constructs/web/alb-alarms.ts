/**
 * The load balancer's alarms, each sent to a topic when it fires and again when it clears
 * (an event that healed itself is still worth knowing about):
 * - the load balancer answering 5xx itself (502/503/504: targets failing or missing);
 * - any unhealthy target (the course's failover demo);
 * - slow targets.
 * Periods are one minute, the resolution Elastic Load Balancing reports at. It reports a
 * metric only while requests flow, so missing data counts as fine.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
import { Construct } from "constructs";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { NotificationTopic } from "../notifications/notification-topic";
import { ApplicationLoadBalancer } from "./application-load-balancer";
import { InstanceTargetGroup } from "./target-group";

const PERIOD_SECONDS = 60;
/** Minutes the response time must stay high: one slow minute is noise, three are a trend. */
const RESPONSE_TIME_MINUTES = 3;

/** Load-balancer 5xx answers in a minute above which the alarm fires. */
export const DEFAULT_ELB_5XX_PER_MINUTE = 10;
/** Targets' average response time (seconds) above which the alarm fires. */
export const DEFAULT_TARGET_RESPONSE_TIME_SECONDS = 1;

export interface LoadBalancerAlarmsProps {
  /** Prefix of the alarm names. */
  readonly name: string;
  /** The load balancer watched. */
  readonly loadBalancer: ApplicationLoadBalancer;
  /** Its target group, whose targets' health and response time are watched. */
  readonly targetGroup: InstanceTargetGroup;
  /** The topic the alarms notify. */
  readonly topic: NotificationTopic;
  /** Alarm above this many load-balancer 5xx answers in a minute (0 alarms on the first). @default - {@link DEFAULT_ELB_5XX_PER_MINUTE}: 10 */
  readonly elb5xxPerMinute?: number;
  /** Alarm when the targets' average response time stays above this (seconds). @default - {@link DEFAULT_TARGET_RESPONSE_TIME_SECONDS}: 1 s */
  readonly targetResponseTimeSeconds?: number;
}

export class LoadBalancerAlarms extends Construct {
  readonly elb5xx: CloudwatchMetricAlarm;
  readonly unhealthyHosts: CloudwatchMetricAlarm;
  readonly responseTime: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: LoadBalancerAlarmsProps) {
    super(scope, id);
    const elb5xxPerMinute = props.elb5xxPerMinute ?? DEFAULT_ELB_5XX_PER_MINUTE;
    const responseTime = props.targetResponseTimeSeconds ?? DEFAULT_TARGET_RESPONSE_TIME_SECONDS;

    const loadBalancer = { LoadBalancer: props.loadBalancer.arnSuffix };
    const targetGroup = { ...loadBalancer, TargetGroup: props.targetGroup.arnSuffix };
    const alarm = (alarmId: string, settings: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "namespace" | "period">) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.name}-${alarmId}`,
        namespace: "AWS/ApplicationELB",
        period: PERIOD_SECONDS,
        treatMissingData: "notBreaching",
        // CKV_AWS_338: every alarm acts, on the way in and on the way out.
        alarmActions: [props.topic.arn],
        okActions: [props.topic.arn],
        ...settings,
      });

    this.elb5xx = alarm("elb-5xx", {
      alarmDescription: `The load balancer answered more than ${elb5xxPerMinute} 5xx in a minute: targets failing, draining or missing`,
      metricName: "HTTPCode_ELB_5XX_Count",
      dimensions: loadBalancer,
      statistic: "Sum",
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: elb5xxPerMinute,
    });
    this.unhealthyHosts = alarm("unhealthy-hosts", {
      alarmDescription: "A target fails the load balancer's health check; the group replaces it after the grace period",
      metricName: "UnHealthyHostCount",
      dimensions: targetGroup,
      statistic: "Maximum",
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
    });
    this.responseTime = alarm("response-time", {
      alarmDescription: `The targets' average response time stayed above ${responseTime} s for ${RESPONSE_TIME_MINUTES} minutes`,
      metricName: "TargetResponseTime",
      dimensions: targetGroup,
      statistic: "Average",
      evaluationPeriods: RESPONSE_TIME_MINUTES,
      comparisonOperator: "GreaterThanThreshold",
      threshold: responseTime,
    });
  }
}
