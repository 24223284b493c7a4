/**
 * The AWS side of a group's launch lifecycle hook: the group's ARN pattern, and the permission
 * of its instances to complete the hook. The instances' boot agent that completes it is
 * workload (workload/lifecycle-agent.ts).
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/completing-lifecycle-hooks.html
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { awsContext } from "../../lib/stack-context";
import { InstanceRole } from "../compute/instance-role";

/**
 * The longest `terraform apply` waits for the capacity of a group whose every launch waits at a
 * launch hook (`wait_for_capacity_timeout`): a new instance is held in Pending:Wait until the
 * hook is completed or its heartbeat timeout applies the default result, so the wait covers the
 * hook's timeout, plus `afterHookSeconds`, what must follow before the instance counts (the load
 * balancer's health checks, or the Auto Scaling pass that applies a default result). The
 * provider's default, 10 minutes, is shorter than a hook sized for a cold first boot, so a slow
 * but healthy launch would fail the apply (and taint the group).
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/autoscaling_group#wait_for_capacity_timeout
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/lifecycle-hooks-overview.html
 */
export function capacityWaitSeconds(hookTimeoutSeconds: number, afterHookSeconds: number): number {
  return hookTimeoutSeconds + afterHookSeconds;
}

/** The ARN pattern of an Auto Scaling group by name: its ARN holds a generated id; account `*` (Auto Scaling has no resource policies, so a role reaches its own account only). */
export function groupArnPattern(partition: string, region: string, groupName: string): string {
  return `arn:${partition}:autoscaling:${region}:*:autoScalingGroup:*:autoScalingGroupName/${groupName}`;
}

/** Lets the instances of `role` complete the lifecycle actions of the group `groupName` of the role's region, and nothing else. */
export function allowCompletingLaunchHook(role: InstanceRole, groupName: string): IamRolePolicy {
  const { partition, region } = awsContext(role);
  return role.allow("complete-launch-hook", [
    {
      Sid: "CompleteThisGroupsLaunchHook",
      Effect: "Allow",
      Action: "autoscaling:CompleteLifecycleAction",
      Resource: groupArnPattern(partition, region, groupName),
    },
  ]);
}
