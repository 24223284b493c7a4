/**
 * The EBS-snapshot AMI pipeline (the book's `multiaz-ebs`, made by a schedule instead of by
 * hand): Data Lifecycle Manager makes an AMI of the running server every `intervalHours` and
 * keeps the newest `retainCount`; when one becomes available, a Lambda function writes its id
 * to an SSM parameter of data type `aws:ec2:image`; the launch template reads that parameter
 * with `resolve:ssm:` at every launch, so the next replacement starts from the newest AMI
 * without anyone editing the stack. Data written since that AMI is what a replacement loses.
 *
 * The parameter is a Terraform resource, seeded at apply time with the base image (the Lambda
 * function looks the public parameter up, so the plan needs no AWS call) and then left to the
 * pipeline: Terraform ignores later changes of its value.
 *
 * AMI events are best effort, so the function also runs on a schedule (a catch-up that
 * publishes the newest image of the policy, and repairs a parameter whose image DLM retention
 * deleted), and it puts the age of the published image as a metric: an alarm on the stack's
 * topic fires when it exceeds the interval plus DLM's start window plus the image's creation,
 * that is when the RPO the stack promises no longer holds.
 * @see https://docs.aws.amazon.com/ebs/latest/userguide/ami-policy.html
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitor-ami-events.html
 */
import { Construct } from "constructs";
import { Fn, Token, dependable } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DlmLifecyclePolicy } from "@cdktf/provider-aws/lib/dlm-lifecycle-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LambdaInvocation } from "@cdktf/provider-aws/lib/lambda-invocation";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { assumeRolePolicy, regionalIamName } from "../../lib/iam";
import { isParameterPath } from "../../lib/ssm-parameters";
import { awsContext } from "../../lib/stack-context";
import { Problems } from "../../lib/validation";
import { NodeFunction, invokeOn } from "../compute/node-function";
import { NotificationTopic } from "../notifications/notification-topic";

/** The intervals (hours) a DLM create rule accepts. */
export const DLM_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24];
export const INTERVAL_HOURS_FIX = `must be one of ${DLM_INTERVAL_HOURS.join(", ")} (the intervals Data Lifecycle Manager accepts)`;
export const RETAIN_COUNT_FIX = "must be a whole number from 1 to 1000: DLM keeps at least the newest AMI, which the next replacement starts from";
export const NO_REBOOT_FIX = "must be true (image the running server) or false (reboot it for a file-system-consistent image)";

/** A day between AMIs: the RPO while the state is on the server's disk. */
export const DEFAULT_INTERVAL_HOURS = 24;
/** A week of daily AMIs. */
export const DEFAULT_RETAIN_COUNT = 7;
/** Image the running server: crash-consistent, but it keeps serving. */
export const DEFAULT_NO_REBOOT = true;

/** The publisher's handler, relative to the project root. */
export const HANDLER_DIRECTORY = "constructs/ami-pipeline/handler";

/** Tag on each AMI naming the instance it was made of (a DLM variable tag); the handler reads it. */
export const SOURCE_INSTANCE_TAG = "SourceInstanceId";

/** The publisher's metric and its namespace (lib/custom-metrics.ts, which the model reads too). */
import { AGE_METRIC, METRIC_NAMESPACE } from "../../lib/custom-metrics";
export { AGE_METRIC, METRIC_NAMESPACE };

/** Minutes between catch-ups, which also put the age metric: its period. */
export const CATCH_UP_MINUTES = 60;

/**
 * How late DLM may start a scheduled image: "Subsequent AMI creation operations start within
 * one hour of their scheduled time" (EBS User Guide, "Considerations for AMI lifecycle policies").
 */
export const DLM_START_WINDOW_SECONDS = 3600;

/**
 * Time from the start of an image to its `available` state, allowed before the age alarm.
 * Our estimate: an AMI is available when its snapshots complete; the first, full snapshot of
 * a small gp3 root volume takes minutes to tens of minutes, later ones are incremental.
 */
export const IMAGE_CREATION_ALLOWANCE_SECONDS = 3600;

/**
 * Tag the policy and, through its tags-to-add, every image it makes carry: the pipeline's
 * name. It finds the images once the policy is gone, which `cdktf destroy` leaves behind
 * (`npm run cleanup`, lib/pipeline-images.ts).
 */
export const PIPELINE_TAG = "AmiPipeline";

export interface AmiPipelineProps {
  /** Name of the policy, function, rule and roles. */
  readonly name: string;
  /** Name of the SSM parameter the launch template resolves, e.g. `/project/multiaz/image-id`. */
  readonly parameterName: string;
  /** Public SSM parameter of the base image the first launch uses, in the stack's region (see `amazonLinux2023Parameter`). */
  readonly baseImageParameter: string;
  /** Tags that the server's instances carry and no other instance; DLM images what has them all. */
  readonly targetTags: Readonly<Record<string, string>>;
  /** Hours between AMIs, one of {@link DLM_INTERVAL_HOURS}. @default - {@link DEFAULT_INTERVAL_HOURS}: 24 */
  readonly intervalHours?: number;
  /** AMIs kept, oldest deregistered first (1-1000). @default - {@link DEFAULT_RETAIN_COUNT}: 7 */
  readonly retainCount?: number;
  /** Image without rebooting the server: crash-consistent, but it keeps serving. @default - {@link DEFAULT_NO_REBOOT}: true */
  readonly noReboot?: boolean;
  /** The stack's topic: the image-age alarm, and what the catch-up repaired. */
  readonly topic: NotificationTopic;
}

