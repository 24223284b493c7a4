/**
 * A stateful fake of what the endpoint takeover function talks to: a single-server Auto
 * Scaling group with a launch hook (instances wait in Pending:Wait until their launch is
 * completed; ABANDON terminates the instance and, like Auto Scaling, launches the next one),
 * EC2 instances and the one Elastic IP, IAM as a set of denied actions, the SSM parameter,
 * SNS and CloudWatch. Tests read the end state, not the calls made.
 */

export const GROUP = "demo-multiaz";
export const HOOK = "demo-multiaz-launch";
export const ALLOCATION = "eipalloc-0abc";
export const PUBLIC_IP = "203.0.113.7";
export const STATE = "/demo/multiaz/takeover-failures";
export const TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:demo";
export const NAMESPACE = "ReferenceStacks/Endpoint";

/** The takeover function's environment for this group, as EndpointTakeover sets it. */
export const HANDLER_ENV = {
  GROUP_NAME: GROUP,
  HOOK_NAME: HOOK,
  ALLOCATION_ID: ALLOCATION,
  TOPIC_ARN: TOPIC,
  STATE_PARAMETER: STATE,
  MAX_REPLACEMENTS: "2",
  METRIC_NAMESPACE: NAMESPACE,
};

export interface FakeInstanceState {
  lifecycle: "Pending:Wait" | "InService" | "Terminated";
  /** EC2 states the instance reports, one per DescribeInstances; the last repeats. */
  ec2States: string[];
}

const denied = (action: string) =>
  Object.assign(new Error(`You are not authorized to perform this operation. (${action})`), {
    name: action.startsWith("ec2:") ? "UnauthorizedOperation" : "AccessDenied",
  });

