/**
 * tools/emulator/stand_ins.py's ExecutePolicy of step scaling policies, in-process on moto: the
 * step holding MetricValue - BreachThreshold applies (above the threshold lower bound inclusive,
 * below it upper bound inclusive), the group stays within min and max, and a call without the
 * two values or outside every step is refused, as the ExecutePolicy API reference documents.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_ROOT, VENV_DIR, requireTool } from "../../lib/python-tools";

const PROBE = `
import json, sys
sys.path.insert(0, ${JSON.stringify(path.join(PROJECT_ROOT, "tools", "emulator"))})
from stand_ins import install_step_execution
import boto3
from moto import mock_aws
seen = []
with mock_aws():
    install_step_execution()
    kw = dict(region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    ec2, asg = boto3.client("ec2", **kw), boto3.client("autoscaling", **kw)
    lt = ec2.create_launch_template(LaunchTemplateName="probe", LaunchTemplateData={"ImageId": "ami-12c6146b", "InstanceType": "t3.micro"})
    asg.create_auto_scaling_group(AutoScalingGroupName="g", MinSize=2, MaxSize=4, AvailabilityZones=["us-east-1a"], LaunchTemplate={"LaunchTemplateId": lt["LaunchTemplate"]["LaunchTemplateId"]})
    policy = dict(AutoScalingGroupName="g", PolicyType="StepScaling", AdjustmentType="ChangeInCapacity")
    asg.put_scaling_policy(PolicyName="out", StepAdjustments=[{"ScalingAdjustment": 1, "MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": 10}, {"ScalingAdjustment": 2, "MetricIntervalLowerBound": 10}], **policy)
    asg.put_scaling_policy(PolicyName="in", StepAdjustments=[{"ScalingAdjustment": -1, "MetricIntervalUpperBound": 0}], **policy)
    def run(name, **values):
        try:
            asg.execute_policy(AutoScalingGroupName="g", PolicyName=name, **values)
            group = asg.describe_auto_scaling_groups(AutoScalingGroupNames=["g"])["AutoScalingGroups"][0]
            seen.append([name, values.get("MetricValue"), group["DesiredCapacity"], len(group["Instances"])])
        except Exception as e:
            seen.append([name, values.get("MetricValue"), type(e).__name__, str(e).split(": ", 1)[-1]])
    run("out", MetricValue=80, BreachThreshold=80)
    run("out", MetricValue=95, BreachThreshold=80)
    run("in", MetricValue=20, BreachThreshold=20)
    run("in", MetricValue=10, BreachThreshold=20)
    run("in", MetricValue=10, BreachThreshold=20)
    run("out")
    run("out", MetricValue=70, BreachThreshold=80)
print(json.dumps(seen))
`;

test("ExecutePolicy of a step policy applies the step holding the breach, within min and max", () => {
  requireTool("moto_server");
  const run = spawnSync(path.join(VENV_DIR, "bin", "python"), ["-c", PROBE], { encoding: "utf8" });
  expect(run.stderr).not.toMatch(/Traceback/);
  expect(JSON.parse(run.stdout)).toEqual([
    ["out", 80, 3, 3], // 0 <= 0 < 10: +1
    ["out", 95, 4, 4], // 15 >= 10: +2, held at max 4
    ["in", 20, 3, 3], // 0 <= 0 (below the threshold, upper bound inclusive): -1
    ["in", 10, 2, 2],
    ["in", 10, 2, 2], // held at min 2
    ["out", null, "ClientError", "MetricValue and BreachThreshold are required for a step scaling policy"],
    ["out", 70, "ClientError", "no step adjustment of out holds MetricValue - BreachThreshold = -10.0"],
  ]);
});
