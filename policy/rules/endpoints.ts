/** Rules for the public endpoint: Elastic IPs and the DNS records that name them. */
import { literal } from "../../lib/resource-graph";
import { Rule } from "../rule";

export const elasticIpAttached: Rule = {
  id: "CKV2_AWS_19",
  severity: "warning",
  title: "Every Elastic IP is attached (to an instance, an interface or a NAT gateway), so none is paid for idle.",
  resourceTypes: ["aws_eip"],
  check(r, graph) {
    if (literal(r.values.instance) || literal(r.values.network_interface)) return undefined;
    if ((r.references.instance ?? []).length > 0 || (r.references.network_interface ?? []).length > 0) return undefined;
    const users = [...graph.referencing(r, "aws_eip_association", "allocation_id"), ...graph.referencing(r, "aws_nat_gateway", "allocation_id")];
    if (users.length > 0) return undefined;
    return "nothing in the configuration attaches this Elastic IP; attach it with instance or aws_eip_association, or suppress with what attaches it at run time";
  },
};

export const aRecordTarget: Rule = {
  id: "CKV2_AWS_23",
  severity: "warning",
  title: "Route 53 A records point at a resource of the stack (an alias, or the address of an Elastic IP), never at a copied address.",
  resourceTypes: ["aws_route53_record"],
  check(r) {
    if (r.values.type !== "A") return undefined;
    if (r.values.alias !== undefined && r.values.alias !== null && !(Array.isArray(r.values.alias) && r.values.alias.length === 0)) return undefined;
    if ((r.references.records ?? []).length > 0) return undefined;
    return "the A record lists fixed addresses no resource of the stack owns; they go stale when the target changes. Point it at an Elastic IP's public_ip or alias it to the load balancer";
  },
};

export const ENDPOINT_RULES: readonly Rule[] = [elasticIpAttached, aRecordTarget];
