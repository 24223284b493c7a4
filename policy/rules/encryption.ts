/**
 * Rules for encryption with a customer-managed KMS key (the stack's key, StackKey): log
 * groups, SNS topics and EFS file systems name a key of their own. Without one, CloudWatch
 * Logs and EFS still encrypt under keys AWS owns or manages, and a topic is not encrypted at
 * all; the account cannot limit or audit their use through a key policy.
 */
import { ResourceNode } from "../../lib/resource-graph";
import { Rule } from "../rule";

/** Whether `attribute` names a key: a value, or a reference resolved at apply (a plan's unknown). */
const namesKey = (r: ResourceNode, attribute: string) => {
  const v = r.values[attribute];
  return (typeof v === "string" && v.length > 0) || (r.references[attribute] ?? []).length > 0;
};

/** The ids the constructs suppress when their stack goes without a key (encryption.customerManagedKey). */
export const LOG_GROUP_KEY_RULE = "CKV_AWS_158";
export const TOPIC_KEY_RULE = "CKV_AWS_26";
export const FILE_SYSTEM_KEY_RULE = "CKV_AWS_184";

export const logGroupKey: Rule = {
  id: LOG_GROUP_KEY_RULE,
  severity: "warning",
  title: "Log groups are encrypted with a customer-managed KMS key.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  check(r) {
    if (namesKey(r, "kms_key_id")) return undefined;
    return "kms_key_id is unset: the logs are under CloudWatch Logs' own key; encrypt them with the stack's key (encryption.customerManagedKey)";
  },
};

export const topicKey: Rule = {
  id: TOPIC_KEY_RULE,
  severity: "warning",
  title: "SNS topics are encrypted with a customer-managed KMS key.",
  resourceTypes: ["aws_sns_topic"],
  check(r) {
    if (namesKey(r, "kms_master_key_id")) return undefined;
    return "kms_master_key_id is unset: the topic's messages are stored unencrypted; encrypt it with the stack's key (encryption.customerManagedKey), whose policy lets the alarms publish";
  },
};

export const fileSystemKey: Rule = {
  id: FILE_SYSTEM_KEY_RULE,
  severity: "warning",
  title: "EFS file systems are encrypted with a customer-managed KMS key.",
  resourceTypes: ["aws_efs_file_system"],
  check(r) {
    if (namesKey(r, "kms_key_id")) return undefined;
    return "kms_key_id is unset: the file system is under the AWS-managed key aws/elasticfilesystem; encrypt it with the stack's key (encryption.customerManagedKey)";
  },
};

export const ENCRYPTION_RULES: readonly Rule[] = [logGroupKey, topicKey, fileSystemKey];