export class AmiPipeline extends Construct {
  readonly policy: DlmLifecyclePolicy;
  /** The SSM parameter holding the newest AMI id. */
  readonly parameter: SsmParameter;
  readonly parameterName: string;
  /** Image id for a launch template: `resolve:ssm:<parameterName>`. */
  readonly imageId: string;
  readonly function: NodeFunction;
  /** The apply-time lookup of the base image. */
  readonly seed: LambdaInvocation;
  readonly intervalHours: number;
  /** Fires when the published image is older than {@link ageAlarmSeconds}: the live RPO monitor. */
  readonly ageAlarm: CloudwatchMetricAlarm;
  /** Interval + DLM's start window + the image's creation: the oldest the published image may be. */
  readonly ageAlarmSeconds: number;

  constructor(scope: Construct, id: string, props: AmiPipelineProps) {
    super(scope, id);
    validate(this, props);
    const { region, partition } = awsContext(this);
    this.intervalHours = props.intervalHours ?? DEFAULT_INTERVAL_HOURS;
    const retainCount = props.retainCount ?? DEFAULT_RETAIN_COUNT;
    this.parameterName = props.parameterName;
    this.imageId = `resolve:ssm:${props.parameterName}`;

    const dlmRole = new IamRole(this, "dlm-role", {
      name: regionalIamName(`${props.name}-dlm`, region),
      assumeRolePolicy: assumeRolePolicy("dlm.amazonaws.com"),
    });
    const dlmPermissions = new IamRolePolicyAttachment(this, "dlm-ami-management", {
      role: dlmRole.name,
      policyArn: `arn:${partition}:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRoleForAMIManagement`,
    });
    this.policy = new DlmLifecyclePolicy(this, "policy", {
      // DLM allows letters, digits, spaces, _ and - in descriptions.
      description: `AMIs of ${props.name} every ${this.intervalHours} h keeping ${retainCount}`,
      executionRoleArn: dlmRole.arn,
      state: "ENABLED",
      policyDetails: {
        policyType: "IMAGE_MANAGEMENT",
        resourceTypes: ["INSTANCE"],
        targetTags: { ...props.targetTags },
        parameters: { noReboot: props.noReboot ?? DEFAULT_NO_REBOOT },
        schedule: [
          {
            name: `Every ${this.intervalHours} h`,
            createRule: { interval: this.intervalHours, intervalUnit: "HOURS" },
            retainRule: { count: retainCount },
            tagsToAdd: { Name: `${props.name}-ami`, [PIPELINE_TAG]: props.name },
            variableTags: { [SOURCE_INSTANCE_TAG]: "$(instance-id)" },
          },
        ],
      },
      tags: { Name: props.name, [PIPELINE_TAG]: props.name },
      dependsOn: [dlmPermissions],
    });

    this.function = new NodeFunction(this, "publisher", {
      name: `${props.name}-image-publisher`,
      description: "Keeps the image parameter at the newest AMI of the server",
      handlerDirectory: HANDLER_DIRECTORY,
      environment: {
        PARAMETER_NAME: props.parameterName,
        DLM_POLICY_ID: this.policy.id,
        BASE_IMAGE_PARAMETER: props.baseImageParameter,
        TOPIC_ARN: props.topic.arn,
        METRIC_NAMESPACE,
        PIPELINE_NAME: props.name,
      },
    });
    const baseImageArn = `arn:${partition}:ssm:${region}::parameter${props.baseImageParameter}`;
    const seeding = this.function.allow("read-base-image", [{ Sid: "BaseImage", Effect: "Allow", Action: "ssm:GetParameter", Resource: baseImageArn }]);

    this.seed = new LambdaInvocation(this, "base-image", {
      functionName: this.function.function.functionName,
      input: JSON.stringify({ baseImageParameter: props.baseImageParameter }),
      // Another base image (another architecture) invokes it again, which replaces the parameter.
      triggers: { baseImageParameter: props.baseImageParameter },
      dependsOn: [seeding, this.function.logsPolicy],
    });

    this.parameter = new SsmParameter(this, "image-parameter", {
      name: props.parameterName,
      description: `Newest AMI of ${props.name}, written by ${props.name}-image-publisher; launch templates read it with resolve:ssm`,
      type: "String",
      // Validated by SSM as an AMI id; launch templates accept only this type for resolve:ssm.
      dataType: "aws:ec2:image",
      insecureValue: Token.asString(Fn.lookupNested(Fn.jsondecode(this.seed.result), ["imageId"])),
      lifecycle: {
        // The pipeline owns the value after the seed.
        ignoreChanges: ["insecure_value"],
        // A new base image means a new architecture: the pipeline's AMIs no longer fit it.
        // As an address: cdktf would write the resource itself as "${...}", which Terraform rejects here.
        replaceTriggeredBy: [dependable(this.seed)],
      },
    });
    // Terraform wants a bare reference in replace_triggered_by. cdktf 0.21 writes the address
    // above bare in JSON but quoted in HCL (`cdktf synth --hcl`), where Terraform rejects it
    // (and plan rejects "${...}" too). Its HCL renderer writes a string that starts with `[`
    // verbatim, so the HCL gets the list as one expression.
    if (synthesizesHcl()) {
      this.parameter.addOverride("lifecycle.replace_triggered_by", `[${dependable(this.seed)}]`);
    }

    this.function.allow("publish-images", [
      // Describe* actions have no resource-level permissions.
      { Sid: "ReadImageTags", Effect: "Allow", Action: "ec2:DescribeImages", Resource: "*" },
      { Sid: "SkipWarmPoolImages", Effect: "Allow", Action: "autoscaling:DescribeAutoScalingInstances", Resource: "*" },
      { Sid: "PublishNewestImage", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: this.parameter.arn },
      { Sid: "TellTheTopic", Effect: "Allow", Action: "sns:Publish", Resource: props.topic.arn },
      // PutMetricData has no resources; the namespace condition keeps it to the pipeline's.
      {
        Sid: "ImageAgeMetric",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": METRIC_NAMESPACE } },
      },
    ]);

    // EventBridge cannot match AMI tags: every AMI of the account passes, the handler keeps
    // this policy's by the image's tags. Deregistered and disabled: the published image may be gone.
    invokeOn(this, this.function, "image-state-change", "ImageStateChanges", {
      name: `${props.name}-image-state-change`,
      description: "AMI state changes; the publisher keeps the images of the pipeline's DLM policy",
      eventPattern: JSON.stringify({
        source: ["aws.ec2"],
        "detail-type": ["EC2 AMI State Change"],
        detail: { State: ["available", "deregistered", "disabled"] },
      }),
    });
    invokeOn(this, this.function, "catch-up", "CatchUpSchedule", {
      name: `${props.name}-image-catch-up`,
      description: "Publishes the newest image of the pipeline's DLM policy when an event was missed, and the image's age",
      scheduleExpression: `rate(${CATCH_UP_MINUTES} minutes)`,
    });

    this.ageAlarmSeconds = this.intervalHours * 3600 + DLM_START_WINDOW_SECONDS + IMAGE_CREATION_ALLOWANCE_SECONDS;
    this.ageAlarm = new CloudwatchMetricAlarm(this, "image-age", {
      alarmName: `${props.name}-image-age`,
      alarmDescription:
        `The image a replacement of ${props.name} would start from is older than ${this.ageAlarmSeconds / 3600} h ` +
        `(every ${this.intervalHours} h + DLM's 1 h start window + 1 h to create it): the RPO no longer holds. ` +
        "Check the DLM policy, the publisher's logs and the launch parameter.",
      namespace: METRIC_NAMESPACE,
      metricName: AGE_METRIC,
      dimensions: { Pipeline: props.name },
      statistic: "Maximum",
      period: CATCH_UP_MINUTES * 60,
      // Two catch-ups in a row: missing data counts, so a publisher that stops running alarms too.
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: this.ageAlarmSeconds,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [props.topic.arn],
      okActions: [props.topic.arn],
    });
  }
}

