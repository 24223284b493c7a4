/**
 * A Lambda function of the project: a handler directory of the source tree packaged as a zip
 * asset at synth (no archive provider), together with the handlers' shared support module
 * (`handler-support/`); its log group with a retention (CKV_AWS_66), and a role that may
 * write those logs and whatever {@link NodeFunction.allow} adds, nothing more.
 *
 * What every function of a stack gets by construction: its logs encrypted with the stack's
 * key (StackKey, CKV_AWS_158), X-Ray active tracing (CKV_AWS_50; a few traces a day stay in
 * X-Ray's free tier), and the events it fails to process after Lambda's retries of an
 * asynchronous invocation sent to the stack's notification topic as dead-letter target
 * (CKV_AWS_116), so an operator hears of them.
 *
 * The zip keeps every file at its path in the source tree, so a handler's relative
 * `require` of the support module resolves the same way in the tests and in Lambda.
 */
import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { Annotations, AssetType, Fn, TerraformAsset, dependable } from "cdktf";
import { CloudwatchEventRule, CloudwatchEventRuleConfig } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { StackKey } from "../encryption/stack-key";
import { LOG_GROUP_KEY_RULE } from "../../policy/rules/encryption";
import { NotificationTopic } from "../notifications/notification-topic";
import { LAMBDA_RUNTIME, runtimeWarning } from "../../lib/lambda-runtime";
import { Problems } from "../../lib/validation";
import { ZipArchive, zipTree } from "../../lib/zip-archive";
import { DEFAULT_LOG_RETENTION_DAYS, LOG_RETENTION_DAYS } from "../../lib/log-retention";
import { PolicyStatement, assumeRolePolicy, policyDocument, regionalIamName } from "../../lib/iam";
import { awsContext } from "../../lib/stack-context";
import { EVENT_RULE_NAME_MAX, nameWithin } from "../../lib/aws";

/** The module every handler may require (AWS call retries), relative to the project root. */
export const HANDLER_SUPPORT = path.join("constructs", "compute", "handler-support");

/**
 * The project root: the nearest directory above `from` holding package.json and the handler
 * support module. tsc compiles TypeScript only, and the handlers are JavaScript shipped as
 * written, so they are found in the source tree whether this module runs from the sources
 * (tests) or from `dist/` (synth).
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, HANDLER_SUPPORT))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${HANDLER_SUPPORT} above ${from}`);
  }
}

export interface NodeFunctionProps {
  /** Name of the function and its log group, and base of its role's name (which adds the stack's region: IAM names are account-wide). */
  readonly name: string;
  /** What the function does, for the console. */
  readonly description: string;
  /** Directory of the handler's `index.js` (exporting `handler`), relative to the project root. */
  readonly handlerDirectory: string;
  /** Environment variables of the function. */
  readonly environment: Readonly<Record<string, string>>;
  /** Seconds an invocation may run (1-900). @default 150 - room for the handlers' 2-minute bounded retry while IAM propagates (handler-support/aws-calls.js) */
  readonly timeoutSeconds?: number;
  /** Days the logs are kept (a value CloudWatch Logs accepts). @default - {@link DEFAULT_LOG_RETENTION_DAYS}: a year */
  readonly logRetentionDays?: number;
  /** Where the events it fails to process go. @default - the stack's notification topic (NotificationTopic.of), if it has one yet */
  readonly deadLetterTopic?: NotificationTopic;
  /** The date the runtime's deprecation dates are compared with (a synth warning). @default - today */
  readonly today?: Date;
}

