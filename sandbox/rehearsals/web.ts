/**
 * web: the server group behind the load balancer, as far as the emulator can show it. The group
 * spans the private subnet of every AZ of the stack and holds one server per AZ; the target
 * group holds exactly the group's instances; an instance terminated through Auto Scaling (the
 * desired capacity kept) is replaced, and the replacement is registered; and the scale-out
 * path: with step scaling, executing the scale-out policy as its alarm would raises the desired
 * capacity by its step, never beyond the group's max; with target tracking (the default), the
 * policy tracks the configured CPU target on this group.
 *
 * Read in moto 5.2.5's source (moto/autoscaling/models.py, moto/elbv2/models.py): a group
 * launches every instance into its first subnet; TerminateInstanceInAutoScalingGroup with
 * ShouldDecrementDesiredCapacity=false detaches and terminates the instance and launches a
 * replacement at once, registered in the group's target groups, while the terminated
 * instance stays registered (moto tells ELBv2 only on EC2's own TerminateInstances); lifecycle
 * hooks hold nothing; target health is `healthy` for any registered instance not stopped;
 * ExecutePolicy of a step policy fails in moto (tools/emulator/stand_ins.py answers it).
 */
import {
  AutoScalingClient,
  AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  ExecutePolicyCommand,
  ScalingPolicy,
  TerminateInstanceInAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, DescribeSubnetsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { StackId } from "../../config/schema";
import type { AppliedStack, Sandbox } from "../sandbox";
import { Checks, Rehearsal } from "./rehearsal";

const sorted = (xs: readonly (string | undefined)[]): string[] => xs.filter((x): x is string => x !== undefined).sort();
const same = (a: readonly (string | undefined)[], b: readonly (string | undefined)[]): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

async function run(sandbox: Sandbox, applied: AppliedStack): Promise<Checks["list"]> {
  const c = new Checks();
  const groupName = String(applied.outputs.group_name);
  const targetGroupArn = String(applied.outputs.target_group_arn);
  const azs = sandbox.config.azs;
  const autoscaling = new AutoScalingClient(sandbox.clientConfig());
  const elb = new ElasticLoadBalancingV2Client(sandbox.clientConfig());
  const ec2 = new EC2Client(sandbox.clientConfig());
  const cloudwatch = new CloudWatchClient(sandbox.clientConfig());

  const group = async (): Promise<AutoScalingGroup | undefined> =>
    (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }))).AutoScalingGroups?.[0];
  const inService = (g: AutoScalingGroup | undefined): string[] =>
    sorted((g?.Instances ?? []).filter((i) => i.LifecycleState === "InService").map((i) => i.InstanceId));
  const targets = async (): Promise<{ id?: string; state?: string }[]> =>
    ((await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))).TargetHealthDescriptions ?? []).map((d) => ({
      id: d.Target?.Id,
      state: d.TargetHealth?.State,
    }));
  const instances = async (ids: string[]) =>
    ids.length === 0 ? [] : ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations ?? []).flatMap((r) => r.Instances ?? []);

  const before = await group();
  if (!c.check(`the group ${groupName} exists`, before !== undefined)) return c.list;
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: (before!.VPCZoneIdentifier ?? "").split(",").filter(Boolean) }))).Subnets ?? [];
  c.check(
    "the group launches into the private subnet of every AZ of the stack, one each",
    same(
      subnets.map((s) => s.AvailabilityZone),
      azs,
    ) &&
      same(
        subnets.map((s) => s.SubnetId),
        applied.outputs.private_subnet_ids as string[],
      ),
    subnets.map((s) => `${s.SubnetId} ${s.AvailabilityZone}`),
  );
  const servers = inService(before);
  c.check(
    `the group holds one server per AZ (${azs.length}) in service, its desired capacity`,
    servers.length === azs.length && before!.DesiredCapacity === azs.length,
    {
      inService: servers.length,
      desired: before!.DesiredCapacity,
      min: before!.MinSize,
      max: before!.MaxSize,
    },
  );
  const placed = await instances(servers);
  c.check(
    "each server runs in one of the group's subnets, in an AZ of the stack",
    placed.length === servers.length &&
      placed.every((i) => subnets.some((s) => s.SubnetId === i.SubnetId) && azs.includes(i.Placement?.AvailabilityZone ?? "")),
    placed.map((i) => `${i.InstanceId} ${i.Placement?.AvailabilityZone}`),
  );
  const registered = await targets();
  c.check(
    "the target group holds exactly the group's servers, each healthy",
    same(
      registered.map((t) => t.id),
      servers,
    ) && registered.every((t) => t.state === "healthy"),
    registered,
  );

  // An instance lost: Auto Scaling terminates it and keeps the desired capacity.
  const victim = servers[0];
  if (victim) {
    await autoscaling.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: victim, ShouldDecrementDesiredCapacity: false }));
    let after = await group();
    for (let i = 0; i < 20 && inService(after).length < servers.length; i++) {
      await new Promise((r) => setTimeout(r, 500));
      after = await group();
    }
    const now = inService(after);
    const replacements = now.filter((id) => !servers.includes(id));
    c.check(
      "terminating a server through Auto Scaling (desired capacity kept) launches one replacement, the others untouched",
      replacements.length === 1 &&
        !now.includes(victim) &&
        servers.filter((id) => id !== victim).every((id) => now.includes(id)) &&
        after?.DesiredCapacity === servers.length,
      { terminated: victim, replacements, desired: after?.DesiredCapacity },
    );
    const [gone] = await instances([victim]);
    c.check("the terminated server is terminated in EC2", ["shutting-down", "terminated"].includes(gone?.State?.Name ?? ""), gone?.State?.Name);
    const [replacement] = await instances(replacements.slice(0, 1));
    c.check(
      "the replacement runs in one of the group's subnets",
      replacement !== undefined && subnets.some((s) => s.SubnetId === replacement.SubnetId),
      replacement && `${replacement.InstanceId} ${replacement.Placement?.AvailabilityZone}`,
    );
    const nowRegistered = await targets();
    c.check(
      "the replacement is registered in the target group and healthy",
      replacements.length === 1 && nowRegistered.some((t) => t.id === replacements[0] && t.state === "healthy"),
      nowRegistered,
    );
  }

  const policies: ScalingPolicy[] = (await autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: groupName }))).ScalingPolicies ?? [];
  const stepOut = policies.find((p) => p.PolicyType === "StepScaling" && (p.StepAdjustments ?? []).some((s) => (s.ScalingAdjustment ?? 0) > 0));
  if (stepOut) await scaleOut(c, { autoscaling, cloudwatch, group, policy: stepOut });
  else {
    const target = sandbox.config.web.scaling;
    const tracking = policies.find((p) => p.PolicyType === "TargetTrackingScaling");
    c.check(
      `the group's target-tracking policy keeps its average CPU at ${target.mode === "target_tracking" ? target.targetCpuPercent : "?"} %`,
      target.mode === "target_tracking" &&
        tracking?.TargetTrackingConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType === "ASGAverageCPUUtilization" &&
        tracking.TargetTrackingConfiguration.TargetValue === target.targetCpuPercent,
      tracking?.TargetTrackingConfiguration,
    );
    const g = await group();
    c.check("the group has room to scale out (desired below max)", (g?.DesiredCapacity ?? 0) < (g?.MaxSize ?? 0), {
      desired: g?.DesiredCapacity,
      max: g?.MaxSize,
    });
  }
  return c.list;
}

