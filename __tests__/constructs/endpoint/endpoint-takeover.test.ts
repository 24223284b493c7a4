import { Construct } from "constructs";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { StackKey } from "../../../constructs/encryption/stack-key";
import { DnsZone } from "../../../constructs/dns/dns-zone";
import { ElasticIpEndpoint } from "../../../constructs/endpoint/elastic-ip-endpoint";
import {
  ATTACHED_METRIC,
  CHECK_MINUTES,
  ENDPOINT_METRIC_NAMESPACE,
  EndpointTakeover,
  EndpointTakeoverProps,
  TAKEOVER_HANDLER_DIRECTORY,
} from "../../../constructs/endpoint/endpoint-takeover";
import { deref, only, resources, statement, TEST_TOPIC_ARN, synthConstruct, testTopic } from "../../helpers";

const TOPIC = TEST_TOPIC_ARN;

function takeover(scope: Construct, overrides: Partial<EndpointTakeoverProps> = {}): EndpointTakeover {
  const zone = new DnsZone(scope, "dns", { zoneName: "ha.example.com" });
  const endpoint = new ElasticIpEndpoint(scope, "endpoint", { name: "demo", zone, fqdn: "demo.ha.example.com", recordKey: "demo.recordName" });
  return new EndpointTakeover(scope, "takeover", {
    name: "demo",
    endpoint,
    groupName: "demo",
    hookName: "demo-launch",
    instanceTag: { key: "ServerGroup", value: "demo" },
    topic: testTopic(scope),
    stateParameterName: "/demo/multiaz/takeover-failures",
    ...overrides,
  });
}

function rule(tf: ReturnType<typeof synthConstruct>, name: string) {
  const [address, body] = Object.entries(resources(tf, "aws_cloudwatch_event_rule")).find(([, r]) => r.name === name) ?? [];
  if (!body) throw new Error(`no rule ${name}`);
  const target = Object.values(resources(tf, "aws_cloudwatch_event_target")).find((t) => t.rule === `\${aws_cloudwatch_event_rule.${address}.name}`);
  const permission = Object.values(resources(tf, "aws_lambda_permission")).find((p) => p.source_arn === `\${aws_cloudwatch_event_rule.${address}.arn}`);
  return { body, target: target!, permission: permission! };
}

