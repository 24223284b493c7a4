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

/** The rule that a resource of `type` names a customer-managed key in `attribute`; `without` says what happens without one. */
const customerKeyRule = (id: string, type: string, attribute: string, noun: string, without: string): Rule => ({
  id,
  severity: "warning",
  title: `${noun} are encrypted with a customer-managed KMS key.`,
  resourceTypes: [type],
  check(r) {
    if (namesKey(r, attribute)) return undefined;
    return `${attribute} is unset: ${without}`;
  },
});

export const logGroupKey = customerKeyRule(
  LOG_GROUP_KEY_RULE,
  "aws_cloudwatch_log_group",
  "kms_key_id",
  "Log groups",
  "the logs are under CloudWatch Logs' own key; encrypt them with the stack's key (encryption.customerManagedKey)",
);

export const topicKey = customerKeyRule(
  TOPIC_KEY_RULE,
  "aws_sns_topic",
  "kms_master_key_id",
  "SNS topics",
  "the topic's messages are stored unencrypted; encrypt it with the stack's key (encryption.customerManagedKey), whose policy lets the alarms publish",
);

export const fileSystemKey = customerKeyRule(
  FILE_SYSTEM_KEY_RULE,
  "aws_efs_file_system",
  "kms_key_id",
  "EFS file systems",
  "the file system is under the AWS-managed key aws/elasticfilesystem; encrypt it with the stack's key (encryption.customerManagedKey)",
);

export const ENCRYPTION_RULES: readonly Rule[] = [logGroupKey, topicKey, fileSystemKey];