/** Executes the step scale-out policy as its CPU alarm would, up to the group's max and once more. */
async function scaleOut(
  c: Checks,
  deps: { autoscaling: AutoScalingClient; cloudwatch: CloudWatchClient; group: () => Promise<AutoScalingGroup | undefined>; policy: ScalingPolicy },
): Promise<void> {
  const { autoscaling, cloudwatch, group, policy } = deps;
  const alarms = (await cloudwatch.send(new DescribeAlarmsCommand({ ActionPrefix: policy.PolicyARN }))).MetricAlarms ?? [];
  const alarm = alarms.find((a) => (a.AlarmActions ?? []).includes(policy.PolicyARN ?? ""));
  if (
    !c.check(
      `a CPU alarm of the group executes the scale-out policy ${policy.PolicyName}`,
      alarm !== undefined && alarm.MetricName === "CPUUtilization" && alarm.Dimensions?.[0]?.Value === policy.AutoScalingGroupName,
      alarm && { alarm: alarm.AlarmName, threshold: alarm.Threshold, operator: alarm.ComparisonOperator },
    )
  )
    return;
  const threshold = alarm!.Threshold ?? 0;
  const execute = () =>
    autoscaling.send(
      new ExecutePolicyCommand({
        AutoScalingGroupName: policy.AutoScalingGroupName,
        PolicyName: policy.PolicyName,
        // What the alarm passes: the metric's value and the threshold it breached.
        MetricValue: Math.min(100, threshold + 10),
        BreachThreshold: threshold,
      }),
    );
  const start = await group();
  const max = start?.MaxSize ?? 0;
  const step = policy.StepAdjustments?.find((s) => (s.ScalingAdjustment ?? 0) > 0)?.ScalingAdjustment ?? 0;
  await execute();
  const once = await group();
  c.check(
    `executing it raises the desired capacity by its step (${step}), within max (${max})`,
    once?.DesiredCapacity === Math.min(max, (start?.DesiredCapacity ?? 0) + step) && (once?.DesiredCapacity ?? 0) > (start?.DesiredCapacity ?? 0),
    { before: start?.DesiredCapacity, after: once?.DesiredCapacity, inService: once?.Instances?.length },
  );
  const seen: (number | undefined)[] = [once?.DesiredCapacity];
  for (let i = 0; i < max && (seen[seen.length - 1] ?? 0) < max; i++) {
    await execute();
    seen.push((await group())?.DesiredCapacity);
  }
  await execute();
  const top = await group();
  seen.push(top?.DesiredCapacity);
  c.check(
    `executed again at max, the desired capacity stays at max (${max}) and the group launches up to it`,
    top?.DesiredCapacity === max && top.Instances?.length === max,
    {
      desired: seen,
      instances: top?.Instances?.length,
    },
  );
}

