"use strict";
/**
 * Lambda handler of the endpoint takeover (on the Node.js runtime of lib/lambda-runtime.ts,
 * which ships the AWS SDK v3): it moves the one Elastic IP of a single-server Auto Scaling
 * group onto the instance the group puts in service, and decides what a failure means.
 *
 * - EventBridge, on `EC2 Instance-launch Lifecycle Action` of the group's launch hook with
 *   destination `AutoScalingGroup` (the launch into service; launches into the warm pool are
 *   the instance's own business): wait until the instance runs, associate the address
 *   (`AllowReassociation`, so it leaves the failed server), check that it is on, and complete
 *   the launch with CONTINUE. If the takeover fails, the launch is completed with ABANDON, so
 *   Auto Scaling terminates the instance and launches another, and the topic is told; but at
 *   most `MAX_REPLACEMENTS` times in a row (the instances that failed are recorded in an SSM
 *   parameter, reset by the next success): after that the launch continues without the
 *   endpoint and the topic is told to fix the cause, so a broken permission cannot churn
 *   instances forever.
 * - EventBridge, on its schedule (`Scheduled Event`): the periodic check. Lifecycle events are
 *   best effort: a launch still waiting at the hook is taken over as above; an instance in
 *   service without the address gets it (and the topic hears the endpoint is back). Every run
 *   puts `EndpointAttached` (1 when the address is on the group's instance in service), which
 *   the stack's alarm watches.
 *
 * Every AWS call is retried while IAM still denies it (the first launch comes seconds after
 * Terraform creates the function's policies), bounded: see handler-support/aws-calls.js. A
 * permission that stays denied is a failed takeover like any other.
 *
 * The clients are injected (`createHandler`) so tests run it with fakes; `handler` builds the
 * SDK clients on first use (they honour AWS_ENDPOINT_URL, so the same code runs against an
 * emulator).
 */
const { awsCaller } = require("../../compute/handler-support/aws-calls");
const { log, notify, putMetric, required } = require("../../compute/handler-support/reporting");

/** The metric of the endpoint: 1 when the address is on the group's instance in service, else 0. */
const ATTACHED_METRIC = "EndpointAttached";
/** Polls of the instance's state before it runs, and the pause between them. */
const RUNNING_POLLS = 24;
const POLL_MS = 5000;
/** Errors EC2 answers for an instance it has only just launched (eventual consistency). */
const NOT_YET = /^(InvalidInstanceID\.NotFound|IncorrectInstanceState|InvalidNetworkInterfaceID\.NotFound)$/;

/**
 * @param {object} deps
 * @param {{ describeInstances(i: object): Promise<any>, describeAddresses(i: object): Promise<any>, associateAddress(i: object): Promise<any> }} deps.ec2
 * @param {{ describeAutoScalingGroups(i: object): Promise<any>, completeLifecycleAction(i: object): Promise<any> }} deps.autoscaling
 * @param {{ getParameter(i: object): Promise<any>, putParameter(i: object): Promise<any> }} deps.ssm
 * @param {{ publish(i: object): Promise<any> }} deps.sns
 * @param {{ putMetricData(i: object): Promise<any> }} deps.cloudwatch
 * @param {Record<string, string | undefined>} deps.env GROUP_NAME, HOOK_NAME, ALLOCATION_ID, TOPIC_ARN, STATE_PARAMETER, MAX_REPLACEMENTS, METRIC_NAMESPACE
 * @param {(ms: number) => Promise<void>} [deps.sleep]
 * @param {number[]} [deps.retryDelaysMs] pauses between retries of a denied call
 */
