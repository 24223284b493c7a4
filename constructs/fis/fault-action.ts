/**
 * The AWS FIS actions the experiments use, each with the IAM permissions FIS needs to run it
 * (the actions reference's "Permissions" of each action:
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html), scoped to the
 * stack's region and partition and, where the API evaluates resource tags, to the stack's tags.
 */
import { PolicyStatement } from "../../lib/iam";
import { AwsContext } from "../../lib/stack-context";
import { FaultTarget } from "./fault-target";

/** Where the permissions apply: the stack's region, partition and DNS suffix, and its tags. */
export interface PermissionScope extends AwsContext {
  /** The tags every target carries (the stack's); conditions on the resources acted on. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface FaultAction {
  /** The action's name in the template (unique there). */
  readonly name: string;
  readonly actionId: string;
  readonly description: string;
  /** The action's parameters in the stack's region and partition. @default - none */
  parameters?(scope: PermissionScope): Record<string, string>;
  /** The action's target: the key its action type expects (`Instances`, ...) and the target. */
  readonly target?: { readonly key: "Instances" | "AutoScalingGroups" | "Subnets"; readonly target: FaultTarget };
  /** Actions that must complete before this one starts. @default - starts with the experiment */
  readonly startAfter?: readonly string[];
  /** The IAM statements FIS needs for it. */
  permissions(scope: PermissionScope): PolicyStatement[];
}

/** ISO 8601 duration of whole minutes, as FIS parameters take them. */
export function minutes(n: number): string {
  return `PT${n}M`;
}

const tagCondition = (tags: Readonly<Record<string, string>>) => ({
  StringEquals: Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])),
});

const instanceArns = (s: PermissionScope) => `arn:${s.partition}:ec2:${s.region}:*:instance/*`;

