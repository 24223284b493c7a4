/** Rules for the VPC itself: its subnets, its traffic record and its default security group. */
import { blocks } from "../../lib/resource-graph";
import { Rule, flag, unknownUntilApply, unresolved } from "../rule";

export const subnetNoAutoPublicIp: Rule = {
  id: "CKV_AWS_130",
  trivy: ["AWS-0164"],
  severity: "error",
  title: "Subnets do not give launched instances a public IP by default.",
  resourceTypes: ["aws_subnet"],
  check(r) {
    if (unresolved(r.values.map_public_ip_on_launch)) return unknownUntilApply("map_public_ip_on_launch");
    if (flag(r.values.map_public_ip_on_launch) !== true) return undefined;
    return "map_public_ip_on_launch = true gives every instance launched here a public IP; set it to false and let the few instances that need one ask for it";
  },
};

export const vpcFlowLogs: Rule = {
  id: "CKV2_AWS_11",
  trivy: ["AWS-0178"],
  severity: "error",
  title: "Every VPC records its traffic with flow logs.",
  resourceTypes: ["aws_vpc"],
  check(r, graph) {
    if (graph.referencing(r, "aws_flow_log", "vpc_id").length > 0) return undefined;
    return "no aws_flow_log records this VPC's traffic; add one (MultiAzVpc does unless network.flowLogs.enabled = false)";
  },
};

export const defaultSecurityGroupClosed: Rule = {
  id: "CKV2_AWS_12",
  trivy: ["AWS-0173"],
  severity: "error",
  title: "The default security group of every VPC allows no traffic, so nothing can use it by accident.",
  resourceTypes: ["aws_vpc", "aws_default_security_group"],
  check(r, graph) {
    if (r.type === "aws_vpc") {
      const managed = graph.referencing(r, "aws_default_security_group", "vpc_id");
      // A managed default group with rules leaves the VPC's default open (checkov says so of the VPC too).
      const open = managed.filter((g) => blocks(g.values.ingress).length + blocks(g.values.egress).length > 0);
      if (open.length > 0) return `the VPC's default security group (${open.map((g) => g.address).join(", ")}) has rules; remove them`;
      if (managed.length > 0) return undefined;
      return "the VPC's default security group keeps AWS's rules (all traffic between its members, all egress); manage it with an aws_default_security_group that has no rules";
    }
    const rules = [...blocks(r.values.ingress), ...blocks(r.values.egress)];
    if (rules.length === 0) return undefined;
    return `the default security group has ${rules.length} rule(s); remove them and give each workload its own security group`;
  },
};

export const NETWORK_RULES: readonly Rule[] = [subnetNoAutoPublicIp, vpcFlowLogs, defaultSecurityGroupClosed];
