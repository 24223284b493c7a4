import { Construct } from "constructs";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  AGE_METRIC,
  AmiPipeline,
  AmiPipelineProps,
  CATCH_UP_MINUTES,
  DLM_START_WINDOW_SECONDS,
  IMAGE_CREATION_ALLOWANCE_SECONDS,
  METRIC_NAMESPACE,
  PIPELINE_TAG,
  SOURCE_INSTANCE_TAG,
} from "../../../constructs/ami-pipeline/ami-pipeline";
import { deref, only, resources, statement, TEST_TOPIC_ARN, synthConstruct, testTopic, withTempDir } from "../../helpers";

const BASE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const TOPIC = TEST_TOPIC_ARN;

function pipeline(scope: Construct, overrides: Partial<AmiPipelineProps> = {}): AmiPipeline {
  return new AmiPipeline(scope, "ami-pipeline", {
    name: "demo",
    parameterName: "/demo/multiaz/image-id",
    baseImageParameter: BASE,
    targetTags: { ServerGroup: "demo" },
    topic: testTopic(scope),
    ...overrides,
  });
}

function policyNamed(tf: ReturnType<typeof synthConstruct>, name: string): Record<string, any> {
  const found = Object.values(resources(tf, "aws_iam_role_policy")).find((p) => p.name === name);
  if (!found) throw new Error(`no role policy ${name}`);
  return found;
}

