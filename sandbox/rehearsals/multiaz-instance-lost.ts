/**
 * multiaz, instance lost: the server's instance dies, the group launches a replacement, and our
 * real takeover function (constructs/endpoint/handler, the part of this design that moves the
 * Elastic IP: the instance's own role has no EC2 permissions) moves the address onto it; the
 * A record still names the address. Then the failure path the design specifies: a takeover that
 * EC2 denies abandons the launch (so Auto Scaling replaces the instance), is recorded, and is
 * told on the stack's topic; once the denial is gone, the periodic check restores the endpoint.
 *
 * The function's code runs here, in this process, with AWS SDK clients at the emulator and the
 * environment the function was deployed with (read back from the emulator's Lambda), on the
 * EventBridge events AWS documents.
 */
import * as fs from "fs";
import * as path from "path";
import { AutoScaling } from "@aws-sdk/client-auto-scaling";
import { CloudWatch } from "@aws-sdk/client-cloudwatch";
import { EC2 } from "@aws-sdk/client-ec2";
import { Route53 } from "@aws-sdk/client-route-53";
import { SNS } from "@aws-sdk/client-sns";
import { SSM } from "@aws-sdk/client-ssm";
import { ATTACHED_METRIC } from "../../constructs/endpoint/endpoint-takeover";
import { EMULATOR_ACCOUNT_ID } from "../../lib/emulator";
import type { AppliedStack, Sandbox } from "../sandbox";
import { collectingLogs, functionEnvironment, listenToTopic } from "./emulator-api";
import { launchLifecycleAction, scheduledEvent } from "./events";
import { quickly, takeoverHandler } from "./handlers";
import { Checks, Rehearsal } from "./rehearsal";

export const NOT_SIMULATED = [
  "the instance's failure itself: the rehearsal terminates it (EC2 TerminateInstances); the emulator runs no status checks and no health checks",
  "the launch lifecycle hook: the emulator puts a replacement in service at once, not in Pending:Wait, and sends no lifecycle event; the rehearsal builds the documented event",
  "EventBridge delivery to the function: the emulator's Lambda runs no code, so the function's real handler runs in this process with the deployed environment",
  "CompleteLifecycleAction: moto 5.2.5 lacks it (answers 500), so the handler's call (CONTINUE or ABANDON) is recorded, not sent; the termination and replacement an ABANDON causes are not shown by the abandon itself",
  "IAM: the emulator enforces no policy here; the denied takeover is an UnauthorizedOperation answer injected into the handler's EC2 client (see the IAM rehearsal for the role's policy)",
  "DNS resolution: the A record is read from Route 53's API, no resolver is asked",
  "the EndpointAttached alarm: the emulator evaluates no alarm; the rehearsal reads the datapoints the function put",
];

interface Context {
  readonly sandbox: Sandbox;
  readonly group: string;
  readonly env: Record<string, string>;
  readonly c: Checks;
}

async function groupInstances(autoscaling: AutoScaling, group: string): Promise<{ arn: string; inService: string[] }> {
  const { AutoScalingGroups = [] } = await autoscaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] });
  const g = AutoScalingGroups[0];
  if (!g) throw new Error(`the group ${group} is not in the emulator`);
  return {
    arn: g.AutoScalingGroupARN ?? "",
    inService: (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").map((i) => i.InstanceId ?? ""),
  };
}

/** Terminates the group's one instance in service and returns it and the replacement the group launched. */
async function loseInstance(x: Context, what: string): Promise<{ lost: string; replacement?: string; groupArn: string }> {
  const autoscaling = new AutoScaling(x.sandbox.clientConfig());
  const ec2 = new EC2(x.sandbox.clientConfig());
  const before = await groupInstances(autoscaling, x.group);
  if (!x.c.check(`${what}: the group has one instance in service`, before.inService.length === 1, before.inService)) {
    return { lost: before.inService[0] ?? "", groupArn: before.arn };
  }
  const lost = before.inService[0];
  await ec2.terminateInstances({ InstanceIds: [lost] });
  const after = await groupInstances(autoscaling, x.group);
  const replacement = after.inService.find((i) => i !== lost);
  const { Reservations = [] } = await ec2.describeInstances({ InstanceIds: [lost] });
  const state = Reservations[0]?.Instances?.[0]?.State?.Name;
  x.c.check(`${what}: the lost instance is terminated`, state === "terminated", { instance: lost, state });
  x.c.check(`${what}: the group launched a replacement into service`, replacement !== undefined && after.inService.length === 1, {
    lost,
    inService: after.inService,
  });
  return { lost, replacement, groupArn: after.arn };
}

