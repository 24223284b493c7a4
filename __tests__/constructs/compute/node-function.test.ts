import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { AnnotationMetadataEntryType } from "cdktf";
import { unzipSync } from "fflate";
import { HANDLER_SUPPORT, NodeFunction, NodeFunctionProps, projectRoot } from "../../../constructs/compute/node-function";
import { LAMBDA_RUNTIME } from "../../../lib/lambda-runtime";
import { deref, only, policyJson, statement, synthConstruct, withTempDir } from "../../helpers";

const PROJECT_ROOT = path.resolve(__dirname, "../../..");

const HANDLER = "constructs/ami-pipeline/handler";

function fn(scope: Construct, overrides: Partial<NodeFunctionProps> = {}): NodeFunction {
  const f = new NodeFunction(scope, "publisher", {
    name: "demo-publisher",
    description: "Demo",
    handlerDirectory: HANDLER,
    environment: { PARAMETER_NAME: "/demo/image-id" },
    ...overrides,
  });
  f.allow("example", [{ Sid: "Example", Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" }]);
  return f;
}

describe("NodeFunction", () => {
  test("runs the handler on the project's one Lambda runtime from a zip the synth makes", () => {
    const tf = synthConstruct((scope) => fn(scope));

    const lambda = only(tf, "aws_lambda_function");
    expect(lambda).toMatchObject({
      function_name: "demo-publisher",
      runtime: LAMBDA_RUNTIME.id,
      handler: `${HANDLER}/index.handler`,
      environment: { variables: { PARAMETER_NAME: "/demo/image-id" } },
    });
    expect(lambda.filename).toMatch(/^assets\/.+\/demo-publisher\.zip$/);
    // Terraform hashes the zip itself, so a changed handler redeploys.
    expect(lambda.source_code_hash).toBe(`\${filebase64sha256("${lambda.filename}")}`);
  });

  test("zips the handler with the support module at their paths in the tree, so its require resolves in Lambda", () => {
    // GIVEN the function's zip
    let archive = "";
    synthConstruct((scope) => (archive = fn(scope).archive.path));
    const files = unzipSync(fs.readFileSync(archive));

    // THEN it holds the handler and the support module, and nothing else of the project
    expect(Object.keys(files)).toEqual(expect.arrayContaining([`${HANDLER}/index.js`, `${HANDLER_SUPPORT}/aws-calls.js`]));
    expect(Object.keys(files).filter((n) => !n.startsWith(`${HANDLER}/`) && !n.startsWith(`${HANDLER_SUPPORT}/`))).toEqual([]);
    // AND the handler, unpacked as Lambda unpacks it, loads with its support module
    withTempDir((dir) => {
      for (const [name, data] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), data);
      }
      expect(typeof require(path.join(dir, HANDLER, "index.js")).handler).toBe("function");
    });
  });

  test("gives an invocation 150 s by default, room for the 2-minute retry while IAM propagates", () => {
    expect(
      only(
        synthConstruct((scope) => fn(scope)),
        "aws_lambda_function",
      ).timeout,
    ).toBe(150);
    expect(
      only(
        synthConstruct((scope) => fn(scope, { timeoutSeconds: 30 })),
        "aws_lambda_function",
      ).timeout,
    ).toBe(30);
  });

  test("synth warns about the runtime's deprecation on the function, from 180 days before its create block", () => {
    const warnings = (today: Date) => {
      let found: string[] = [];
      synthConstruct((scope) => {
        const f = fn(scope, { today });
        found = f.function.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
      });
      return found;
    };
    expect(warnings(new Date("2026-11-01T00:00:00Z"))).toEqual([]);
    expect(warnings(new Date("2027-06-02T00:00:00Z"))).toEqual([
      expect.stringMatching(/^Lambda runtime nodejs22\.x .*refuses to create functions on it since 2027-06-01/),
    ]);
  });

  test("writes its logs to a group with a retention, created before the function", () => {
    const tf = synthConstruct((scope) => fn(scope, { logRetentionDays: 14 }));

    const logs = only(tf, "aws_cloudwatch_log_group");
    expect(logs).toEqual({ name: "/aws/lambda/demo-publisher", retention_in_days: 14 });
    const [address] = Object.keys(tf.resource.aws_cloudwatch_log_group);
    expect(only(tf, "aws_lambda_function").depends_on).toEqual([`aws_cloudwatch_log_group.${address}`]);
  });

  test("may write its own log group and what it is allowed, nothing else", () => {
    const tf = synthConstruct((scope) => fn(scope));

    const lambda = only(tf, "aws_lambda_function");
    const role = deref(tf, lambda.role).body;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = Object.values(tf.resource.aws_iam_role_policy);
    expect(policies.map((p) => p.name).sort()).toEqual(["example", "logs"]);
    const logs = policies.find((p) => p.name === "logs")!;
    // The logs statement has no Sid: read the whole document.
    const [logStatement] = policyJson(logs.policy).Statement;
    expect(logStatement.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(logStatement.Resource).toMatch(/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:\*$/);
    expect(
      statement(
        policies.find((p) => p.name === "example")!,
        "Example",
      ).Action,
    ).toBe("ec2:DescribeImages");
  });

  test("finds the handlers in the source tree from the compiled output too", () => {
    // GIVEN the module running from dist/constructs/compute (tsc copies no JavaScript there)
    const fromDist = path.join(PROJECT_ROOT, "dist", "constructs", "compute");

    // THEN the handlers come from the sources
    expect(projectRoot(fromDist)).toBe(PROJECT_ROOT);
    expect(projectRoot()).toBe(PROJECT_ROOT);
  });

  test("fails when there is no project above the given directory", () => {
    withTempDir((dir) => expect(() => projectRoot(dir)).toThrow(/cannot find constructs\/compute\/handler-support above/));
  });

  test("fails when the handler directory holds no handler", () => {
    expect(() => synthConstruct((scope) => fn(scope, { handlerDirectory: "constructs/nowhere" }))).toThrow(
      /handlerDirectory \("constructs\/nowhere"\): must be a directory of the project/,
    );
  });

  test("fails when the log retention is not one CloudWatch Logs accepts", () => {
    expect(() => synthConstruct((scope) => fn(scope, { logRetentionDays: 8 }))).toThrow(/logRetentionDays \(8\): must be one of 1, 3, 5, 7, 14, 30/);
  });
});
