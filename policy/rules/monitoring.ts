/**
 * Rules for alarms and logs. The controls named here ("alarms have actions", "log groups
 * have a retention", "log groups keep logs for a year") are checkov's CKV_AWS_319, CKV_AWS_66
 * and CKV_AWS_338; CKV_AWS_158 (log groups encrypted with a KMS key) is in encryption.ts.
 * The project keeps every log group a year; shorter flow logs (network.flowLogs.retentionDays)
 * are a relaxation, only with a reason, recorded as the CKV_AWS_338 suppression.
 */
import { num } from "../../lib/resource-graph";
import { Rule, flag, unknownUntilApply, unresolved } from "../rule";

const hasItems = (v: unknown) => Array.isArray(v) && v.length > 0;

export const alarmActions: Rule = {
  id: "CKV_AWS_319",
  severity: "warning",
  title: "Alarms act when they fire: actions enabled, and at least one alarm action.",
  resourceTypes: ["aws_cloudwatch_metric_alarm"],
  check(r) {
    if (flag(r.values.actions_enabled) === false) return "actions_enabled = false: the alarm fires and nothing happens";
    if (unresolved(r.values.actions_enabled)) return unknownUntilApply("actions_enabled");
    if (hasItems(r.values.alarm_actions) || (r.references.alarm_actions ?? []).length > 0) return undefined;
    return "no alarm_actions: nobody is told and nothing is repaired; notify the stack's SNS topic at least";
  },
};

export const logRetention: Rule = {
  id: "CKV_AWS_66",
  severity: "warning",
  title: "Log groups say how long they keep logs.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  check(r) {
    if (unresolved(r.values.retention_in_days)) return unknownUntilApply("retention_in_days");
    const days = num(r.values.retention_in_days);
    return days !== undefined && days > 0 ? undefined : "retention_in_days is unset: logs are kept (and paid for) forever; set a retention";
  },
};

/** A year, the least CKV_AWS_338 accepts (0, never expire, passes too). */
export const YEAR_OF_LOGS_DAYS = 365;

export const logRetentionYear: Rule = {
  id: "CKV_AWS_338",
  severity: "warning",
  title: "Log groups keep their logs for at least a year, for an investigation that starts late.",
  resourceTypes: ["aws_cloudwatch_log_group"],
  check(r) {
    if (unresolved(r.values.retention_in_days)) return unknownUntilApply("retention_in_days");
    const days = num(r.values.retention_in_days);
    if (days === 0 || (days !== undefined && days >= YEAR_OF_LOGS_DAYS)) return undefined;
    return `retention_in_days is ${days ?? "unset"}: keep the logs ${YEAR_OF_LOGS_DAYS} days or more (network.flowLogs.retentionDays for the flow logs, with a reason below that)`;
  },
};

export const MONITORING_RULES: readonly Rule[] = [alarmActions, logRetention, logRetentionYear];
