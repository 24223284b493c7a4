import { CpuScaling, SCALING_DEFAULTS, ScalingMode } from "../../../constructs/web/cpu-scaling";
import { TerraformJson, deref, only, resources, synthConstruct } from "../../helpers";

const GROUP = "test-web";

function synthScaling(scaling?: ScalingMode): TerraformJson {
  return synthConstruct((scope) => new CpuScaling(scope, "scaling", { name: "test-web", autoScalingGroupName: GROUP, scaling }));
}

function step(overrides: Record<string, unknown> = {}): ScalingMode {
  return { ...SCALING_DEFAULTS.step, ...overrides } as ScalingMode;
}

describe("CpuScaling", () => {
  test("by default keeps the group's average CPU near 50 % with one target-tracking policy", () => {
    // GIVEN no scaling settings WHEN synthesized
    const tf = synthScaling();
    // THEN one target-tracking policy on the group's average CPU, and no alarms of ours
    expect(only(tf, "aws_autoscaling_policy")).toMatchObject({
      autoscaling_group_name: GROUP,
      policy_type: "TargetTrackingScaling",
      estimated_instance_warmup: 300,
      target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" }, target_value: 50 },
    });
    expect(resources(tf, "aws_cloudwatch_metric_alarm")).toEqual({});
  });

  describe("in step mode (the course's policies)", () => {
    // GIVEN the step mode's defaults: >= 80 % for 1 x 300 s adds one, <= 20 % removes one
    const tf = synthScaling(step());
    const policies = Object.values(resources(tf, "aws_autoscaling_policy"));
    const alarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm"));
    const alarmOf = (operator: string) => alarms.find((a) => a.comparison_operator === operator)!;

    test("has two step policies, +1 and -1, with a warm-up", () => {
      expect(policies).toHaveLength(2);
      for (const p of policies) {
        expect(p).toMatchObject({
          autoscaling_group_name: GROUP,
          policy_type: "StepScaling",
          adjustment_type: "ChangeInCapacity",
          estimated_instance_warmup: 300,
        });
      }
      expect(policies.map((p) => p.step_adjustment[0].scaling_adjustment).sort()).toEqual([-1, 1]);
    });

    test("adds an instance when the group's average CPU is >= 80 % for one 300 s period", () => {
      const high = alarmOf("GreaterThanOrEqualToThreshold");
      expect(high).toMatchObject({
        namespace: "AWS/EC2",
        metric_name: "CPUUtilization",
        dimensions: { AutoScalingGroupName: GROUP },
        statistic: "Average",
        threshold: 80,
        period: 300,
        evaluation_periods: 1,
      });
      const policy = deref(tf, high.alarm_actions[0]).body;
      expect(policy.step_adjustment).toEqual([{ scaling_adjustment: 1, metric_interval_lower_bound: "0" }]);
    });

    test("removes an instance when the average CPU is <= 20 %", () => {
      const low = alarmOf("LessThanOrEqualToThreshold");
      expect(low).toMatchObject({
        metric_name: "CPUUtilization",
        dimensions: { AutoScalingGroupName: GROUP },
        threshold: 20,
        period: 300,
        evaluation_periods: 1,
      });
      const policy = deref(tf, low.alarm_actions[0]).body;
      expect(policy.step_adjustment).toEqual([{ scaling_adjustment: -1, metric_interval_upper_bound: "0" }]);
    });
  });

  test("takes the configured thresholds, window and warm-up", () => {
    const tf = synthScaling(step({ highCpuPercent: 70, lowCpuPercent: 30, periodSeconds: 60, evaluationPeriods: 3, warmupSeconds: 120 }));
    const alarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm"));
    expect(alarms.map((a) => a.threshold).sort()).toEqual([30, 70]);
    for (const a of alarms) expect(a).toMatchObject({ period: 60, evaluation_periods: 3 });
    for (const p of Object.values(resources(tf, "aws_autoscaling_policy"))) expect(p.estimated_instance_warmup).toBe(120);
  });
});
