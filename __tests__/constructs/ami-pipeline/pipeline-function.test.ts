import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { AnnotationMetadataEntryType } from "cdktf";
import { PipelineFunction, handlerDirectory } from "../../../constructs/ami-pipeline/pipeline-function";
import { LAMBDA_RUNTIME } from "../../../lib/lambda-runtime";
import { deref, only, policyJson, statement, synthConstruct, withTempDir } from "../../helpers";

const PROJECT_ROOT = path.resolve(__dirname, "../../..");

function fn(scope: Construct, logRetentionDays?: number, today?: Date): PipelineFunction {
  const f = new PipelineFunction(scope, "publisher", { name: "demo-publisher", environment: { PARAMETER_NAME: "/demo/image-id" }, logRetentionDays, today });
  f.allow("example", [{ Sid: "Example", Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" }]);
  return f;
}

describe("PipelineFunction", () => {
  test("runs the handler on the project's one Lambda runtime from a zip the synth makes", () => {
    const tf = synthConstruct((scope) => fn(scope));

    const lambda = only(tf, "aws_lambda_function");
    expect(lambda).toMatchObject({ function_name: "demo-publisher", runtime: LAMBDA_RUNTIME.id, handler: "index.handler", environment: { variables: { PARAMETER_NAME: "/demo/image-id" } } });
    expect(lambda.filename).toMatch(/^assets\/.+\/handler\.zip$/);
    // Terraform hashes the zip itself, so a changed handler redeploys.
    expect(lambda.source_code_hash).toBe(`\${filebase64sha256("${lambda.filename}")}`);
  });

  test("synth warns about the runtime's deprecation on the function, from 180 days before its create block", () => {
    const warnings = (today: Date) => {
      let found: string[] = [];
      synthConstruct((scope) => {
        const f = fn(scope, undefined, today);
        found = f.function.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
      });
      return found;
    };
    expect(warnings(new Date("2026-11-01T00:00:00Z"))).toEqual([]);
    expect(warnings(new Date("2027-06-02T00:00:00Z"))).toEqual([expect.stringMatching(/^Lambda runtime nodejs22\.x .*refuses to create functions on it since 2027-06-01/)]);
  });

  test("writes its logs to a group with a retention, created before the function", () => {
    const tf = synthConstruct((scope) => fn(scope, 14));

    const logs = only(tf, "aws_cloudwatch_log_group");
    expect(logs).toEqual({ name: "/aws/lambda/demo-publisher", retention_in_days: 14 });
    const [address] = Object.keys(tf.resource.aws_cloudwatch_log_group);
    expect(only(tf, "aws_lambda_function").depends_on).toEqual([`aws_cloudwatch_log_group.${address}`]);
  });

  test("may write its own log group and what it is allowed, nothing else", () => {
    const tf = synthConstruct((scope) => fn(scope));

    const lambda = only(tf, "aws_lambda_function");
    const role = deref(tf, lambda.role).body;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const policies = Object.values(tf.resource.aws_iam_role_policy);
    expect(policies.map((p) => p.name).sort()).toEqual(["example", "logs"]);
    const logs = policies.find((p) => p.name === "logs")!;
    // The logs statement has no Sid: read the whole document.
    const [logStatement] = policyJson(logs.policy).Statement;
    expect(logStatement.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(logStatement.Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:\*$/);
    expect(statement(policies.find((p) => p.name === "example")!, "Example").Action).toBe("ec2:DescribeImages");
  });

  test("finds the handler in the source tree from the compiled output too", () => {
    // GIVEN the module running from dist/constructs/ami-pipeline (tsc copies no JavaScript there)
    const fromDist = path.join(PROJECT_ROOT, "dist", "constructs", "ami-pipeline");

    // THEN the handler comes from the sources
    expect(handlerDirectory(fromDist)).toBe(path.join(PROJECT_ROOT, "constructs", "ami-pipeline", "handler"));
    expect(fs.existsSync(path.join(handlerDirectory(), "index.js"))).toBe(true);
  });

  test("fails when there is no handler above the given directory", () => {
    withTempDir((dir) => expect(() => handlerDirectory(dir)).toThrow(/cannot find constructs\/ami-pipeline\/handler above/));
  });

  test("fails when the log retention is not one CloudWatch Logs accepts", () => {
    expect(() => synthConstruct((scope) => fn(scope, 8))).toThrow(/logRetentionDays \(8\): must be one of 1, 3, 5, 7, 14, 30/);
  });
});
