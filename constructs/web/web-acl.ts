/**
 * The load balancer's AWS WAF web ACL (checkov CKV2_AWS_28): AWS's managed rule groups for
 * the common web exploits (OWASP-style, `AWSManagedRulesCommonRuleSet`), known bad inputs
 * (Log4j among them, CKV_AWS_192), Amazon's IP reputation list and anonymising networks
 * (Tor, anonymous proxies; CKV2_AWS_76), each blocking what it
 * matches; everything else is allowed. Requests it blocks are logged to a CloudWatch log
 * group (`aws-waf-logs-` is the prefix WAF requires; CKV2_AWS_31), encrypted with the stack's
 * key when it has one, kept `logRetentionDays`.
 *
 * Cost (AWS WAF pricing, 2026): 5 USD a month for the web ACL, 1 USD a month per rule (four
 * here), 0.60 USD per million requests; the managed groups used here carry no subscription
 * fee. Going without it is a relaxation ({@link WAF}, `web.waf.enabled`): only with a reason,
 * which {@link protectWithWaf} records as the CKV2_AWS_28 suppression on the load balancer.
 */
import { Construct } from "constructs";
import { ApplicationLoadBalancer } from "./application-load-balancer";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { StackKey } from "../encryption/stack-key";
import { LOG_GROUP_KEY_RULE } from "../../policy/rules/encryption";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/log-retention";
import { Relaxation, RelaxationRule, checkedRelaxationReason } from "../../policy/relaxation";
import { suppress } from "../../policy/suppress";

/** AWS WAF on the load balancer (CKV2_AWS_28), a relaxation: on by default, off only with a reason. */
export const WAF: RelaxationRule<boolean> = {
  ruleIds: ["CKV2_AWS_28"],
  strict: true,
  what: "AWS WAF on the load balancer",
  risk: "bad inputs, known exploits and requests from anonymising networks then reach the servers unfiltered",
  why: "why the load balancer does without it",
};

/** AWS's managed rule groups the web ACL applies, in order of evaluation. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  // Tor exits and anonymising proxies; its HostingProviderIPList rule also blocks clients behind
  // cloud-hosted VPNs. checkov CKV2_AWS_76 asks for it beside the known bad inputs.
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesCommonRuleSet",
] as const;

export interface WebAclProps {
  /** Name of the web ACL, its metrics and log group. */
  readonly name: string;
  /** The load balancer it protects. */
  readonly loadBalancer: ApplicationLoadBalancer;
  /** Days the WAF logs are kept. @default - {@link DEFAULT_LOG_RETENTION_DAYS}: a year */
  readonly logRetentionDays?: number;
}

export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    this.webAcl = new Wafv2WebAcl(this, "web-acl", {
      name: props.name,
      description: `Managed protections of the load balancer of ${props.name}`,
      scope: "REGIONAL",
      defaultAction: { allow: {} },
      visibilityConfig: visibility(props.name),
      // The rules as the WAF API's JSON (the provider's rule_json): the provider types a rule's
      // `statement` loosely (it nests too deep), and cdktf's HCL output writes a loose value
      // as an attribute where Terraform wants blocks, so `cdktf synth --hcl` would not validate.
      ruleJson: JSON.stringify(
        MANAGED_RULE_GROUPS.map((group, priority) => ({
          Name: group,
          Priority: priority,
          // "None": the group's own actions (block) apply.
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: group } },
          VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: `${props.name}-${group}`, SampledRequestsEnabled: true },
        })),
      ),
    });
    new Wafv2WebAclAssociation(this, "association", { resourceArn: props.loadBalancer.loadBalancer.arn, webAclArn: this.webAcl.arn });

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `aws-waf-logs-${props.name}`,
      retentionInDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    });
    const keyArn = StackKey.encrypt(this.logGroup, LOG_GROUP_KEY_RULE);
    if (keyArn) this.logGroup.kmsKeyId = keyArn;
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroup.arn],
      // Blocked requests only: allowed ones are in the load balancer's access logs.
      loggingFilter: {
        defaultBehavior: "DROP",
        filter: [{ behavior: "KEEP", requirement: "MEETS_ANY", condition: [{ actionCondition: { action: "BLOCK" } }] }],
      },
    });
  }
}

/**
 * The load balancer's web ACL as `waf` says: a {@link WebAcl} (`{ value: true }`, the default),
 * or none, with the reason recorded as the load balancer's CKV2_AWS_28 suppression.
 */
export function protectWithWaf(scope: Construct, id: string, props: WebAclProps & { readonly waf?: Relaxation<boolean> }): WebAcl | undefined {
  const reason = checkedRelaxationReason(scope, "waf", WAF, props.waf);
  if (reason === undefined) return new WebAcl(scope, id, props);
  for (const ruleId of WAF.ruleIds) suppress(props.loadBalancer.loadBalancer, ruleId, reason);
  return undefined;
}
