import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { FaultExperiment, FaultExperimentProps } from "../../../constructs/fis/fault-experiment";
import { minutes, rebootInstances, runShell, stopInstances, terminateInstances } from "../../../constructs/fis/fault-action";
import { runningInstances } from "../../../constructs/fis/fault-target";
import { policyJson, resources, synthConstruct } from "../../helpers";

const TAGS = { Project: "p", Stack: "s" };

function build(scope: Construct, props: Partial<FaultExperimentProps> = {}): FaultExperiment {
  const stopAlarm = new CloudwatchMetricAlarm(scope, "alarm", { alarmName: "a", comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1 });
  return new FaultExperiment(scope, "x", {
    name: "p-s-fis-x",
    description: "test",
    selectionTags: TAGS,
    actions: [terminateInstances(runningInstances())],
    stopAlarm,
    ...props,
  });
}

describe("FaultExperiment", () => {
  test("one target per name shared by actions, the statements they share once", () => {
    const tf = synthConstruct((scope) =>
      build(scope, { actions: [rebootInstances(runningInstances()), terminateInstances(runningInstances(), ["reboot-instances"])] }),
    );
    const t = Object.values(resources(tf, "aws_fis_experiment_template"))[0];
    expect(t.target.map((x: any) => x.name)).toEqual(["instances"]);
    const statements = policyJson(Object.values(resources(tf, "aws_iam_role_policy"))[0].policy).Statement;
    expect(statements.filter((s: any) => s.Sid === "ResolveInstances")).toHaveLength(1);
    expect(statements.map((s: any) => s.Sid)).toEqual(["RebootInstances", "ResolveInstances", "TerminateInstances"]);
  });

  test("an SSM command runs AWS-RunShellScript of the stack's region with the commands as its parameter", () => {
    const tf = synthConstruct((scope) => build(scope, { actions: [runShell(runningInstances(), ["echo $(date)"], "PT1M")] }));
    const params = Object.fromEntries(Object.values(resources(tf, "aws_fis_experiment_template"))[0].action[0].parameter.map((p: any) => [p.key, p.value]));
    expect(params).toEqual({
      documentArn: "arn:aws:ssm:ap-northeast-2::document/AWS-RunShellScript",
      documentParameters: JSON.stringify({ commands: ["echo $(date)"] }),
      duration: "PT1M",
    });
  });

  test.each([
    ["ap-northeast-2", "arn:aws:kms:ap-northeast-2:*:key/*", "ec2.ap-northeast-2.amazonaws.com"],
    ["cn-north-1", "arn:aws-cn:kms:cn-north-1:*:key/*", "ec2.cn-north-1.amazonaws.com.cn"],
  ])("in %s, restarting stopped instances may grant their volumes' key only through EC2's endpoint of the region", (region, key, endpoint) => {
    const tf = synthConstruct((scope) => build(scope, { actions: [stopInstances(runningInstances(), minutes(5))] }), region);
    const statements = policyJson(Object.values(resources(tf, "aws_iam_role_policy"))[0].policy).Statement;
    expect(statements.find((s: any) => s.Action === "kms:CreateGrant")).toMatchObject({
      Resource: key,
      Condition: { StringLike: { "kms:ViaService": endpoint } },
    });
  });

  test.each([
    ["a description over FIS's limit", { description: "x".repeat(513) }, /has 513 characters; FIS allows at most 512/],
    ["targets chosen by no tag", { selectionTags: {} }, /selectionTags is empty; every target must be chosen by the stack's tags/],
    [
      "two actions of one name",
      { actions: [terminateInstances(runningInstances()), terminateInstances(runningInstances())] },
      /action names terminate-instances are used twice/,
    ],
    [
      "two targets of one name",
      { actions: [terminateInstances(runningInstances()), rebootInstances({ ...runningInstances(), selectionMode: "COUNT(1)" })] },
      /two different targets are named instances/,
    ],
  ])("refuses %s", (_what, props, message) => {
    expect(() => synthConstruct((scope) => build(scope, props as Partial<FaultExperimentProps>))).toThrow(message);
  });
});
