/**
 * How the web servers' group follows CPU load, in one of two modes:
 * - `target_tracking`: one policy keeping the group's average CPU near a target; AWS makes
 *   and owns the alarms;
 * - `step`: the course's setup, two step policies (+1 / -1 instance) driven by two CPU alarms
 *   on the group's average (>= high for the window -> add one, <= low -> remove one).
 * Both leave a new instance's CPU out of the average for a warm-up time, so the load of
 * booting does not trigger a further launch.
 */
import { Construct } from "constructs";
import { AutoscalingPolicy, AutoscalingPolicyStepAdjustment } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";

/** One policy keeping the group's average CPU near a target; AWS makes and owns the alarms. */
export interface TargetTrackingScaling {
  readonly mode: "target_tracking";
  /** Target average CPU, above 0 and at most 100 (%). */
  readonly targetCpuPercent: number;
  /** Seconds a new instance's CPU stays out of the average. */
  readonly warmupSeconds: number;
}

/** The course's setup: +1 instance at average CPU >= high for the window, -1 at <= low. */
export interface StepScaling {
  readonly mode: "step";
  /** Scale out at average CPU >= this (%), 1-100. */
  readonly highCpuPercent: number;
  /** Scale in at average CPU <= this (%), 0-99, below the high one. */
  readonly lowCpuPercent: number;
  /** The alarms' period, whole minutes (seconds). */
  readonly periodSeconds: number;
  /** The alarms' evaluation periods. */
  readonly evaluationPeriods: number;
  /** Seconds a new instance's CPU stays out of the average. */
  readonly warmupSeconds: number;
}

export type ScalingMode = TargetTrackingScaling | StepScaling;

/** The defaults of each mode: target tracking at 50 % CPU; steps at 80 % / 20 % over one 300 s period; 300 s warm-up. */
export const SCALING_DEFAULTS: { readonly target_tracking: TargetTrackingScaling; readonly step: StepScaling } = {
  target_tracking: { mode: "target_tracking", targetCpuPercent: 50, warmupSeconds: 300 },
  step: { mode: "step", highCpuPercent: 80, lowCpuPercent: 20, periodSeconds: 300, evaluationPeriods: 1, warmupSeconds: 300 },
};

export interface CpuScalingProps {
  /** Prefix of the policies' and alarms' names. */
  readonly name: string;
  /** The Auto Scaling group to scale. */
  readonly autoScalingGroupName: string;
  /**
   * The mode and its settings.
   * @default - {@link SCALING_DEFAULTS}.target_tracking: target tracking at 50 % CPU, 300 s warm-up
   * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-scale-based-on-demand.html
   */
  readonly scaling?: ScalingMode;
}

export class CpuScaling extends Construct {
  /** The policies by role: `cpu` (target tracking), or `scale-out` and `scale-in` (step). */
  readonly policies: Readonly<Record<string, AutoscalingPolicy>>;
  /** The alarms that drive the step policies (none for target tracking: AWS owns those). */
  readonly alarms: readonly CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: CpuScalingProps) {
    super(scope, id);
    const scaling = props.scaling ?? SCALING_DEFAULTS.target_tracking;

    if (scaling.mode === "target_tracking") {
      const cpu = new AutoscalingPolicy(this, "cpu", {
        name: `${props.name}-cpu-target`,
        autoscalingGroupName: props.autoScalingGroupName,
        policyType: "TargetTrackingScaling",
        estimatedInstanceWarmup: scaling.warmupSeconds,
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
          targetValue: scaling.targetCpuPercent,
        },
      });
      this.policies = { cpu };
      this.alarms = [];
      return;
    }

    // One step covering the whole breach, with bounds relative to the alarm's threshold:
    // anything at or above the high threshold adds one, at or below the low one removes one.
    const step = (role: string, adjustment: AutoscalingPolicyStepAdjustment) =>
      new AutoscalingPolicy(this, role, {
        name: `${props.name}-${role}`,
        autoscalingGroupName: props.autoScalingGroupName,
        policyType: "StepScaling",
        adjustmentType: "ChangeInCapacity",
        metricAggregationType: "Average",
        estimatedInstanceWarmup: scaling.warmupSeconds,
        stepAdjustment: [adjustment],
      });
    const scaleOut = step("scale-out", { scalingAdjustment: 1, metricIntervalLowerBound: "0" });
    const scaleIn = step("scale-in", { scalingAdjustment: -1, metricIntervalUpperBound: "0" });
    this.policies = { "scale-out": scaleOut, "scale-in": scaleIn };

    const window = `${scaling.evaluationPeriods} x ${scaling.periodSeconds} s`;
    const alarm = (role: string, operator: string, threshold: number, policy: AutoscalingPolicy, description: string) =>
      new CloudwatchMetricAlarm(this, `${role}-alarm`, {
        alarmName: `${props.name}-${role}`,
        alarmDescription: description,
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { AutoScalingGroupName: props.autoScalingGroupName },
        statistic: "Average",
        period: scaling.periodSeconds,
        evaluationPeriods: scaling.evaluationPeriods,
        comparisonOperator: operator,
        threshold,
        alarmActions: [policy.arn],
      });
    this.alarms = [
      alarm(
        "cpu-high",
        "GreaterThanOrEqualToThreshold",
        scaling.highCpuPercent,
        scaleOut,
        `Average CPU >= ${scaling.highCpuPercent} % for ${window}: add an instance`,
      ),
      alarm(
        "cpu-low",
        "LessThanOrEqualToThreshold",
        scaling.lowCpuPercent,
        scaleIn,
        `Average CPU <= ${scaling.lowCpuPercent} % for ${window}: remove an instance`,
      ),
    ];
  }
}