describe("AmiPipeline", () => {
  test("images the server's instances on the configured schedule and keeps the newest N", () => {
    // GIVEN a pipeline every 6 hours keeping 3, with reboots
    const tf = synthConstruct((scope) => pipeline(scope, { intervalHours: 6, retainCount: 3, noReboot: false }));

    // THEN DLM makes AMIs of the instances with the group's tag, and only those
    const details = only(tf, "aws_dlm_lifecycle_policy").policy_details;
    expect(details).toMatchObject({
      policy_type: "IMAGE_MANAGEMENT",
      resource_types: ["INSTANCE"],
      target_tags: { ServerGroup: "demo" },
      parameters: { no_reboot: false },
    });
    expect(details.schedule).toHaveLength(1);
    expect(details.schedule[0]).toMatchObject({
      create_rule: { interval: 6, interval_unit: "HOURS" },
      retain_rule: { count: 3 },
      // The handler reads this to skip images of warm-pool instances.
      variable_tags: { [SOURCE_INSTANCE_TAG]: "$(instance-id)" },
    });
  });

  test("images daily, keeps 7 and does not reboot the server by default", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const details = only(tf, "aws_dlm_lifecycle_policy").policy_details;
    expect(details.schedule[0]).toMatchObject({ create_rule: { interval: 24 }, retain_rule: { count: 7 } });
    expect(details.parameters).toEqual({ no_reboot: true });
  });

  test("the policy and every image it makes carry the pipeline's tag, which finds the images once the policy is gone", () => {
    const policy = only(
      synthConstruct((scope) => pipeline(scope)),
      "aws_dlm_lifecycle_policy",
    );
    expect(policy.tags).toEqual({ Name: "demo", [PIPELINE_TAG]: "demo" });
    expect(policy.policy_details.schedule[0].tags_to_add).toEqual({ Name: "demo-ami", [PIPELINE_TAG]: "demo" });
  });

  test("runs DLM under a role with the AWS managed policy for AMI management", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const policy = only(tf, "aws_dlm_lifecycle_policy");
    const role = deref(tf, policy.execution_role_arn).body;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attachment = Object.values(resources(tf, "aws_iam_role_policy_attachment")).find((a) => a.policy_arn.includes("DataLifecycleManager"))!;
    expect(attachment.policy_arn).toBe("arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRoleForAMIManagement");
    expect(deref(tf, attachment.role).body).toBe(role);
  });

  test("keeps the newest AMI in an aws:ec2:image parameter, seeded at apply time with the base image", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    // THEN the parameter is validated as an image id and starts from the seed's answer...
    const parameter = only(tf, "aws_ssm_parameter");
    expect(parameter).toMatchObject({ name: "/demo/multiaz/image-id", type: "String", data_type: "aws:ec2:image" });
    const seed = only(tf, "aws_lambda_invocation");
    const [seedAddress] = Object.keys(resources(tf, "aws_lambda_invocation"));
    expect(parameter.insecure_value).toBe(`\${jsondecode(aws_lambda_invocation.${seedAddress}.result).imageId}`);
    expect(JSON.parse(seed.input)).toEqual({ baseImageParameter: BASE });
    expect(deref(tf, seed.function_name).type).toBe("aws_lambda_function");

    // ...after which the pipeline owns its value, until another base image replaces it
    expect(parameter.lifecycle).toEqual({ ignore_changes: ["insecure_value"], replace_triggered_by: [`aws_lambda_invocation.${seedAddress}`] });
    expect(seed.triggers).toEqual({ baseImageParameter: BASE });
  });

  test("names the seed as a bare reference in HCL output too, where cdktf would quote the address", () => {
    // GIVEN the pipeline synthesized as `cdktf synth --hcl` does
    process.env.SYNTH_HCL_OUTPUT = "true";
    let hcl: string;
    try {
      hcl = withTempDir((outdir) => {
        const stack = new TerraformStack(new App({ outdir, stackTraces: false }), "test");
        new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
        pipeline(stack);
        return Testing.synthHcl(stack);
      });
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }

    // THEN replace_triggered_by is a list of references, which Terraform accepts (a quoted address it rejects)
    expect(hcl).toMatch(/^\s*replace_triggered_by = \[aws_lambda_invocation\.ami-pipeline_base-image_[0-9A-F]+\]$/m);
  });

  test("gives the launch template the parameter to resolve at each launch", () => {
    let imageId = "";
    synthConstruct((scope) => {
      imageId = pipeline(scope).imageId;
    });

    expect(imageId).toBe("resolve:ssm:/demo/multiaz/image-id");
  });

  /** The rule with this name, its target and permission. */
  function ruleNamed(tf: ReturnType<typeof synthConstruct>, name: string) {
    const [address, rule] = Object.entries(resources(tf, "aws_cloudwatch_event_rule")).find(([, r]) => r.name === name) ?? [];
    if (!rule) throw new Error(`no rule ${name}`);
    const target = Object.values(resources(tf, "aws_cloudwatch_event_target")).find((t) => t.rule === `\${aws_cloudwatch_event_rule.${address}.name}`);
    const permission = Object.values(resources(tf, "aws_lambda_permission")).find((p) => p.source_arn === `\${aws_cloudwatch_event_rule.${address}.arn}`);
    return { rule, target: target!, permission: permission! };
  }

  test("runs the publisher on the AMI state changes it acts on (EventBridge cannot match the images' tags)", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const { rule, target, permission } = ruleNamed(tf, "demo-image-state-change");
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.ec2"],
      "detail-type": ["EC2 AMI State Change"],
      detail: { State: ["available", "deregistered", "disabled"] },
    });
    expect(deref(tf, target.arn).type).toBe("aws_lambda_function");
    expect(permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "events.amazonaws.com" });
  });

  test("runs a catch-up on a schedule, since AMI events are best effort", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const { rule, target, permission } = ruleNamed(tf, "demo-image-catch-up");
    expect(rule.schedule_expression).toBe(`rate(${CATCH_UP_MINUTES} minutes)`);
    expect(rule.event_pattern).toBeUndefined();
    expect(deref(tf, target.arn).type).toBe("aws_lambda_function");
    expect(permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "events.amazonaws.com" });
  });

  test.each([
    [24, 26],
    [1, 3],
  ])("alarms on the topic when the published image is older than the %p h interval + DLM's 1 h start window + 1 h creation", (intervalHours, alarmHours) => {
    const tf = synthConstruct((scope) => pipeline(scope, { intervalHours }));

    const alarm = only(tf, "aws_cloudwatch_metric_alarm");
    expect(alarm).toMatchObject({
      namespace: METRIC_NAMESPACE,
      metric_name: AGE_METRIC,
      dimensions: { Pipeline: "demo" },
      statistic: "Maximum",
      period: CATCH_UP_MINUTES * 60,
      comparison_operator: "GreaterThanThreshold",
      threshold: alarmHours * 3600,
      // A publisher that stops putting the metric is as bad as an old image.
      treat_missing_data: "breaching",
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
    expect(alarm.threshold).toBe(intervalHours * 3600 + DLM_START_WINDOW_SECONDS + IMAGE_CREATION_ALLOWANCE_SECONDS);
  });

  test("tells the handler which parameter to write and which policy's AMIs to trust", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const variables = only(tf, "aws_lambda_function").environment.variables;
    expect(variables.PARAMETER_NAME).toBe("/demo/multiaz/image-id");
    expect(deref(tf, variables.DLM_POLICY_ID)).toMatchObject({ type: "aws_dlm_lifecycle_policy", attr: "id" });
    expect(variables).toMatchObject({ BASE_IMAGE_PARAMETER: BASE, TOPIC_ARN: TOPIC, METRIC_NAMESPACE, PIPELINE_NAME: "demo" });
  });

  test("lets the function write this parameter only, read only the base image, tell only the stack's topic and put only its own metrics", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const policy = policyNamed(tf, "publish-images");
    const publish = statement(policy, "PublishNewestImage");
    expect(publish.Action).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(statement(policy, "TellTheTopic")).toMatchObject({ Action: "sns:Publish", Resource: TOPIC });
    expect(statement(policy, "ImageAgeMetric")).toMatchObject({
      Action: "cloudwatch:PutMetricData",
      Condition: { StringEquals: { "cloudwatch:namespace": METRIC_NAMESPACE } },
    });
    expect(deref(tf, publish.Resource)).toMatchObject({ type: "aws_ssm_parameter", attr: "arn" });
    expect(statement(policyNamed(tf, "read-base-image"), "BaseImage")).toEqual({
      Sid: "BaseImage",
      Effect: "Allow",
      Action: "ssm:GetParameter",
      Resource: `arn:aws:ssm:ap-northeast-2::parameter${BASE}`,
    });
  });

  test("seeds only once the function may read the base image and log", () => {
    const tf = synthConstruct((scope) => pipeline(scope));

    const dependsOn: string[] = only(tf, "aws_lambda_invocation").depends_on;
    const names = dependsOn.map((address) => resources(tf, "aws_iam_role_policy")[address.split(".")[1]].name).sort();
    // Not the publishing policy: it names the parameter, which waits for the seed.
    expect(names).toEqual(["logs", "read-base-image"]);
  });

  test.each([5, 0, 48])("fails when the interval is %p hours, which DLM does not accept", (hours) => {
    expect(() => synthConstruct((scope) => pipeline(scope, { intervalHours: hours }))).toThrow(
      new RegExp(`intervalHours \\(${hours}\\): must be one of 1, 2, 3, 4, 6, 8, 12, 24`),
    );
  });

  test.each([0, 1001, 2.5])("fails when %p AMIs are to be kept", (count) => {
    expect(() => synthConstruct((scope) => pipeline(scope, { retainCount: count }))).toThrow(
      new RegExp(`retainCount \\(${count}\\): must be a whole number from 1 to 1000`),
    );
  });

  test("fails when no tag selects the server's instances", () => {
    expect(() => synthConstruct((scope) => pipeline(scope, { targetTags: {} }))).toThrow(
      /targetTags \(\{\}\): give the tags only the server's instances carry/,
    );
  });

  test("fails when the parameter would live under the reserved /aws path", () => {
    expect(() => synthConstruct((scope) => pipeline(scope, { parameterName: "/aws/mine" }))).toThrow(/parameterName \("\/aws\/mine"\)/);
  });
});
