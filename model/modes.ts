/**
 * The failure modes the model assesses every stack for: what each one is, and how a game day
 * injects it. A mode that cannot happen to a stack is still listed for it (`not-applicable`,
 * with the reason), so no mode silently drops out of a table.
 */
import { FailureMode } from "./types";
import { WORKLOAD_FAULT_COMMANDS } from "../workload/faults";

export interface FailureModeInfo {
  /** Name in tables ("host failure"). */
  readonly title: string;
  /** What fails and what still works. */
  readonly description: string;
  /** How a game day produces it; AWS Fault Injection Service actions where one fits. */
  readonly injection: string;
}

export const MODE_INFO: Readonly<Record<FailureMode, FailureModeInfo>> = {
  host: {
    title: "host failure",
    description: "the instance's host fails: the system status check fails (and the instance check with it)",
    injection:
      "no API fails a host: `aws cloudwatch set-alarm-state --state-value ALARM` on the recover alarm runs its action (AWS's way to test alarm actions); " +
      "in a group, `aws ec2 stop-instances --force` stands in (a stopped instance takes the not-running route, at most as slow)",
  },
  "guest-os": {
    title: "guest OS failure",
    description: "the operating system stops answering on a healthy host: the instance status check fails, the system check passes",
    injection: "through SSM Run Command: `sudo ip link set dev ens5 down` (the instance status check's reachability test fails)",
  },
  "app-crash": {
    title: "application crash",
    description: "an app's process exits (killed or failed) on a healthy instance",
    injection: `through SSM Run Command: \`${WORKLOAD_FAULT_COMMANDS["app-crash"].join("; ")}\``,
  },
  "app-hang": {
    title: "application hang",
    description: "an app's process lives but stops answering; the host and the OS are healthy, so no status check fails",
    injection: `through SSM Run Command: \`${WORKLOAD_FAULT_COMMANDS["app-freeze"].join("; ")}\``,
  },
  "eip-takeover": {
    title: "Elastic IP takeover failure",
    description: "a replacement instance starts but the endpoint's Elastic IP cannot be moved onto it",
    injection: "an explicit deny of `ec2:AssociateAddress` on the takeover function's role, then `aws ec2 terminate-instances` on the instance in service",
  },
  "ami-stall": {
    title: "AMI pipeline stall",
    description: "no new server image is made or published, so the data a replacement would lose keeps growing",
    injection: "`aws dlm update-lifecycle-policy --state DISABLED` on the stack's policy",
  },
  "az-outage": {
    title: "AZ outage",
    description: "the whole Availability Zone of the instance fails: instances, EBS volumes and the AZ's EC2 API",
    injection: "AWS FIS scenario 'AZ Availability: Power Interruption', or `aws:network:disrupt-connectivity` (scope all) on the AZ's subnets",
  },
  "az-gray": {
    title: "AZ gray failure",
    description: "instances in one AZ stay running with passing status checks, but clients cannot reach them",
    injection: "AWS FIS `aws:network:disrupt-connectivity` on the AZ's subnets towards the internet only (scope prefix-list), the instances untouched",
  },
  "control-plane": {
    title: "control-plane impairment",
    description: "a host fails while EC2's and Auto Scaling's control planes cannot launch or recover (APIs failing)",
    injection:
      "AWS FIS `aws:ec2:asg-insufficient-instance-capacity-error` (or `aws:ec2:api-insufficient-instance-capacity-error`) during the host-failure injection",
  },
};

/** What a game day observes for every claim. */
export const OBSERVABLE =
  "an external probe of the endpoint's /health once a second (the last failed probe), and the state-change timestamps: EC2 instance state changes, Auto Scaling activities, alarm history";
