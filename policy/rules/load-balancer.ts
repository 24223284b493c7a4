/** Rules for Application Load Balancers and their listeners. */
import { ResourceNode, blocks } from "../../lib/resource-graph";
import { Rule, flag, unknownUntilApply, unresolved } from "../rule";

/** `aws_lb` defaults to an application load balancer; `aws_alb` is the old name. */
const LB_TYPES = ["aws_lb", "aws_alb"];
const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"];

const isApplication = (r: ResourceNode) => (r.values.load_balancer_type ?? "application") === "application";

export const dropInvalidHeaders: Rule = {
  id: "CKV_AWS_131",
  trivy: ["AWS-0052"],
  severity: "error",
  title: "Application load balancers drop HTTP headers that are not valid (request smuggling).",
  resourceTypes: LB_TYPES,
  check(r) {
    if (!isApplication(r) || flag(r.values.drop_invalid_header_fields) === true) return undefined;
    if (unresolved(r.values.drop_invalid_header_fields)) return unknownUntilApply("drop_invalid_header_fields");
    return "drop_invalid_header_fields is not true; set it so malformed headers never reach the targets";
  },
};

export const accessLogs: Rule = {
  id: "CKV_AWS_91",
  severity: "warning",
  title: "Load balancers write access logs.",
  resourceTypes: LB_TYPES,
  check(r) {
    if (blocks(r.values.access_logs).some((l) => flag(l.enabled) === true)) return undefined;
    return "no access logs; set web.accessLogs.createBucket, or web.accessLogsBucket to a bucket that admits ELB log delivery";
  },
};

export const deletionProtection: Rule = {
  id: "CKV_AWS_150",
  severity: "warning",
  title: "Load balancers are protected from deletion.",
  resourceTypes: LB_TYPES,
  check(r) {
    if (flag(r.values.enable_deletion_protection) === true) return undefined;
    if (unresolved(r.values.enable_deletion_protection)) return unknownUntilApply("enable_deletion_protection");
    return "enable_deletion_protection is not true; a mistaken destroy takes the endpoint (and its DNS name) away";
  },
};

export const wafProtected: Rule = {
  id: "CKV2_AWS_28",
  severity: "warning",
  title: "Internet-facing application load balancers are protected by an AWS WAF web ACL.",
  resourceTypes: LB_TYPES,
  check(r, graph) {
    if (!isApplication(r) || flag(r.values.internal) === true) return undefined;
    if (graph.referencing(r, "aws_wafv2_web_acl_association", "resource_arn").length > 0) return undefined;
    if (graph.referencing(r, "aws_wafregional_web_acl_association", "resource_arn").length > 0) return undefined;
    return "no AWS WAF web ACL is associated; associate one (WebAcl, web.waf.enabled)";
  },
};

/** Whether a listener's default action redirects to HTTPS. */
const redirectsToHttps = (r: ResourceNode) =>
  blocks(r.values.default_action).some((a) => a.type === "redirect" && blocks(a.redirect).some((d) => String(d.protocol).toUpperCase() === "HTTPS"));

/** A listener's protocol as a load balancer reports it. */
const protocolOf = (r: ResourceNode) => String(r.values.protocol ?? "HTTP").toUpperCase();

export const httpsOnly: Rule = {
  id: "CKV_AWS_2",
  trivy: ["AWS-0054"],
  severity: "warning",
  title: "Listeners serve HTTPS, or plain HTTP only to redirect to HTTPS.",
  resourceTypes: LISTENER_TYPES,
  check(r) {
    if (protocolOf(r) !== "HTTP") return undefined;
    return redirectsToHttps(r) ? undefined : "serves plain HTTP; set web.certificateArn to serve HTTPS and redirect HTTP to it";
  },
};

/** ELB security policies that refuse TLS 1.0 and 1.1. */
const TLS12_POLICY = /TLS13|TLS-1-2|FS-1-2/;

export const modernTls: Rule = {
  id: "CKV_AWS_103",
  trivy: ["AWS-0047"],
  severity: "error",
  title: "Listeners accept TLS 1.2 or later only: HTTPS and TLS with a TLS 1.2+ policy, plain HTTP only to redirect to HTTPS.",
  resourceTypes: LISTENER_TYPES,
  check(r) {
    const protocol = protocolOf(r);
    if (["TCP", "UDP", "TCP_UDP", "GENEVE"].includes(protocol)) return undefined;
    // As checkov reads it (graph_checks/aws/AppLoadBalancerTLS12.json): a plain HTTP listener
    // that serves content accepts no TLS at all, so none of 1.2 or later.
    if (protocol === "HTTP")
      return redirectsToHttps(r) ? undefined : "serves plain HTTP, without TLS; set web.certificateArn to serve HTTPS and redirect HTTP to it";
    const policy = r.values.ssl_policy;
    if (unresolved(policy)) return unknownUntilApply("ssl_policy");
    if (typeof policy === "string" && TLS12_POLICY.test(policy)) return undefined;
    return `ssl_policy ${JSON.stringify(policy ?? "unset (ELBSecurityPolicy-2016-08, TLS 1.0)")} admits TLS below 1.2; use ELBSecurityPolicy-TLS13-1-2-2021-06`;
  },
};

export const LOAD_BALANCER_RULES: readonly Rule[] = [dropInvalidHeaders, accessLogs, deletionProtection, wafProtected, httpsOnly, modernTls];
