/**
 * Moves a single-server group's Elastic IP onto the instance the group puts in service, off
 * the instance: the group's launch lifecycle hook holds each launch into service, EventBridge
 * passes the hook's event to a Lambda function scoped to this one address, which associates
 * it and completes the launch (handler/index.js). A failed takeover ends in a replacement
 * (the launch is abandoned) and a message on the stack's topic, at most `maxReplacements`
 * times in a row (recorded in an SSM parameter), so a cause no replacement can fix does not
 * churn instances forever; then the instance serves without the endpoint and the topic is
 * told what to fix. A periodic check catches a lost event (lifecycle events are best
 * effort) and puts `EndpointAttached`, which an alarm on the topic watches.
 *
 * Why not on the instance (the book's boot script, this project's former lifecycle agent):
 * the instance is the internet-facing server, and its role would need `ec2:AssociateAddress`,
 * and for the failure path `autoscaling:SetInstanceHealth` or `CompleteLifecycleAction`,
 * `sns:Publish` and write access to the failure record; an instance whose boot broke (no
 * network, a bad image) cannot report its own failure; and the takeover would run on an
 * instance Auto Scaling already counts as in service. Off the instance, the role of the
 * server keeps SSM only, the launch counts only once the address is on it, and the logic is
 * a function that tests run against fakes and rehearsals against an AWS API endpoint.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/tutorial-lifecycle-hook-lambda.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html (AssociateAddress: elastic-ip, instance and network-interface resources, aws:ResourceTag)
 */
import { Construct } from "constructs";
import { ITerraformDependable, Token } from "cdktf";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { isParameterPath } from "../../lib/ssm-parameters";
import { awsContext } from "../../lib/stack-context";
import { Problems } from "../../lib/validation";
import { groupArnPattern } from "../autoscaling/launch-hook";
import { NodeFunction, invokeOn } from "../compute/node-function";
import { StackKey } from "../encryption/stack-key";
import { NotificationTopic } from "../notifications/notification-topic";
import { ElasticIpEndpoint } from "./elastic-ip-endpoint";

/** The function's handler, relative to the project root. */
export const TAKEOVER_HANDLER_DIRECTORY = "constructs/endpoint/handler";
/** The function's metric and its namespace (lib/custom-metrics.ts, which the model reads too). */
import { ATTACHED_METRIC, ENDPOINT_METRIC_NAMESPACE } from "../../lib/custom-metrics";
export { ATTACHED_METRIC, ENDPOINT_METRIC_NAMESPACE };
/** Minutes between periodic checks, which also put the metric: its period. */
export const CHECK_MINUTES = 5;
/** Failed takeovers in a row that each end in a replacement before the instance is kept without the endpoint: a cause no replacement fixes churns two instances, not more. */
export const DEFAULT_MAX_REPLACEMENTS = 2;

/** A tag key and value; here, the one tag only the group's instances carry. */
export interface ResourceTag {
  readonly key: string;
  readonly value: string;
}

export interface EndpointTakeoverProps {
  /** Name of the function, rules and alarm (the group's name). */
  readonly name: string;
  /** The address to move. */
  readonly endpoint: ElasticIpEndpoint;
  /** The single-server group, by name (the group refers to the takeover, not the other way). */
  readonly groupName: string;
  /** Name of the group's launch lifecycle hook. */
  readonly hookName: string;
  /** Tag that the group's instances and their network interfaces carry, and no other resource: the function may associate the address with those only. */
  readonly instanceTag: ResourceTag;
  /** The stack's topic: failed takeovers, restored endpoints, the alarm. */
  readonly topic: NotificationTopic;
  /** SSM parameter recording the instances whose takeover failed since the last success. */
  readonly stateParameterName: string;
  /** Replacements in a row after failed takeovers before the instance is kept without the endpoint (0-10). @default - {@link DEFAULT_MAX_REPLACEMENTS}: 2 */
  readonly maxReplacements?: number;
}

