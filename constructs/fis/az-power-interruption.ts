/**
 * The actions of AWS FIS's scenario "AZ Availability: Power Interruption"
 * (https://docs.aws.amazon.com/fis/latest/userguide/az-availability-scenario.html) that apply
 * to EC2 instances in Auto Scaling groups, for one AZ: the instances there stopped and started
 * again when the interruption ends, the groups' launches there failing for as long, and the
 * AZ's subnets cut off for the first minutes. Left out: the scenario's EBS volume pause (the
 * stacks' volumes go with their instances), its database and cache actions (none here), and
 * its `aws:ec2:api-insufficient-instance-capacity-error`, which targets IAM roles that launch
 * instances (the groups launch with their service-linked role, which FIS cannot target; the
 * group action covers their launches).
 */
import { FaultAction, disruptConnectivity, groupLaunchesFail, minutes, stopInstances } from "./fault-action";
import { autoScalingGroups, runningInstances, subnetsIn } from "./fault-target";

export interface AzPowerInterruptionProps {
  readonly az: string;
  /** The names of the stack's Auto Scaling groups, the only ones whose launches the role may fail. */
  readonly groupNames: readonly string[];
  /** How long the power is out: instances stay stopped and launches fail. @default 30 (the scenario's outage) */
  readonly outageMinutes?: number;
  /** How long the AZ's subnets drop all traffic, from the start. @default 2 (the scenario's network impact) */
  readonly networkMinutes?: number;
}

export function azPowerInterruption(props: AzPowerInterruptionProps): FaultAction[] {
  const outage = minutes(props.outageMinutes ?? 30);
  return [
    stopInstances(runningInstances({ az: props.az }), outage),
    groupLaunchesFail(autoScalingGroups(), props.az, outage, props.groupNames),
    disruptConnectivity(subnetsIn(props.az), minutes(props.networkMinutes ?? 2)),
  ];
}