/** FIS resolves instance targets with DescribeInstances, which takes no resource. */
const describeInstances: PolicyStatement = { Sid: "ResolveInstances", Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" };

/** An EC2 API call on the stack's instances, allowed only on instances with its tags. */
function onInstances(sid: string, actions: string[]) {
  return (s: PermissionScope): PolicyStatement[] => [
    { Sid: sid, Effect: "Allow", Action: actions, Resource: instanceArns(s), Condition: tagCondition(s.tags) },
    describeInstances,
  ];
}

export function terminateInstances(target: FaultTarget, startAfter?: readonly string[]): FaultAction {
  return {
    name: "terminate-instances",
    actionId: "aws:ec2:terminate-instances",
    description: "terminate the instances",
    target: { key: "Instances", target },
    startAfter,
    permissions: onInstances("TerminateInstances", ["ec2:TerminateInstances"]),
  };
}

export function rebootInstances(target: FaultTarget): FaultAction {
  return {
    name: "reboot-instances",
    actionId: "aws:ec2:reboot-instances",
    description: "reboot the instances",
    target: { key: "Instances", target },
    permissions: onInstances("RebootInstances", ["ec2:RebootInstances"]),
  };
}

/** Stops the instances and starts them again after `restartAfter` (ISO 8601), as a power interruption ends. */
export function stopInstances(target: FaultTarget, restartAfter: string): FaultAction {
  return {
    name: "stop-instances",
    actionId: "aws:ec2:stop-instances",
    description: `stop the instances, start them again after ${restartAfter}`,
    // A group may terminate the stopped instances meanwhile; the action then completes.
    parameters: () => ({ startInstancesAfterDuration: restartAfter, completeIfInstancesTerminated: "true" }),
    target: { key: "Instances", target },
    permissions: (s) => [
      ...onInstances("StopAndStartInstances", ["ec2:StopInstances", "ec2:StartInstances"])(s),
      // Starting an instance with encrypted volumes makes EC2 create a grant on their key.
      {
        Sid: "StartInstancesWithEncryptedVolumes",
        Effect: "Allow",
        Action: "kms:CreateGrant",
        Resource: `arn:${s.partition}:kms:${s.region}:*:key/*`,
        Condition: { StringLike: { "kms:ViaService": `ec2.${s.region}.${s.dnsSuffix}` }, Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

const ASG_ICE = "aws:ec2:asg-insufficient-instance-capacity-error";

/**
 * Makes every launch of the groups in `az` fail with InsufficientInstanceCapacity for `duration`.
 * The role may inject the error only into the groups named `groupNames` (the stack's): FIS names
 * the groups it targets in `ec2:FisTargetArns`.
 */
export function groupLaunchesFail(target: FaultTarget, az: string, duration: string, groupNames: readonly string[]): FaultAction {
  if (groupNames.length === 0) throw new Error(`groupLaunchesFail: no group names for ${az}; the role must name the groups it may fail launches of`);
  return {
    name: "fail-launches",
    actionId: ASG_ICE,
    description: `launches of the groups in ${az} fail (insufficient capacity) for ${duration}`,
    parameters: () => ({ availabilityZoneIdentifiers: az, duration, percentage: "100" }),
    target: { key: "AutoScalingGroups", target },
    permissions: (s) => [
      {
        Sid: "InjectLaunchErrors",
        Effect: "Allow",
        Action: "ec2:InjectApiError",
        // The API takes no resource; FIS names the action and the groups in these keys.
        Resource: "*",
        Condition: {
          "ForAnyValue:StringEquals": { "ec2:FisActionId": [ASG_ICE] },
          "ForAllValues:StringLike": {
            "ec2:FisTargetArns": groupNames.map((name) => `arn:${s.partition}:autoscaling:${s.region}:*:autoScalingGroup:*:autoScalingGroupName/${name}`),
          },
        },
      },
      { Sid: "ResolveGroups", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingGroups", "tag:GetResources"], Resource: "*" },
    ],
  };
}

/**
 * Drops all traffic of the subnets for `duration`: FIS associates a clone of their network ACL
 * with deny rules (tagged managedByFIS) and restores the old association afterwards.
 */
export function disruptConnectivity(target: FaultTarget, duration: string): FaultAction {
  return {
    name: "disrupt-connectivity",
    actionId: "aws:network:disrupt-connectivity",
    description: `drop all traffic of the subnets for ${duration}`,
    parameters: () => ({ duration, scope: "all" }),
    target: { key: "Subnets", target },
    permissions: (s) => {
      const arn = (type: string) => `arn:${s.partition}:ec2:${s.region}:*:${type}/*`;
      const byFis = { "aws:RequestTag/managedByFIS": "true" };
      return [
        { Sid: "CreateAclInStackVpc", Effect: "Allow", Action: "ec2:CreateNetworkAcl", Resource: arn("vpc"), Condition: tagCondition(s.tags) },
        { Sid: "CreateFisAcl", Effect: "Allow", Action: "ec2:CreateNetworkAcl", Resource: arn("network-acl"), Condition: { StringEquals: byFis } },
        {
          Sid: "TagFisAcl",
          Effect: "Allow",
          Action: "ec2:CreateTags",
          Resource: arn("network-acl"),
          Condition: { StringEquals: { ...byFis, "ec2:CreateAction": "CreateNetworkAcl" } },
        },
        {
          Sid: "ChangeFisAcl",
          Effect: "Allow",
          Action: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
          Resource: arn("network-acl"),
          Condition: { StringEquals: { "ec2:ResourceTag/managedByFIS": "true" } },
        },
        // The request names the subnet, FIS's ACL and (on the way back) the subnet's old ACL.
        { Sid: "SwapSubnetAcl", Effect: "Allow", Action: "ec2:ReplaceNetworkAclAssociation", Resource: [arn("subnet"), arn("network-acl")] },
        { Sid: "GetPrefixListEntries", Effect: "Allow", Action: "ec2:GetManagedPrefixListEntries", Resource: arn("prefix-list") },
        {
          Sid: "ResolveSubnets",
          Effect: "Allow",
          Action: ["ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"],
          Resource: "*",
        },
      ];
    },
  };
}

/** Runs shell commands as root on the instances through SSM Run Command (`AWS-RunShellScript`), waiting up to `timeout`. */
export function runShell(target: FaultTarget, commands: readonly string[], timeout: string): FaultAction {
  const document = (s: PermissionScope) => `arn:${s.partition}:ssm:${s.region}::document/AWS-RunShellScript`;
  return {
    name: "run-shell",
    actionId: "aws:ssm:send-command",
    description: `run ${commands.join("; ")}`,
    target: { key: "Instances", target },
    parameters: (s) => ({ documentArn: document(s), documentParameters: JSON.stringify({ commands }), duration: timeout }),
    permissions: (s) => [
      { Sid: "SendToStackInstances", Effect: "Allow", Action: "ssm:SendCommand", Resource: instanceArns(s), Condition: tagCondition(s.tags) },
      { Sid: "SendRunShellScript", Effect: "Allow", Action: "ssm:SendCommand", Resource: document(s) },
      { Sid: "FollowCommands", Effect: "Allow", Action: ["ssm:ListCommands", "ssm:CancelCommand"], Resource: "*" },
      describeInstances,
    ],
  };
}

/** Waits `duration` (no permissions): lets an injected condition take hold before the next action. */
export function wait(duration: string): FaultAction {
  return { name: "wait", actionId: "aws:fis:wait", description: `wait ${duration}`, parameters: () => ({ duration }), permissions: () => [] };
}