export class EndpointTakeover extends Construct {
  readonly function: NodeFunction;
  /** The failed-takeover record. */
  readonly state: SsmParameter;
  /** Fires when the address has not been on the group's instance in service for two checks. */
  readonly alarm: CloudwatchMetricAlarm;
  readonly maxReplacements: number;
  /** What the group's first launch needs in place: the function, its permissions, the rule that calls it. */
  readonly launchDependencies: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: EndpointTakeoverProps) {
    super(scope, id);
    validate(this, props);
    // The group and the address are in the stack's region.
    const { region, partition } = awsContext(this);
    this.maxReplacements = props.maxReplacements ?? DEFAULT_MAX_REPLACEMENTS;

    this.state = new SsmParameter(this, "failures", {
      name: props.stateParameterName,
      description: `Instances of ${props.groupName} whose endpoint takeover failed since the last success; written by ${props.name}-endpoint-takeover`,
      type: "String",
      insecureValue: JSON.stringify({ failedInstances: [] }),
      // The function owns the value.
      lifecycle: { ignoreChanges: ["insecure_value"] },
    });

    this.function = new NodeFunction(this, "takeover", {
      name: `${props.name}-endpoint-takeover`,
      description: `Moves the Elastic IP onto the instance ${props.groupName} puts in service`,
      handlerDirectory: TAKEOVER_HANDLER_DIRECTORY,
      environment: {
        GROUP_NAME: props.groupName,
        HOOK_NAME: props.hookName,
        ALLOCATION_ID: props.endpoint.allocationId,
        TOPIC_ARN: props.topic.arn,
        STATE_PARAMETER: props.stateParameterName,
        MAX_REPLACEMENTS: String(this.maxReplacements),
        METRIC_NAMESPACE: ENDPOINT_METRIC_NAMESPACE,
      },
    });
    const key = StackKey.of(this);
    const permissions = this.function.allow("take-over-endpoint", [
      { Sid: "ThisElasticIp", Effect: "Allow", Action: "ec2:AssociateAddress", Resource: props.endpoint.arn },
      {
        Sid: "OntoThisGroupsInstancesOnly",
        Effect: "Allow",
        Action: "ec2:AssociateAddress",
        // Account `*`: EC2 has no resource policies, so the role reaches its own account only.
        Resource: [`arn:${partition}:ec2:${region}:*:instance/*`, `arn:${partition}:ec2:${region}:*:network-interface/*`],
        Condition: { StringEquals: { [`aws:ResourceTag/${props.instanceTag.key}`]: props.instanceTag.value } },
      },
      // Describe* actions have no resource-level permissions.
      {
        Sid: "SeeAddressInstancesAndGroup",
        Effect: "Allow",
        Action: ["ec2:DescribeAddresses", "ec2:DescribeInstances", "autoscaling:DescribeAutoScalingGroups"],
        Resource: "*",
      },
      {
        Sid: "CompleteThisGroupsLaunches",
        Effect: "Allow",
        Action: "autoscaling:CompleteLifecycleAction",
        Resource: groupArnPattern(partition, region, props.groupName),
      },
      { Sid: "FailureRecord", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: this.state.arn },
      { Sid: "TellTheTopic", Effect: "Allow", Action: "sns:Publish", Resource: props.topic.arn },
      // A topic under the stack's key: publishing needs the key too (SNS encrypts with a data key).
      ...(key ? [{ Sid: "TopicEncrypted", Effect: "Allow" as const, Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: key.key.arn }] : []),
      // PutMetricData has no resources; the namespace condition keeps it to the endpoint's.
      {
        Sid: "EndpointMetric",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": ENDPOINT_METRIC_NAMESPACE } },
      },
    ]);

    const launches = invokeOn(this, this.function, "launch", "LaunchIntoService", {
      name: `${props.name}-launch-into-service`,
      description: `Launches of ${props.groupName} into service wait at ${props.hookName} until the takeover function moved the Elastic IP`,
      eventPattern: JSON.stringify({
        source: ["aws.autoscaling"],
        "detail-type": ["EC2 Instance-launch Lifecycle Action"],
        // Launches into the warm pool (Destination WarmPool) are completed by the instance.
        detail: { AutoScalingGroupName: [props.groupName], LifecycleHookName: [props.hookName], Destination: ["AutoScalingGroup"] },
      }),
    });
    const checks = invokeOn(this, this.function, "check", "PeriodicCheck", {
      name: `${props.name}-endpoint-check`,
      description: `Moves the Elastic IP onto ${props.groupName}'s instance in service when a lifecycle event was lost; puts ${ATTACHED_METRIC}`,
      scheduleExpression: `rate(${CHECK_MINUTES} minutes)`,
    });
    const trigger = (t: { rule: ITerraformDependable; target: ITerraformDependable; permission: ITerraformDependable }) => [t.rule, t.target, t.permission];
    this.launchDependencies = [this.function.function, permissions, this.function.logsPolicy, ...trigger(launches), ...trigger(checks)];

    this.alarm = new CloudwatchMetricAlarm(this, "endpoint", {
      alarmName: `${props.name}-endpoint`,
      alarmDescription:
        `The Elastic IP of ${props.groupName} has not been on its instance in service for ${2 * CHECK_MINUTES} minutes ` +
        "(or the takeover function stopped reporting): the endpoint does not answer. See the function's log and the topic's messages.",
      namespace: ENDPOINT_METRIC_NAMESPACE,
      metricName: ATTACHED_METRIC,
      dimensions: { Group: props.groupName },
      statistic: "Minimum",
      period: CHECK_MINUTES * 60,
      // Two checks in a row: a replacement in progress (2-10 min) alarms only when it runs long.
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [props.topic.arn],
      okActions: [props.topic.arn],
    });
  }
}

function validate(scope: Construct, props: EndpointTakeoverProps): void {
  const p = new Problems();
  const { key, value } = props.instanceTag;
  if (!Token.isUnresolved(key) && (!/^[A-Za-z0-9 _.:/=+@-]{1,128}$/.test(key) || key.startsWith("aws:"))) {
    p.add("instanceTag.key", key, "must be an EC2 tag key of at most 128 letters, digits, spaces or _.:/=+-@, not starting with aws:");
  }
  if (!Token.isUnresolved(value) && (value.length === 0 || value.length > 256)) {
    p.add("instanceTag.value", value, "must be 1 to 256 characters: an empty value would match every instance that has the key");
  }
  p.integerInRange("maxReplacements", props.maxReplacements, 0, 10);
  if (!isParameterPath(props.stateParameterName)) {
    p.add("stateParameterName", props.stateParameterName, "must be an SSM parameter path such as /project/multiaz/takeover-failures, not under /aws");
  }
  p.throwIfAnyAt(scope);
}