describe("EndpointTakeover", () => {
  test("runs the takeover handler, told which group, hook, address, record and topic it serves", () => {
    const tf = synthConstruct((scope) => takeover(scope));

    const fn = only(tf, "aws_lambda_function");
    expect(fn).toMatchObject({ function_name: "demo-endpoint-takeover", handler: `${TAKEOVER_HANDLER_DIRECTORY}/index.handler` });
    const env = fn.environment.variables;
    expect(env).toMatchObject({
      GROUP_NAME: "demo",
      HOOK_NAME: "demo-launch",
      TOPIC_ARN: TOPIC,
      STATE_PARAMETER: "/demo/multiaz/takeover-failures",
      MAX_REPLACEMENTS: "2",
      METRIC_NAMESPACE: ENDPOINT_METRIC_NAMESPACE,
    });
    expect(deref(tf, env.ALLOCATION_ID)).toMatchObject({ type: "aws_eip", attr: "allocation_id" });
  });

  test("may associate only this address, and only with the group's tagged instances and interfaces", () => {
    const tf = synthConstruct((scope) => takeover(scope));

    const policy = Object.values(resources(tf, "aws_iam_role_policy")).find((p) => p.name === "take-over-endpoint")!;
    expect(deref(tf, statement(policy, "ThisElasticIp").Resource)).toMatchObject({ type: "aws_eip", attr: "arn" });
    expect(statement(policy, "OntoThisGroupsInstancesOnly")).toEqual({
      Sid: "OntoThisGroupsInstancesOnly",
      Effect: "Allow",
      Action: "ec2:AssociateAddress",
      Resource: ["arn:aws:ec2:ap-northeast-2:*:instance/*", "arn:aws:ec2:ap-northeast-2:*:network-interface/*"],
      Condition: { StringEquals: { "aws:ResourceTag/ServerGroup": "demo" } },
    });
    expect(statement(policy, "CompleteThisGroupsLaunches")).toMatchObject({
      Action: "autoscaling:CompleteLifecycleAction",
      Resource: "arn:aws:autoscaling:ap-northeast-2:*:autoScalingGroup:*:autoScalingGroupName/demo",
    });
    expect(deref(tf, statement(policy, "FailureRecord").Resource)).toMatchObject({ type: "aws_ssm_parameter", attr: "arn" });
    expect(statement(policy, "TellTheTopic")).toMatchObject({ Action: "sns:Publish", Resource: TOPIC });
    expect(statement(policy, "EndpointMetric").Condition).toEqual({ StringEquals: { "cloudwatch:namespace": ENDPOINT_METRIC_NAMESPACE } });
  });

  test("may use the stack's key to publish when the topic is encrypted with it, and asks for no key otherwise", () => {
    const plain = synthConstruct((scope) => takeover(scope));
    const plainPolicy = Object.values(resources(plain, "aws_iam_role_policy")).find((p) => p.name === "take-over-endpoint")!;
    expect(JSON.stringify(plainPolicy.policy)).not.toContain("kms:");

    const tf = synthConstruct((scope) => {
      new StackKey(scope, "key", { name: "demo" });
      takeover(scope);
    });
    const policy = Object.values(resources(tf, "aws_iam_role_policy")).find((p) => p.name === "take-over-endpoint")!;
    expect(statement(policy, "TopicEncrypted").Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
    expect(deref(tf, statement(policy, "TopicEncrypted").Resource)).toMatchObject({ type: "aws_kms_key", attr: "arn" });
  });

  test("is invoked by the group's launches into service (not into the warm pool) and by a periodic check", () => {
    const tf = synthConstruct((scope) => takeover(scope));

    const launches = rule(tf, "demo-launch-into-service");
    expect(JSON.parse(launches.body.event_pattern)).toEqual({
      source: ["aws.autoscaling"],
      "detail-type": ["EC2 Instance-launch Lifecycle Action"],
      detail: { AutoScalingGroupName: ["demo"], LifecycleHookName: ["demo-launch"], Destination: ["AutoScalingGroup"] },
    });
    const checks = rule(tf, "demo-endpoint-check");
    expect(checks.body.schedule_expression).toBe(`rate(${CHECK_MINUTES} minutes)`);
    for (const r of [launches, checks]) {
      expect(deref(tf, r.target.arn).type).toBe("aws_lambda_function");
      expect(r.permission).toMatchObject({ action: "lambda:InvokeFunction", principal: "events.amazonaws.com" });
    }
  });

  test("records failed takeovers in a parameter the function owns, starting empty", () => {
    const tf = synthConstruct((scope) => takeover(scope));

    expect(only(tf, "aws_ssm_parameter")).toMatchObject({
      name: "/demo/multiaz/takeover-failures",
      type: "String",
      insecure_value: JSON.stringify({ failedInstances: [] }),
      lifecycle: { ignore_changes: ["insecure_value"] },
    });
  });

  test("alarms on the topic when the address is off the instance in service for two checks, or the checks stop", () => {
    const tf = synthConstruct((scope) => takeover(scope));

    expect(only(tf, "aws_cloudwatch_metric_alarm")).toMatchObject({
      alarm_name: "demo-endpoint",
      namespace: ENDPOINT_METRIC_NAMESPACE,
      metric_name: ATTACHED_METRIC,
      dimensions: { Group: "demo" },
      statistic: "Minimum",
      period: CHECK_MINUTES * 60,
      evaluation_periods: 2,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test("names what the group's first launch must wait for: the function, its permissions and its rules", () => {
    // A resource that depends on them, as the group does
    const tf = synthConstruct((scope) => {
      new SnsTopic(scope, "stands-in-for-the-group", { name: "x", dependsOn: takeover(scope).launchDependencies });
    });
    const dependencies: string[] = Object.values(resources(tf, "aws_sns_topic")).find((t) => t.name === "x")!.depends_on;

    for (const type of ["aws_lambda_function", "aws_iam_role_policy", "aws_cloudwatch_event_rule", "aws_cloudwatch_event_target", "aws_lambda_permission"]) {
      expect(dependencies.some((d) => d.startsWith(`${type}.`))).toBe(true);
    }
  });

  test.each([-1, 11, 1.5])("fails when %p replacements are allowed", (maxReplacements) => {
    expect(() => synthConstruct((scope) => takeover(scope, { maxReplacements }))).toThrow(
      new RegExp(`maxReplacements \\(${maxReplacements}\\): must be a whole number from 0 to 10`),
    );
  });

  test("fails when the instance tag has an empty value, which would match every instance that has the key", () => {
    expect(() => synthConstruct((scope) => takeover(scope, { instanceTag: { key: "ServerGroup", value: "" } }))).toThrow(
      /instanceTag.value \(""\): must be 1 to 256/,
    );
  });

  test("fails when the instance tag key is reserved by AWS", () => {
    expect(() => synthConstruct((scope) => takeover(scope, { instanceTag: { key: "aws:autoscaling:groupName", value: "demo" } }))).toThrow(
      /instanceTag.key \("aws:autoscaling:groupName"\): must be an EC2 tag key/,
    );
  });
});