/** Runs the takeover function's real handler on `event`, recording CompleteLifecycleAction (moto lacks it). */
async function runTakeover(x: Context, event: unknown, options: { denyAssociate?: boolean } = {}) {
  const config = x.sandbox.clientConfig();
  const ec2 = new EC2(config);
  const autoscaling = new AutoScaling(config);
  const completions: { InstanceId?: string; LifecycleActionResult?: string; LifecycleActionToken?: string }[] = [];
  const ec2ForHandler = options.denyAssociate
    ? {
        describeInstances: (i: object) => ec2.describeInstances(i),
        describeAddresses: (i: object) => ec2.describeAddresses(i),
        // EC2's answer to a caller whose policy does not allow the call.
        associateAddress: () =>
          Promise.reject(Object.assign(new Error("You are not authorized to perform this operation."), { name: "UnauthorizedOperation" })),
      }
    : ec2;
  const handle = takeoverHandler().createHandler({
    ec2: ec2ForHandler,
    autoscaling: {
      describeAutoScalingGroups: (i: object) => autoscaling.describeAutoScalingGroups(i),
      completeLifecycleAction: async (i: (typeof completions)[number]) => {
        completions.push(i);
        return {};
      },
    },
    ssm: new SSM(config),
    sns: new SNS(config),
    cloudwatch: new CloudWatch(config),
    env: x.env,
    sleep: quickly,
    retryDelaysMs: [100],
  });
  const { value, logs } = await collectingLogs(() => handle(event, undefined));
  return { result: value, completions, logs };
}

async function addressHolder(sandbox: Sandbox, allocationId: string): Promise<{ instanceId?: string; publicIp?: string }> {
  const { Addresses = [] } = await new EC2(sandbox.clientConfig()).describeAddresses({ AllocationIds: [allocationId] });
  return { instanceId: Addresses[0]?.InstanceId, publicIp: Addresses[0]?.PublicIp };
}

/** The values of the A record `name` in any hosted zone of the emulator. */
async function aRecord(sandbox: Sandbox, name: string): Promise<string[]> {
  const route53 = new Route53(sandbox.clientConfig());
  const fqdn = `${name.replace(/\.$/, "")}.`;
  const { HostedZones = [] } = await route53.listHostedZones({});
  for (const zone of HostedZones) {
    if (!fqdn.endsWith(`.${zone.Name}`)) continue;
    const { ResourceRecordSets = [] } = await route53.listResourceRecordSets({
      HostedZoneId: zone.Id,
      StartRecordName: fqdn,
      StartRecordType: "A",
      MaxItems: 1,
    });
    const set = ResourceRecordSets.find((r) => r.Name === fqdn && r.Type === "A");
    if (set) return (set.ResourceRecords ?? []).map((r) => r.Value ?? "");
  }
  return [];
}

/**
 * An output as synthesized: a literal output (the endpoint's name) is missing from the state of
 * an apply with `-target` (the sandbox's, around the resources it leaves out), which evaluates
 * only the outputs that depend on targeted resources.
 */
function synthesizedOutput(applied: AppliedStack, name: string): string {
  const tf = JSON.parse(fs.readFileSync(path.join(applied.dir, "cdk.tf.json"), "utf8")) as { output?: Record<string, { value?: unknown }> };
  const value = applied.outputs[name] ?? tf.output?.[name]?.value;
  if (typeof value !== "string") throw new Error(`the stack has no output ${name}`);
  return value;
}

async function failureRecord(sandbox: Sandbox, parameter: string): Promise<string[]> {
  const { Parameter } = await new SSM(sandbox.clientConfig()).getParameter({ Name: parameter });
  return (JSON.parse(Parameter?.Value ?? "{}") as { failedInstances?: string[] }).failedInstances ?? [];
}

