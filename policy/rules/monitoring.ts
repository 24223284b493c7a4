/**
 * Rules for alarms and logs. CKV_AWS_338 and CKV_AWS_158, often quoted for this control,
 * are in checkov "log groups keep logs for at least a year" and "log groups are
 * encrypted with a KMS key". The controls named here ("alarms have actions", "log groups
 * have a retention") are checkov's CKV_AWS_319 and CKV_AWS_66. The project keeps flow logs
 * 30 days by default (network.flowLogs.retentionDays), so checkov's CKV_AWS_338 would
 * report them; that is a cost decision, not checked here.
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

export const MONITORING_RULES: readonly Rule[] = [alarmActions, logRetention];