export class NodeFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  /** The permission to write the logs. */
  readonly logsPolicy: IamRolePolicy;
  /** The zip of the code, in the project's cache. */
  readonly archive: ZipArchive;

  constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const root = projectRoot();
    const p = new Problems();
    p.oneOf("logRetentionDays", props.logRetentionDays, LOG_RETENTION_DAYS);
    p.integerInRange("timeoutSeconds", props.timeoutSeconds, 1, 900);
    if (!fs.existsSync(path.join(root, props.handlerDirectory, "index.js"))) {
      p.add("handlerDirectory", props.handlerDirectory, "must be a directory of the project (relative to its root) holding the handler's index.js");
    }
    p.throwIfAnyAt(this);

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });
    this.role = new IamRole(this, "role", {
      name: regionalIamName(props.name, awsContext(this).region),
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
    });
    this.logsPolicy = this.allow("logs", [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${this.logGroup.arn}:*` }]);

    const handlerDirectory = path.posix.normalize(props.handlerDirectory.split(path.sep).join("/"));
    // Zipped in-process into the project's tool cache, beside node_modules' other caches.
    const zip = (this.archive = zipTree(root, [handlerDirectory, HANDLER_SUPPORT], path.join(root, "node_modules", ".cache", "multiaz-ref"), props.name));
    const code = new TerraformAsset(this, "code", { path: zip.path, type: AssetType.FILE, assetHash: zip.sha256.slice(0, 16) });
    this.function = new LambdaFunction(this, "function", {
      functionName: props.name,
      description: props.description,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME.id,
      handler: `${handlerDirectory}/index.handler`,
      filename: code.path,
      sourceCodeHash: Fn.filebase64sha256(code.path),
      timeout: props.timeoutSeconds ?? 150,
      memorySize: 128,
      environment: { variables: { ...props.environment } },
      tracingConfig: { mode: "Active" },
      // The log group first: otherwise Lambda creates it, without retention, on the first call.
      dependsOn: [this.logGroup],
    });
    new IamRolePolicyAttachment(this, "tracing", {
      role: this.role.name,
      // X-Ray's write actions take no resource ARN; AWS's managed policy for them.
      policyArn: `arn:${Fn.element(Fn.split(":", this.role.arn), 1)}:iam::aws:policy/AWSXRayDaemonWriteAccess`,
    });
    const key = StackKey.of(this);
    const keyArn = StackKey.encrypt(this.logGroup, LOG_GROUP_KEY_RULE);
    if (keyArn) this.logGroup.kmsKeyId = keyArn;
    const topic = props.deadLetterTopic ?? NotificationTopic.of(this);
    if (topic) {
      this.function.putDeadLetterConfig({ targetArn: topic.arn });
      const publish = this.allow("dead-letters", [
        { Sid: "DeadLettersToTopic", Effect: "Allow", Action: "sns:Publish", Resource: topic.arn },
        ...(key ? [{ Sid: "DeadLettersEncrypted", Effect: "Allow" as const, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: key.key.arn }] : []),
      ]);
      // Lambda checks at create time that the role may send to the dead-letter target.
      this.function.dependsOn = [...(this.function.dependsOn ?? []), dependable(publish)];
    }
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

/** An EventBridge rule that invokes a function: the rule, its target, and the function's permission for it. */
export interface FunctionTrigger {
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly permission: LambdaPermission;
}

/**
 * An EventBridge rule `id` in `scope` (an event pattern or a schedule) that invokes `fn`, with
 * its target (`<id>-target`) and the function's permission (`<id>-permission`, statement
 * `statementId`) for that rule alone. A name over EventBridge's 64 characters is shortened with
 * a hash of the whole (lib/aws.ts nameWithin).
 */
export function invokeOn(
  scope: Construct,
  fn: NodeFunction,
  id: string,
  statementId: string,
  rule: Pick<CloudwatchEventRuleConfig, "name" | "description" | "eventPattern" | "scheduleExpression">,
): FunctionTrigger {
  const r = new CloudwatchEventRule(scope, id, { ...rule, name: rule.name === undefined ? undefined : nameWithin(rule.name, EVENT_RULE_NAME_MAX) });
  const target = new CloudwatchEventTarget(scope, `${id}-target`, { rule: r.name, arn: fn.function.arn });
  const permission = new LambdaPermission(scope, `${id}-permission`, {
    statementId,
    action: "lambda:InvokeFunction",
    functionName: fn.function.functionName,
    principal: "events.amazonaws.com",
    sourceArn: r.arn,
  });
  return { rule: r, target, permission };
}
