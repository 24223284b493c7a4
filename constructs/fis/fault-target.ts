/**
 * What an AWS FIS action acts on: resources of one type chosen by the experiment's tags (the
 * stack's, set by `FaultExperiment` on every target, never by ARN) and narrowed by filters
 * (state, AZ). Target syntax: https://docs.aws.amazon.com/fis/latest/userguide/targets.html
 */

export type FaultResourceType = "aws:ec2:instance" | "aws:ec2:autoscaling-group" | "aws:ec2:subnet";

export interface FaultTarget {
  /** The target's name in the template (unique there). */
  readonly name: string;
  readonly resourceType: FaultResourceType;
  /** `ALL`, or `COUNT(n)` for n of them at random. */
  readonly selectionMode: string;
  /** Attribute filters (the API's describe output paths) and the values one of which must match. */
  readonly filters: readonly { readonly path: string; readonly values: readonly string[] }[];
}

export interface InstanceTargetOptions {
  /** Only the instances in this AZ. @default - every AZ */
  readonly az?: string;
  /** How many of the running instances. @default "ALL" */
  readonly selectionMode?: string;
}

/** The stack's running instances (in one AZ, or all). */
export function runningInstances(options: InstanceTargetOptions = {}): FaultTarget {
  return {
    name: options.az ? `instances-${options.az}` : "instances",
    resourceType: "aws:ec2:instance",
    selectionMode: options.selectionMode ?? "ALL",
    filters: [{ path: "State.Name", values: ["running"] }, ...(options.az ? [{ path: "Placement.AvailabilityZone", values: [options.az] }] : [])],
  };
}

/** The stack's Auto Scaling groups. */
export function autoScalingGroups(): FaultTarget {
  return { name: "groups", resourceType: "aws:ec2:autoscaling-group", selectionMode: "ALL", filters: [] };
}

/** The stack's subnets in one AZ (every tier). */
export function subnetsIn(az: string): FaultTarget {
  return { name: `subnets-${az}`, resourceType: "aws:ec2:subnet", selectionMode: "ALL", filters: [{ path: "AvailabilityZone", values: [az] }] };
}