/**
 * Whether this synth writes HCL. cdktf's TerraformStack decides it by this variable alone
 * (`cdktf synth --hcl` sets it), whatever the App's `hclOutput` says.
 */
function synthesizesHcl(): boolean {
  const value = process.env.SYNTH_HCL_OUTPUT;
  return value === "true" || value === "1";
}

/** The props' programmer errors (a user's settings are the schema's: multiaz.amiPipeline, with these fixes). */
function validate(scope: Construct, props: AmiPipelineProps): void {
  const p = new Problems();
  if (props.intervalHours !== undefined && !DLM_INTERVAL_HOURS.includes(props.intervalHours)) p.add("intervalHours", props.intervalHours, INTERVAL_HOURS_FIX);
  if (props.retainCount !== undefined && (!Number.isInteger(props.retainCount) || props.retainCount < 1 || props.retainCount > 1000)) {
    p.add("retainCount", props.retainCount, RETAIN_COUNT_FIX);
  }
  if (props.noReboot !== undefined && typeof props.noReboot !== "boolean") p.add("noReboot", props.noReboot, NO_REBOOT_FIX);
  if (!isParameterPath(props.parameterName)) {
    p.add("parameterName", props.parameterName, "must be an SSM parameter path such as /project/multiaz/image-id, not under /aws");
  }
  if (!props.baseImageParameter.startsWith("/aws/service/")) {
    p.add("baseImageParameter", props.baseImageParameter, "must be a public AWS parameter under /aws/service/");
  }
  if (Object.keys(props.targetTags).length === 0) {
    p.add("targetTags", props.targetTags, "give the tags only the server's instances carry, or DLM would image nothing (or everything)");
  }
  p.throwIfAnyAt(scope);
}