function createHandler({ ec2, autoscaling, ssm, sns, cloudwatch, env, sleep, retryDelaysMs }) {
  const groupName = required(env, "GROUP_NAME");
  const hookName = required(env, "HOOK_NAME");
  const allocationId = required(env, "ALLOCATION_ID");
  const topicArn = required(env, "TOPIC_ARN");
  const stateParameter = required(env, "STATE_PARAMETER");
  const namespace = required(env, "METRIC_NAMESPACE");
  const maxReplacements = Number(required(env, "MAX_REPLACEMENTS"));
  if (!Number.isInteger(maxReplacements) || maxReplacements < 0) throw new Error(`MAX_REPLACEMENTS must be a whole number, got ${env.MAX_REPLACEMENTS}`);
  const wait = sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));

  async function address(call) {
    const { Addresses = [] } = await call("ec2:DescribeAddresses", () => ec2.describeAddresses({ AllocationIds: [allocationId] }));
    if (!Addresses[0]) throw new Error(`Elastic IP ${allocationId} not found`);
    return Addresses[0];
  }

  async function waitUntilRunning(call, instanceId, remaining) {
    for (let poll = 1; ; poll++) {
      let state;
      try {
        const { Reservations = [] } = await call("ec2:DescribeInstances", () => ec2.describeInstances({ InstanceIds: [instanceId] }));
        const instance = Reservations.flatMap((r) => r.Instances || [])[0];
        state = instance && instance.State && instance.State.Name;
      } catch (error) {
        if (!NOT_YET.test(error.name || "")) throw error;
      }
      if (state === "running") return;
      if (state && state !== "pending") throw new Error(`instance ${instanceId} is ${state}`);
      if (poll >= RUNNING_POLLS || remaining() < POLL_MS + 10000) throw new Error(`instance ${instanceId} is not running after ${poll} checks`);
      await wait(POLL_MS);
    }
  }

  /** Puts the address on the instance and checks that it is there; throws when it cannot. */
  async function takeOver(call, instanceId, remaining) {
    await waitUntilRunning(call, instanceId, remaining);
    const before = await address(call);
    if (before.InstanceId === instanceId) return { moved: false, publicIp: before.PublicIp, from: instanceId };
    for (let attempt = 1; ; attempt++) {
      try {
        await call(`ec2:AssociateAddress of ${allocationId} to ${instanceId}`, () =>
          ec2.associateAddress({ AllocationId: allocationId, InstanceId: instanceId, AllowReassociation: true }),
        );
        break;
      } catch (error) {
        if (!NOT_YET.test(error.name || "") || attempt >= 3) throw error;
        await wait(POLL_MS);
      }
    }
    const after = await address(call);
    if (after.InstanceId !== instanceId) throw new Error(`${allocationId} is on ${after.InstanceId || "no instance"} after associating it with ${instanceId}`);
    log({ tookOver: after.PublicIp, instanceId, from: before.InstanceId || null });
    return { moved: true, publicIp: after.PublicIp, from: before.InstanceId };
  }

  /** The instances whose takeover failed since the last success. */
  async function failures(call) {
    try {
      const { Parameter } = await call(`ssm:GetParameter on ${stateParameter}`, () => ssm.getParameter({ Name: stateParameter }));
      const parsed = JSON.parse(Parameter.Value);
      return Array.isArray(parsed.failedInstances) ? parsed.failedInstances : [];
    } catch (error) {
      if (error instanceof SyntaxError) return [];
      throw error;
    }
  }

  async function recordFailures(call, instances) {
    await call(`ssm:PutParameter on ${stateParameter}`, () =>
      ssm.putParameter({ Name: stateParameter, Value: JSON.stringify({ failedInstances: instances }), Type: "String", Overwrite: true }),
    );
  }

  async function complete(call, instanceId, result, token) {
    try {
      await call(`autoscaling:CompleteLifecycleAction on ${groupName}`, () =>
        autoscaling.completeLifecycleAction({
          AutoScalingGroupName: groupName,
          LifecycleHookName: hookName,
          InstanceId: instanceId,
          LifecycleActionResult: result,
          ...(token ? { LifecycleActionToken: token } : {}),
        }),
      );
      log({ completed: instanceId, result });
      return true;
    } catch (error) {
      // The launch was completed already (the periodic check and the event met) or timed out.
      if (error.name === "ValidationError") {
        log({ notCompleted: instanceId, result, reason: error.message });
        return false;
      }
      throw error;
    }
  }

  /** Runs the reporting steps and never lets one failure hide another or the decision. */
  async function report(steps) {
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        log({ reportingFailed: error.name, message: error.message });
      }
    }
  }

  const attached = (call, value) => putMetric(call, cloudwatch, namespace, ATTACHED_METRIC, { Group: groupName }, value ? 1 : 0, "Count");

  async function onLaunch(call, instanceId, token, remaining, trigger) {
    let outcome;
    try {
      outcome = await takeOver(call, instanceId, remaining);
    } catch (error) {
      return onFailedLaunch(call, instanceId, token, error, trigger);
    }
    const completion = await tryComplete(call, instanceId, "CONTINUE", token);
    await report([
      async () => {
        const previous = await failures(call);
        if (previous.length === 0) return;
        await recordFailures(call, []);
        await notify(
          call,
          sns,
          topicArn,
          `${groupName}: endpoint restored on ${instanceId}`,
          `${outcome.publicIp} is on ${instanceId}, which enters service (${trigger}), after ${previous.length} failed takeover(s) (${previous.join(", ")}).`,
        );
      },
      () => attached(call, true),
    ]);
    return { tookOver: true, instanceId, publicIp: outcome.publicIp, result: "CONTINUE", ...completion };
  }

  /** Completes the launch; a failure to do so is reported, not thrown: the hook's timeout then decides (CONTINUE). */
  async function tryComplete(call, instanceId, result, token) {
    try {
      return { completed: await complete(call, instanceId, result, token) };
    } catch (error) {
      log({ completeFailed: instanceId, result, cause: `${error.name}: ${error.message}` });
      return { completed: false, completeError: `${error.name || "Error"}: ${error.message}` };
    }
  }

  async function onFailedLaunch(call, instanceId, token, error, trigger) {
    const cause = `${error.name || "Error"}: ${error.message}`;
    log({ takeoverFailed: instanceId, cause, trigger });
    let failed;
    try {
      const previous = await failures(call);
      failed = previous.includes(instanceId) ? previous : [...previous, instanceId];
      await recordFailures(call, failed);
    } catch (stateError) {
      // Without the record the bound cannot be kept: do not replace blindly, keep the instance.
      log({ stateUnavailable: stateError.name, message: stateError.message });
      failed = undefined;
    }
    const replace = failed !== undefined && failed.length <= maxReplacements;
    const result = replace ? "ABANDON" : "CONTINUE";
    const completion = await tryComplete(call, instanceId, result, token);
    const subject = replace
      ? `${groupName}: endpoint takeover failed, replacing ${instanceId} (${failed.length} of ${maxReplacements})`
      : `${groupName}: endpoint takeover failed, not replacing ${instanceId}`;
    const decision = replace
      ? "The launch was abandoned, so Auto Scaling terminates the instance and launches another; " +
        `replacement ${failed.length} of at most ${maxReplacements} in a row.`
      : (failed === undefined
          ? `The record of failed takeovers (${stateParameter}) cannot be read or written, so the instance is kept rather than replaced without a bound. `
          : `${failed.length} takeovers failed in a row (${failed.join(", ")}), more than the ${maxReplacements} replacements allowed: ` +
            "the instance is kept, so a cause that no replacement can fix does not churn instances. ") +
        `It serves without the endpoint. Fix the cause (the takeover function's role, the address ${allocationId}); ` +
        "the periodic check then moves the address within minutes, or terminate the instance to try again.";
    const unfinished = completion.completeError
      ? ` Completing the launch failed too (${completion.completeError}): the hook's default result, CONTINUE, applies after its timeout.`
      : "";
    await report([
      () => attached(call, false),
      () =>
        notify(
          call,
          sns,
          topicArn,
          subject,
          `The Elastic IP ${allocationId} could not be moved to ${instanceId} (${trigger}): ${cause}. ${decision}${unfinished}`,
        ),
    ]);
    return { tookOver: false, instanceId, result, ...completion, failures: failed ? failed.length : undefined, cause };
  }

  async function check(call, remaining) {
    const { AutoScalingGroups = [] } = await call("autoscaling:DescribeAutoScalingGroups", () =>
      autoscaling.describeAutoScalingGroups({ AutoScalingGroupNames: [groupName] }),
    );
    const instances = (AutoScalingGroups[0] && AutoScalingGroups[0].Instances) || [];
    const waiting = instances.filter((i) => i.LifecycleState === "Pending:Wait");
    const results = [];
    for (const instance of waiting)
      results.push(await onLaunch(call, instance.InstanceId, undefined, remaining, "periodic check: its lifecycle event was missed"));

    const inService = instances.filter((i) => i.LifecycleState === "InService");
    if (inService.length === 0) {
      if (waiting.length === 0) await report([() => attached(call, false)]);
      return { checked: true, attached: results.some((r) => r.tookOver), reason: "no instance in service", launches: results };
    }
    const server = inService[0].InstanceId;
    const current = await address(call);
    if (current.InstanceId === server) {
      await report([
        async () => {
          if ((await failures(call)).length > 0) await recordFailures(call, []);
        },
        () => attached(call, true),
      ]);
      return { checked: true, attached: true, instanceId: server, launches: results };
    }
    try {
      const outcome = await takeOver(call, server, remaining);
      await report([
        () => recordFailures(call, []),
        () => attached(call, true),
        () =>
          notify(
            call,
            sns,
            topicArn,
            `${groupName}: endpoint restored on ${server}`,
            `${outcome.publicIp} was on ${current.InstanceId || "no instance"}, not on ${server}, the instance in service; the periodic check moved it.`,
          ),
      ]);
      return { checked: true, attached: true, instanceId: server, moved: true, launches: results };
    } catch (error) {
      // The alarm on the metric tells the topic; notifying every few minutes would drown it.
      log({ checkFailed: server, cause: `${error.name}: ${error.message}` });
      await report([() => attached(call, false)]);
      return { checked: true, attached: false, instanceId: server, cause: `${error.name || "Error"}: ${error.message}`, launches: results };
    }
  }

  return async function handle(event, context) {
    const remaining = context ? () => context.getRemainingTimeInMillis() : () => Infinity;
    const call = awsCaller({ sleep, delaysMs: retryDelaysMs, remainingMs: remaining });
    if (event && event["detail-type"] === "EC2 Instance-launch Lifecycle Action") {
      const d = event.detail || {};
      if (d.AutoScalingGroupName !== groupName || d.LifecycleHookName !== hookName) return { skipped: true, reason: `not ${groupName}'s hook ${hookName}` };
      if (d.Destination === "WarmPool") return { skipped: true, reason: "a launch into the warm pool: the instance completes it once initialised" };
      return onLaunch(call, d.EC2InstanceId, d.LifecycleActionToken, remaining, "launch into service");
    }
    if (event && event.source === "aws.events" && event["detail-type"] === "Scheduled Event") return check(call, remaining);
    throw new Error(`unexpected event: ${JSON.stringify(event).slice(0, 200)}`);
  };
}

let sdkHandler;

/** The Lambda entry point, with the SDK clients of the runtime. */
async function handler(event, context) {
  if (!sdkHandler) {
    const { EC2 } = require("@aws-sdk/client-ec2");
    const { AutoScaling } = require("@aws-sdk/client-auto-scaling");
    const { SSM } = require("@aws-sdk/client-ssm");
    const { SNS } = require("@aws-sdk/client-sns");
    const { CloudWatch } = require("@aws-sdk/client-cloudwatch");
    sdkHandler = createHandler({
      ec2: new EC2({}),
      autoscaling: new AutoScaling({}),
      ssm: new SSM({}),
      sns: new SNS({}),
      cloudwatch: new CloudWatch({}),
      env: process.env,
    });
  }
  return sdkHandler(event, context);
}

module.exports = { createHandler, handler, ATTACHED_METRIC };
