/**
 * The AMI pipeline's Lambda function: the handler in `handler/` packaged as a zip asset at
 * synth (no archive provider), its log group with a retention (CKV_AWS_158), and a role that
 * may write those logs and whatever {@link PipelineFunction.allow} adds, nothing more.
 */
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { Annotations, AssetType, Fn, TerraformAsset } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LAMBDA_RUNTIME, runtimeWarning } from "../../lib/lambda-runtime";
import { Problems } from "../../lib/validation";
import { zipDirectory } from "../../lib/zip-archive";
import { LOG_RETENTION_DAYS } from "../network/multi-az-vpc";
import { PolicyStatement, policyDocument } from "../../lib/iam";

/** The handler's source, relative to the project root. */
const HANDLER_SOURCE = path.join("constructs", "ami-pipeline", "handler");

/**
 * The handler's directory. tsc compiles TypeScript only, and the handler is JavaScript shipped
 * as written, so it is found in the source tree whether this module runs from the sources
 * (tests) or from `dist/` (synth): under the nearest directory above holding package.json.
 */
export function handlerDirectory(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, HANDLER_SOURCE);
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${HANDLER_SOURCE} above ${from}`);
  }
}

export interface PipelineFunctionProps {
  /** Name of the function, its role and log group. */
  readonly name: string;
  /** Environment variables of the function. */
  readonly environment: Readonly<Record<string, string>>;
  /** Days the logs are kept (a value CloudWatch Logs accepts). @default 30 */
  readonly logRetentionDays?: number;
  /** The date the runtime's deprecation dates are compared with (a synth warning). @default - today */
  readonly today?: Date;
}

export class PipelineFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The permission to write the logs. */
  readonly logsPolicy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);
    const p = new Problems();
    p.oneOf("logRetentionDays", props.logRetentionDays, LOG_RETENTION_DAYS);
    p.throwIfAny();

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.role = new IamRole(this, "role", {
      name: props.name,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    this.logsPolicy = this.allow("logs", [
      { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${this.logGroup.arn}:*` },
    ]);

    const handler = handlerDirectory();
    // Zipped in-process into the project's tool cache, beside node_modules' other caches.
    const projectRoot = handler.slice(0, handler.length - HANDLER_SOURCE.length);
    const zip = zipDirectory(handler, path.join(projectRoot, "node_modules", ".cache", "multiaz-ref"));
    const code = new TerraformAsset(this, "code", { path: zip.path, type: AssetType.FILE, assetHash: zip.sha256.slice(0, 16) });
    this.function = new LambdaFunction(this, "function", {
      functionName: props.name,
      description: "Keeps the image parameter at the newest AMI of the server",
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME.id,
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      timeout: 30,
      memorySize: 128,
      environment: { variables: { ...props.environment } },
      // The log group first: otherwise Lambda creates it, without retention, on the first call.
      dependsOn: [this.logGroup],
    });
    const warning = runtimeWarning(LAMBDA_RUNTIME, props.today ?? new Date());
    if (warning) Annotations.of(this.function).addWarning(warning);
  }

  /** Adds an inline policy named `name` with these statements. */
  allow(name: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, `policy-${name}`, {
      name,
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }
}
