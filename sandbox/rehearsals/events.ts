/**
 * The EventBridge events the rehearsals hand to our real handlers, built as AWS documents them.
 * The emulator delivers no EventBridge event to a Lambda function that runs code (its Lambda
 * runs none), so a rehearsal plays EventBridge's part with these.
 */
import { randomUUID } from "crypto";
import { partitionOf } from "../../lib/aws";

/** The envelope every EventBridge event carries. @see https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html */
export interface AwsEvent<D> {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: D;
}

export interface Where {
  readonly account: string;
  readonly region: string;
  /** @default now */
  readonly time?: Date;
}

function envelope<D>(where: Where, source: string, detailType: string, resources: readonly string[], detail: D): AwsEvent<D> {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": detailType,
    source,
    account: where.account,
    time: (where.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: where.region,
    resources,
    detail,
  };
}

export interface LaunchLifecycleAction {
  readonly LifecycleActionToken: string;
  readonly AutoScalingGroupName: string;
  readonly LifecycleHookName: string;
  readonly EC2InstanceId: string;
  readonly LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING";
  readonly Origin: "EC2" | "WarmPool";
  readonly Destination: "AutoScalingGroup" | "WarmPool";
}

/**
 * `EC2 Instance-launch Lifecycle Action`: Auto Scaling holds a launch at the group's hook.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/warm-pools-eventbridge-events.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/automating-ec2-auto-scaling-with-eventbridge.html
 */
export function launchLifecycleAction(
  where: Where,
  launch: { groupArn: string; groupName: string; hookName: string; instanceId: string; destination?: "AutoScalingGroup" | "WarmPool" },
): AwsEvent<LaunchLifecycleAction> {
  const destination = launch.destination ?? "AutoScalingGroup";
  return envelope(where, "aws.autoscaling", "EC2 Instance-launch Lifecycle Action", [launch.groupArn], {
    LifecycleActionToken: randomUUID(),
    AutoScalingGroupName: launch.groupName,
    LifecycleHookName: launch.hookName,
    EC2InstanceId: launch.instanceId,
    LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
    Origin: "EC2",
    Destination: destination,
  });
}

export interface AmiStateChange {
  readonly RequestId: string;
  readonly ImageId: string;
  readonly State: "available" | "failed" | "deregistered" | "disabled";
  readonly ErrorMessage: string;
}

/**
 * `EC2 AMI State Change`: an image became available (or failed, was deregistered, disabled).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitor-ami-events.html
 */
export function amiStateChange(where: Where, imageId: string, state: AmiStateChange["State"] = "available"): AwsEvent<AmiStateChange> {
  return envelope(where, "aws.ec2", "EC2 AMI State Change", [`arn:${partitionOf(where.region)}:ec2:${where.region}::image/${imageId}`], {
    RequestId: randomUUID(),
    ImageId: imageId,
    State: state,
    ErrorMessage: "",
  });
}

/**
 * `Scheduled Event`: a schedule rule fired (`rate(...)`).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-run-lambda-schedule.html
 */
export function scheduledEvent(where: Where, ruleArn: string): AwsEvent<Record<string, never>> {
  return envelope(where, "aws.events", "Scheduled Event", [ruleArn], {});
}
