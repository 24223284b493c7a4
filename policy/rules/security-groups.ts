/**
 * Rules for security group rules, in all three ways Terraform writes them: inline blocks of
 * `aws_security_group`, `aws_security_group_rule`, and the per-rule
 * `aws_vpc_security_group_ingress_rule` / `_egress_rule` resources the project uses.
 */
import { ResourceNode, blocks, num } from "../../lib/resource-graph";
import { Rule } from "../rule";

const RULE_TYPES = ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule"];

/** One ingress permission, whichever resource declared it. */
interface Ingress {
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
}

function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function ingressOf(r: ResourceNode): Ingress[] {
  const one = (b: Readonly<Record<string, unknown>>, protocol: unknown, cidrs: string[]): Ingress => ({
    protocol: String(protocol ?? "").toLowerCase(),
    fromPort: num(b.from_port),
    toPort: num(b.to_port),
    cidrs,
  });
  switch (r.type) {
    case "aws_security_group":
      return blocks(r.values.ingress).map((b) => one(b, b.protocol, [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)]));
    case "aws_security_group_rule":
      return r.values.type === "ingress" ? [one(r.values, r.values.protocol, [...strings(r.values.cidr_blocks), ...strings(r.values.ipv6_cidr_blocks)])] : [];
    case "aws_vpc_security_group_ingress_rule":
      return [one(r.values, r.values.ip_protocol, [...strings(r.values.cidr_ipv4), ...strings(r.values.cidr_ipv6)])];
    default:
      return [];
  }
}

const ANYWHERE = new Set(["0.0.0.0/0", "::/0"]);
const isAllProtocols = (i: Ingress) => i.protocol === "-1" || i.protocol === "all";

/**
 * A rule against ingress from anywhere to one port. A permission for all protocols admits
 * the port too, so it is a finding here as well as {@link noOpenIngressAllPorts}'s (as in
 * checkov's AbsSecurityGroupUnrestrictedIngress.py, and as AWS applies it).
 */
function noOpenIngressTo(id: string, port: number, service: string): Rule {
  return {
    id,
    trivy: ["AWS-0107"],
    severity: "error",
    title: `No security group admits ${service} (port ${port}) from the whole internet.`,
    resourceTypes: RULE_TYPES,
    check(r) {
      const open = ingressOf(r).some(
        (i) => i.cidrs.some((c) => ANYWHERE.has(c)) && (isAllProtocols(i) || ((i.fromPort ?? 0) <= port && port <= (i.toPort ?? 65535))),
      );
      return open ? `admits ${service} (port ${port}) from anywhere; restrict the source to an administration network, or use SSM Session Manager` : undefined;
    },
  };
}

export const noOpenIngressSsh = noOpenIngressTo("CKV_AWS_24", 22, "SSH");
export const noOpenIngressRdp = noOpenIngressTo("CKV_AWS_25", 3389, "RDP");

export const noOpenIngressAllPorts: Rule = {
  id: "CKV_AWS_277",
  trivy: ["AWS-0107"],
  severity: "error",
  title: "No security group admits every port and protocol from the whole internet.",
  resourceTypes: RULE_TYPES,
  check(r) {
    const open = ingressOf(r).some((i) => i.cidrs.some((c) => ANYWHERE.has(c)) && (isAllProtocols(i) || ((i.fromPort ?? 0) <= 0 && (i.toPort ?? 0) >= 65535)));
    return open ? "admits all traffic from anywhere; admit only the ports the service listens on" : undefined;
  },
};

/** AWS's placeholder when no description is given. */
const DEFAULT_DESCRIPTION = "Managed by Terraform";

export const securityGroupDescriptions: Rule = {
  id: "CKV_AWS_23",
  trivy: ["AWS-0099", "AWS-0124"],
  severity: "warning",
  title: "Every security group and every rule says what it is for.",
  resourceTypes: ["aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"],
  check(r) {
    const missing = (d: unknown) => typeof d !== "string" || d.trim() === "" || d === DEFAULT_DESCRIPTION;
    if (r.type === "aws_security_group") {
      const undescribed = [...blocks(r.values.ingress), ...blocks(r.values.egress)].filter((b) => missing(b.description)).length;
      if (missing(r.values.description)) return "the security group has no description; say which instances it belongs to";
      return undescribed > 0 ? `${undescribed} inline rule(s) without a description; say what each admits and why` : undefined;
    }
    return missing(r.values.description) ? "the rule has no description; say what it admits and why" : undefined;
  },
};

export const SECURITY_GROUP_RULES: readonly Rule[] = [noOpenIngressSsh, noOpenIngressRdp, noOpenIngressAllPorts, securityGroupDescriptions];
