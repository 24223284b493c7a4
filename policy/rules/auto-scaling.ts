/** Rules for Auto Scaling groups: what they launch from and how they judge health. */
import { Rule } from "../rule";
import { blocks } from "../../lib/resource-graph";

const hasItems = (v: unknown) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== "");

export const launchTemplate: Rule = {
  id: "CKV_AWS_315",
  severity: "warning",
  title: "Auto Scaling groups launch from a launch template, not a launch configuration.",
  resourceTypes: ["aws_autoscaling_group"],
  check(r) {
    const fromTemplate = blocks(r.values.launch_template).length > 0 || blocks(r.values.mixed_instances_policy).length > 0;
    if (fromTemplate && !hasItems(r.values.launch_configuration)) return undefined;
    return "launches from a launch configuration (deprecated; no IMDSv2 settings, no new instance types); use a launch template";
  },
};

export const elbHealthCheck: Rule = {
  id: "CKV2_AWS_15",
  severity: "warning",
  title: "Auto Scaling groups behind a load balancer replace instances the load balancer finds unhealthy.",
  resourceTypes: ["aws_autoscaling_group"],
  check(r, graph) {
    const balanced =
      hasItems(r.values.target_group_arns) ||
      hasItems(r.values.load_balancers) ||
      (r.references.target_group_arns ?? []).length > 0 ||
      graph.referencing(r, "aws_autoscaling_attachment", "autoscaling_group_name").length > 0;
    if (!balanced || r.values.health_check_type === "ELB") return undefined;
    return `behind a load balancer, but health_check_type is ${JSON.stringify(r.values.health_check_type ?? "EC2")}: an instance whose application fails stays in service; set it to "ELB"`;
  },
};

export const AUTO_SCALING_RULES: readonly Rule[] = [launchTemplate, elbHealthCheck];