async function run(sandbox: Sandbox, applied: AppliedStack): Promise<Checks["list"]> {
  const c = new Checks();
  const group = String(applied.outputs.group_name);
  const elasticIp = String(applied.outputs.elastic_ip);
  const endpointName = synthesizedOutput(applied, "endpoint_name");
  const topicArn = String(applied.outputs.topic_arn);
  const env = await functionEnvironment(sandbox, `${group}-endpoint-takeover`);
  if (
    !c.check(
      "the takeover function is deployed with its group, hook, address and topic",
      env.GROUP_NAME === group && env.TOPIC_ARN === topicArn && !!env.ALLOCATION_ID,
      env,
    )
  ) {
    return c.list;
  }
  const x: Context = { sandbox, group, env, c };
  const where = { account: EMULATOR_ACCOUNT_ID, region: sandbox.config.region };
  const started = new Date(Date.now() - 60_000);
  const topic = await listenToTopic(sandbox, topicArn, `rehearsal-${group}-topic`.slice(0, 80));
  try {
    // The instance is lost; the replacement's launch is taken over.
    const first = await loseInstance(x, "instance lost");
    if (!first.replacement) return c.list;
    const launch = launchLifecycleAction(where, { groupArn: first.groupArn, groupName: group, hookName: env.HOOK_NAME, instanceId: first.replacement });
    const ok = await runTakeover(x, launch);
    c.check(
      "the takeover function takes over and completes the launch with CONTINUE",
      ok.result.tookOver === true && ok.result.result === "CONTINUE",
      ok.result,
    );
    c.check(
      "the launch is completed for the replacement with its lifecycle action token",
      ok.completions.length === 1 &&
        ok.completions[0].InstanceId === first.replacement &&
        ok.completions[0].LifecycleActionResult === "CONTINUE" &&
        ok.completions[0].LifecycleActionToken === launch.detail.LifecycleActionToken,
      ok.completions,
    );
    const held = await addressHolder(sandbox, env.ALLOCATION_ID);
    c.check("the Elastic IP is associated with the replacement", held.instanceId === first.replacement && held.publicIp === elasticIp, {
      replacement: first.replacement,
      ...held,
    });
    const record = await aRecord(sandbox, endpointName);
    c.check(`the A record ${endpointName} still targets the Elastic IP`, record.length === 1 && record[0] === elasticIp, record);

    // The next replacement's takeover is denied.
    const second = await loseInstance(x, "instance lost again");
    if (!second.replacement) return c.list;
    await topic.received(); // only what the failed takeover publishes counts below
    const denied = await runTakeover(
      x,
      launchLifecycleAction(where, { groupArn: second.groupArn, groupName: group, hookName: env.HOOK_NAME, instanceId: second.replacement }),
      { denyAssociate: true },
    );
    c.check("a denied takeover is not a success: the function reports it failed", denied.result.tookOver === false, denied.result);
    c.check(
      "the launch is abandoned, so Auto Scaling replaces the instance (CompleteLifecycleAction ABANDON)",
      denied.completions.length === 1 && denied.completions[0].InstanceId === second.replacement && denied.completions[0].LifecycleActionResult === "ABANDON",
      denied.completions,
    );
    const failed = await failureRecord(sandbox, env.STATE_PARAMETER);
    c.check("the failed takeover is recorded (it counts towards the bound on replacements)", failed.includes(second.replacement), failed);
    const told = await topic.received();
    c.check(
      "the stack's topic is told that the takeover failed and the instance is replaced",
      told.some((m) => (m.Subject ?? "").includes("endpoint takeover failed, replacing") && m.Message.includes(second.replacement!)),
      told.map((m) => m.Subject),
    );
    const notMoved = await addressHolder(sandbox, env.ALLOCATION_ID);
    c.check("the Elastic IP is not on the instance whose takeover was denied", notMoved.instanceId !== second.replacement, notMoved);

    // The denial is gone: the periodic check restores the endpoint on the instance in service.
    const check = await runTakeover(x, scheduledEvent(where, `arn:aws:events:${where.region}:${where.account}:rule/${group}-endpoint-check`));
    const restored = await addressHolder(sandbox, env.ALLOCATION_ID);
    c.check("the periodic check moves the Elastic IP onto the instance in service", check.result.moved === true && restored.instanceId === second.replacement, {
      result: check.result,
      ...restored,
    });
    c.check("the record of failed takeovers is reset", (await failureRecord(sandbox, env.STATE_PARAMETER)).length === 0);
    const restoredTold = await topic.received();
    c.check(
      "the stack's topic is told the endpoint is restored",
      restoredTold.some((m) => (m.Subject ?? "").includes("endpoint restored")),
      restoredTold.map((m) => m.Subject),
    );
    const { Datapoints = [] } = await new CloudWatch(sandbox.clientConfig()).getMetricStatistics({
      Namespace: env.METRIC_NAMESPACE,
      MetricName: ATTACHED_METRIC,
      Dimensions: [{ Name: "Group", Value: group }],
      StartTime: started,
      EndTime: new Date(started.getTime() + 3600_000),
      Period: 3600,
      Statistics: ["SampleCount", "Sum"],
    });
    const attached = { samples: Datapoints.reduce((n, d) => n + (d.SampleCount ?? 0), 0), sum: Datapoints.reduce((n, d) => n + (d.Sum ?? 0), 0) };
    c.check(
      `the function put ${ATTACHED_METRIC} for each run, 1 when the address is on the instance in service: 1, 0, 1`,
      attached.samples === 3 && attached.sum === 2,
      attached,
    );
  } finally {
    await topic.close();
  }
  return c.list;
}

export const MULTIAZ_INSTANCE_LOST: Rehearsal = {
  name: "multiaz: instance lost",
  stack: "multiaz",
  notSimulated: NOT_SIMULATED,
  run,
};