export function fakeGroup(options: { maxLaunches?: number } = {}) {
  const instances = new Map<string, FakeInstanceState>();
  const eip: { instanceId?: string } = {};
  const deniedActions = new Set<string>();
  /** Denials left per action before it is allowed (IAM propagating). */
  const transientDenials = new Map<string, number>();
  const parameters = new Map<string, string>([[STATE, JSON.stringify({ failedInstances: [] })]]);
  const completions: { instanceId: string; result: string; token?: string }[] = [];
  const notifications: { subject: string; message: string }[] = [];
  const metrics: { name: string; dimensions: Record<string, string>; value: number }[] = [];
  /** Events Auto Scaling would send (lifecycle actions of new launches into service). */
  const events: any[] = [];
  let launched = 0;

  function check(action: string) {
    if (deniedActions.has(action)) throw denied(action);
    const left = transientDenials.get(action) ?? 0;
    if (left > 0) {
      transientDenials.set(action, left - 1);
      throw denied(action);
    }
  }

  /** Launches an instance into the group; it waits at the hook, and an event is queued. */
  function launch(ec2States: string[] = ["running"]): string {
    launched += 1;
    const id = `i-${String(launched).padStart(4, "0")}`;
    instances.set(id, { lifecycle: "Pending:Wait", ec2States: [...ec2States] });
    if (launched <= (options.maxLaunches ?? 20)) events.push(lifecycleEvent(id));
    return id;
  }

  const ec2 = {
    async describeInstances({ InstanceIds }: { InstanceIds: string[] }) {
      check("ec2:DescribeInstances");
      const i = instances.get(InstanceIds[0]);
      if (!i) throw Object.assign(new Error("not found"), { name: "InvalidInstanceID.NotFound" });
      const state = i.ec2States.length > 1 ? i.ec2States.shift()! : i.ec2States[0];
      return { Reservations: [{ Instances: [{ InstanceId: InstanceIds[0], State: { Name: i.lifecycle === "Terminated" ? "terminated" : state } }] }] };
    },
    async describeAddresses({ AllocationIds }: { AllocationIds: string[] }) {
      check("ec2:DescribeAddresses");
      if (AllocationIds[0] !== ALLOCATION) return { Addresses: [] };
      return { Addresses: [{ AllocationId: ALLOCATION, PublicIp: PUBLIC_IP, ...(eip.instanceId ? { InstanceId: eip.instanceId } : {}) }] };
    },
    async associateAddress(input: { AllocationId: string; InstanceId: string; AllowReassociation: boolean }) {
      check("ec2:AssociateAddress");
      if (eip.instanceId && eip.instanceId !== input.InstanceId && !input.AllowReassociation)
        throw Object.assign(new Error("in use"), { name: "Resource.AlreadyAssociated" });
      eip.instanceId = input.InstanceId;
      return { AssociationId: "eipassoc-1" };
    },
  };
  const autoscaling = {
    async describeAutoScalingGroups() {
      check("autoscaling:DescribeAutoScalingGroups");
      const live = [...instances.entries()].filter(([, i]) => i.lifecycle !== "Terminated");
      return {
        AutoScalingGroups: [
          { AutoScalingGroupName: GROUP, Instances: live.map(([id, i]) => ({ InstanceId: id, LifecycleState: i.lifecycle, HealthStatus: "Healthy" })) },
        ],
      };
    },
    async completeLifecycleAction(input: {
      InstanceId: string;
      LifecycleActionResult: string;
      LifecycleActionToken?: string;
      AutoScalingGroupName: string;
      LifecycleHookName: string;
    }) {
      check("autoscaling:CompleteLifecycleAction");
      const i = instances.get(input.InstanceId);
      if (!i || i.lifecycle !== "Pending:Wait")
        throw Object.assign(new Error("No active Lifecycle Action found with instance ID " + input.InstanceId), { name: "ValidationError" });
      completions.push({ instanceId: input.InstanceId, result: input.LifecycleActionResult, token: input.LifecycleActionToken });
      if (input.LifecycleActionResult === "CONTINUE") {
        i.lifecycle = "InService";
      } else {
        // ABANDON: Auto Scaling terminates the instance and launches a replacement.
        i.lifecycle = "Terminated";
        if (eip.instanceId === input.InstanceId) eip.instanceId = undefined;
        launch();
      }
      return {};
    },
  };
  const ssm = {
    async getParameter({ Name }: { Name: string }) {
      check("ssm:GetParameter");
      const value = parameters.get(Name);
      if (value === undefined) throw Object.assign(new Error(`ParameterNotFound: ${Name}`), { name: "ParameterNotFound" });
      return { Parameter: { Name, Value: value } };
    },
    async putParameter(input: { Name: string; Value: string }) {
      check("ssm:PutParameter");
      parameters.set(input.Name, input.Value);
      return { Version: 2 };
    },
  };
  const sns = {
    async publish(input: { TopicArn: string; Subject: string; Message: string }) {
      check("sns:Publish");
      notifications.push({ subject: input.Subject, message: input.Message });
      return {};
    },
  };
  const cloudwatch = {
    async putMetricData(input: { Namespace: string; MetricData: any[] }) {
      check("cloudwatch:PutMetricData");
      for (const d of input.MetricData)
        metrics.push({ name: d.MetricName, dimensions: Object.fromEntries(d.Dimensions.map((x: any) => [x.Name, x.Value])), value: d.Value });
      return {};
    },
  };

  return {
    clients: { ec2, autoscaling, ssm, sns, cloudwatch },
    instances,
    eip,
    deniedActions,
    transientDenials,
    parameters,
    completions,
    notifications,
    metrics,
    events,
    launch,
    get launched() {
      return launched;
    },
    failedInstances: () => JSON.parse(parameters.get(STATE)!).failedInstances as string[],
  };
}

export function lifecycleEvent(instanceId: string, overrides: Record<string, string> = {}) {
  return {
    version: "0",
    "detail-type": "EC2 Instance-launch Lifecycle Action",
    source: "aws.autoscaling",
    detail: {
      LifecycleActionToken: `token-${instanceId}`,
      AutoScalingGroupName: GROUP,
      LifecycleHookName: HOOK,
      EC2InstanceId: instanceId,
      LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
      Origin: "EC2",
      Destination: "AutoScalingGroup",
      ...overrides,
    },
  };
}

export const SCHEDULED = { source: "aws.events", "detail-type": "Scheduled Event", detail: {} };