const NOT_SIMULATED = [
  "the spread over AZs: moto launches every instance of a group into the group's first subnet (moto/autoscaling/models.py), so the servers all run in the first AZ; AWS balances them over the group's AZs. The rehearsal checks the group's subnets span every AZ, not where moto put the servers",
  "the lifecycle hook: moto puts a new instance in service at once; on AWS it waits at the launch hook until its agent sees /health answer",
  "health: moto reports every registered instance that is not stopped as healthy, without a health check (no server boots), and keeps an instance terminated through Auto Scaling registered as healthy (only EC2's TerminateInstances deregisters in moto); AWS deregisters it, draining for web.deregistrationDelaySeconds",
  "the scaling alarms: moto evaluates no alarm and runs no alarm action, and creates no target-tracking alarms; a step policy is executed directly, as its alarm would, with ExecutePolicy (which moto 5.2.5 fails for step policies: the emulator's stand-in applies the step, tools/emulator/stand_ins.py); target tracking has no ExecutePolicy on AWS, so its scale-out is rehearsed on web-step-scaling only",
];

/** The rehearsal on a web stack of id `stack` (the base, or a variant with its own group). */
export function webRehearsal(stack: StackId): Rehearsal {
  return { name: `${stack}: target group, replacement, scale-out`, stack, notSimulated: NOT_SIMULATED, run };
}
