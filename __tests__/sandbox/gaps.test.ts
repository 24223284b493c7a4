/**
 * The gaps table is true of the installed moto: each API it names is missing in moto itself
 * (without our stand-ins), so an upgrade that adds one fails here until its entry goes.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { GAPS, gapOf } from "../../sandbox/gaps";
import { VENV_DIR, requireTool } from "../../lib/python-tools";

const PROBE = `
import json, sys, boto3
from moto import mock_aws
results = {}
with mock_aws():
    for name, probe in json.loads(sys.argv[1]).items():
        client = boto3.client(probe["service"], region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        try:
            getattr(client, probe["method"])(**probe["args"])
            results[name] = "implemented"
        except NotImplementedError:
            results[name] = "missing"
        except Exception as e:
            results[name] = "missing" if "not yet implemented" in str(e).lower() else f"error {type(e).__name__}: {e}"
print(json.dumps(results))
`;

describe("the emulator's gaps", () => {
  test("every entry is still missing in the pinned moto", () => {
    requireTool("moto_server");
    const probes = Object.fromEntries(Object.entries(GAPS).map(([type, gap]) => [type, gap.probe]));
    const run = spawnSync(path.join(VENV_DIR, "bin", "python"), ["-c", PROBE, JSON.stringify(probes)], { encoding: "utf8" });
    expect(
      run.stderr
        .trim()
        .split("\n")
        .filter((l) => /Traceback/.test(l)),
    ).toEqual([]);
    const results = JSON.parse(run.stdout) as Record<string, string>;
    expect(results).toEqual(Object.fromEntries(Object.keys(GAPS).map((t) => [t, "missing"])));
  });

  test("moto itself still refuses CloudWatch's AWS JSON 1.0 protocol, which tools/emulator/stand_ins.py lets it take", () => {
    const probe = [
      "from moto.core.request import determine_request_protocol",
      "from moto.core.responses import get_service_model",
      "model = get_service_model('cloudwatch')",
      "try:",
      "    print(determine_request_protocol(model, 'application/x-amz-json-1.0'))",
      "except NotImplementedError as e:",
      "    print('refused:', e)",
    ].join("\n");
    const run = spawnSync(path.join(VENV_DIR, "bin", "python"), ["-c", probe], { encoding: "utf8" });
    expect(run.stdout.trim()).toBe("refused: Unsupported protocol [json] for service cloudwatch");
  });

  test("moto itself still fails ExecutePolicy of a step scaling policy, which tools/emulator/stand_ins.py answers", () => {
    const probe = [
      "import boto3",
      "from moto import mock_aws",
      "with mock_aws():",
      "    kw = dict(region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='x')",
      "    ec2, asg = boto3.client('ec2', **kw), boto3.client('autoscaling', **kw)",
      "    lt = ec2.create_launch_template(LaunchTemplateName='probe', LaunchTemplateData={'ImageId': 'ami-12c6146b', 'InstanceType': 't3.micro'})",
      "    asg.create_auto_scaling_group(AutoScalingGroupName='g', MinSize=1, MaxSize=2, AvailabilityZones=['us-east-1a'], LaunchTemplate={'LaunchTemplateId': lt['LaunchTemplate']['LaunchTemplateId']})",
      "    asg.put_scaling_policy(AutoScalingGroupName='g', PolicyName='out', PolicyType='StepScaling', AdjustmentType='ChangeInCapacity', StepAdjustments=[{'ScalingAdjustment': 1, 'MetricIntervalLowerBound': 0}])",
      "    try:",
      "        asg.execute_policy(AutoScalingGroupName='g', PolicyName='out', MetricValue=90, BreachThreshold=80)",
      "        print('executed', asg.describe_auto_scaling_groups()['AutoScalingGroups'][0]['DesiredCapacity'])",
      "    except Exception as e:",
      "        print('failed:', type(e).__name__, e)",
    ].join("\n");
    const run = spawnSync(path.join(VENV_DIR, "bin", "python"), ["-c", probe], { encoding: "utf8" });
    expect(run.stdout.trim()).toBe("failed: TypeError unsupported operand type(s) for +: 'int' and 'NoneType'");
  });

  test("a resource address maps to its type's gap", () => {
    expect(gapOf("aws_autoscaling_notification.servers_notifications_1C375F09")?.treatment).toBe("left out");
    expect(gapOf("aws_vpc.network_vpc_1")).toBeUndefined();
  });
});
