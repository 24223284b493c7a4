/**
 * What the pinned emulator (moto 5.2.5) lacks that the stacks' resources need, by resource type.
 * The sandbox never hides one: its report names every resource of these types by address with
 * the missing API.
 * - `left out`: the resource is not applied in the sandbox (Terraform targets every other
 *   resource of the stack; nothing else depends on it).
 * - `stand-in`: tools/emulator/stand_ins.py answers the API by storing what it is given, with
 *   none of its effect, because resources applied for real depend on this one.
 * `__tests__/sandbox/gaps.test.ts` checks against the installed moto that every entry is still
 * missing there, so an upgrade that adds an API fails the test until its entry goes.
 */

export interface Gap {
  /** The API moto lacks, as `<service>:<Operation>`. */
  readonly api: string;
  readonly treatment: "left out" | "stand-in";
  /** What the sandbox therefore does not show. */
  readonly effect: string;
  /**
   * A boto3 call that proves the API missing in moto itself (moto raises NotImplementedError, or
   * has no such service): client, method and arguments.
   */
  readonly probe: { readonly service: string; readonly method: string; readonly args: Readonly<Record<string, unknown>> };
}

export const GAPS: Readonly<Record<string, Gap>> = {
  aws_autoscaling_notification: {
    api: "autoscaling:PutNotificationConfiguration",
    treatment: "left out",
    effect: "the group's launch/terminate notifications to the stack's topic",
    probe: {
      service: "autoscaling",
      method: "put_notification_configuration",
      args: { AutoScalingGroupName: "g", TopicARN: "arn:aws:sns:us-east-1:123456789012:t", NotificationTypes: ["autoscaling:EC2_INSTANCE_LAUNCH"] },
    },
  },
  aws_dlm_lifecycle_policy: {
    api: "dlm:CreateLifecyclePolicy (moto has no Data Lifecycle Manager)",
    treatment: "stand-in",
    effect: "the policy is stored, never run: no image or snapshot is made on its schedule",
    probe: { service: "dlm", method: "get_lifecycle_policies", args: {} },
  },
  aws_efs_backup_policy: {
    api: "elasticfilesystem:PutBackupPolicy (moto has DescribeBackupPolicy only; the provider retries its 500 until the create times out)",
    treatment: "left out",
    effect: "the file system's automatic AWS Backup (daily backups, kept 35 days) is not switched on",
    probe: { service: "efs", method: "put_backup_policy", args: { FileSystemId: "fs-01234567", BackupPolicy: { Status: "ENABLED" } } },
  },
  aws_efs_file_system_policy: {
    api: "elasticfilesystem:DeleteFileSystemPolicy (moto has Put and Describe only; a destroy retries its 500 until it times out)",
    treatment: "left out",
    effect: "the file system's policy (clients only through mount targets, TLS only) is not applied",
    probe: { service: "efs", method: "delete_file_system_policy", args: { FileSystemId: "fs-01234567" } },
  },
  aws_instance: {
    api: "ec2:MonitorInstances (moto launches from a template without its detailed monitoring, and lacks this call)",
    treatment: "stand-in",
    effect: "the monitoring state is recorded; the emulator produces no instance metrics",
    probe: { service: "ec2", method: "monitor_instances", args: { InstanceIds: ["i-0123456789abcdef0"] } },
  },
};

/** The gap of a resource address (`<type>.<name>`), if its type has one. */
export function gapOf(address: string): Gap | undefined {
  return GAPS[address.split(".")[0]];
}
