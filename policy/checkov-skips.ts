/**
 * The checkov checks that do not apply to a resource of the stacks, in one place: check id,
 * resource address, the stacks it applies in (all where the address exists, by default) and
 * the reason, at least MIN_REASON_LENGTH characters. `npm run scan` counts a failed check
 * that matches one as skipped, and fails on a skip that matches no failed check in any stack
 * or variant (the resource complies now, was renamed, or the id is wrong), so none goes stale.
 * The plan review lists them beside the project's own suppressions.
 *
 * Checks the project shares with checkov (policy/rules, same ids) are not skipped here: the
 * constructs' `suppress()` records those, and the scan honours them for checkov's result too.
 */
import { StackName } from "../config/schema";

export interface CheckovSkip {
  /** checkov's check id, e.g. `CKV_AWS_117`. */
  readonly check: string;
  /** `type.name` of the resource in the synthesized configuration and the plan. */
  readonly address: string;
  /** Stacks it applies in. @default - every stack holding the address */
  readonly stacks?: readonly StackName[];
  readonly reason: string;
}

const WEB_ACL = "aws_wafv2_web_acl.waf_web-acl_54BA89C4";
const PUBLISHER = "aws_lambda_function.ami-pipeline_publisher_function_597B2C0C";
/** The multiaz endpoint takeover (constructs/endpoint/endpoint-takeover.ts). */
const TAKEOVER = "aws_lambda_function.takeover_function_F3CB9F3C";

/** What every NodeFunction of the stacks skips, for the same reasons: they call AWS APIs only, a few times a day or hour. */
function functionSkips(address: string): CheckovSkip[] {
  return [
    {
      check: "CKV_AWS_115",
      address,
      reason:
        "reserved concurrency is taken from the account's unreserved pool, which must keep 100 (or all of a new account's quota of 10), so any reservation fails to apply there; the functions run a few times an hour at most (an AMI, a catch-up, a launch, a 5-minute check).",
    },
    {
      check: "CKV_AWS_117",
      address,
      reason:
        "the functions call AWS APIs only (EC2, Auto Scaling, SSM, DLM, SNS, CloudWatch) and reach nothing inside the VPC; placed in it, they would need NAT or an interface endpoint per API (about 0.01 USD an hour each per AZ) to reach the same APIs.",
    },
    {
      check: "CKV_AWS_173",
      address,
      reason:
        "their environments hold names and ids (parameters, a DLM policy, a group, its hook, an allocation, the topic), no secret; Lambda encrypts environment variables at rest with its AWS-managed key in any case.",
    },
    {
      check: "CKV_AWS_272",
      address,
      reason:
        "the code is the project's own handler, zipped at synth from the reviewed repository and uploaded by Terraform; code signing needs an AWS Signer profile and a signed object in S3, which a locally built zip is not.",
    },
  ];
}

export const CHECKOV_SKIPS: readonly CheckovSkip[] = [
  // The AMI pipeline (constructs/ami-pipeline) and every NodeFunction.
  {
    check: "CKV2_AWS_34",
    address: "aws_ssm_parameter.ami-pipeline_image-parameter_23D90D65",
    reason:
      "the parameter holds an AMI id with data type aws:ec2:image, which SSM accepts on String parameters only (not SecureString), and resolve:ssm: in the launch template needs it so; an image id is no secret.",
  },
  ...[PUBLISHER, TAKEOVER].flatMap(functionSkips),
  {
    check: "CKV2_AWS_34",
    address: "aws_ssm_parameter.takeover_failures_D8544AB3",
    reason:
      "the parameter records the instance ids whose endpoint takeover failed since the last success (the replacement bound), written and read by the takeover function only; instance ids are no secret, and a SecureString would add a KMS dependency to the failure path it guards.",
  },
  // The recovery server (constructs/recovery).
  {
    check: "CKV_AWS_135",
    address: "aws_instance.server_instance_AD56310F",
    reason:
      "every current-generation type (t3, the default, included) is EBS-optimized by default at no cost, and ebs_optimized = true is rejected at launch by the older types recovery still accepts.",
    stacks: ["recovery"],
  },
  // The public endpoints: HTTP on port 80 from anywhere is the service itself.
  {
    check: "CKV_AWS_260",
    address: "aws_vpc_security_group_ingress_rule.load-balancer_ingress-80-0-0-0-0-0_24B4725F",
    reason: "the load balancer is the public web endpoint: port 80 serves the site or, with a certificate, redirects to HTTPS; web.ingressCidrs narrows it.",
    stacks: ["web"],
  },
  {
    check: "CKV_AWS_260",
    address: "aws_vpc_security_group_ingress_rule.server_launch-template_ingress-80-0-0-0-0-0_B0A0165B",
    reason: "the single recovery server is its own public web endpoint (behind its Elastic IP, no load balancer), so nginx answers port 80 to the internet.",
    stacks: ["recovery"],
  },
  {
    check: "CKV_AWS_260",
    address: "aws_vpc_security_group_ingress_rule.launch-template_ingress-80-0-0-0-0-0_554E645B",
    reason:
      "the multiaz server is its own public web endpoint (behind the Elastic IP it takes over, no load balancer), so nginx answers port 80 to the internet.",
    stacks: ["multiaz"],
  },
  {
    check: "CKV_AWS_260",
    address: "aws_vpc_security_group_ingress_rule.servers_launch-template_ingress-80-sg_208E61B6",
    reason:
      "checkov's quirk: the rule admits port 80 only from the load balancer's security group (referenced_security_group_id), an argument checkov/terraform/checks/resource/aws/AbsSecurityGroupUnrestrictedIngress.py does not read, so it takes the rule for open to all; it passes in the plan.",
    stacks: ["web"],
  },
  // The web tier (constructs/web). Its WAF rules are written as rule_json (web-acl.ts says why).
  {
    check: "CKV_AWS_175",
    address: WEB_ACL,
    reason:
      "checkov's quirk: the web ACL's four managed rule groups are in rule_json, which checkov/terraform/checks/resource/aws/WAFHasAnyRules.py does not read (it passes in the plan, where the provider expands them).",
    stacks: ["web"],
  },
  {
    check: "CKV_AWS_192",
    address: WEB_ACL,
    reason:
      "checkov's quirk: AWSManagedRulesKnownBadInputsRuleSet (Log4j) is in the web ACL's rule_json, which checkov/terraform/checks/resource/aws/WAFACLCVE202144228.py does not read (it passes in the plan).",
    stacks: ["web"],
  },
  {
    check: "CKV2_AWS_76",
    address: "aws_lb.load-balancer_30A23327",
    reason:
      "checkov's quirk: the attached web ACL holds AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAnonymousIpList in rule_json, and checkov/terraform/checks/graph_checks/aws/ALBWebACLConfiguredWIthLog4jVulnerability.json reads rule blocks only.",
    stacks: ["web"],
  },
  {
    check: "CKV2_AWS_20",
    address: "aws_lb.load-balancer_30A23327",
    reason:
      "with no certificate configured (web.certificateArn, the default) there is no HTTPS to redirect to; the listener's CKV_AWS_2 and CKV_AWS_103 are suppressed with the same reason, and with a certificate HTTP is redirected.",
    stacks: ["web"],
  },
  {
    check: "CKV_AWS_378",
    address: "aws_lb_target_group.target-group_FD33BC74",
    reason:
      "TLS ends at the load balancer; the targets sit in private subnets and admit port 80 from the load balancer's security group only, and certificates on every instance would add renewal without protecting any hop outside the VPC.",
    stacks: ["web"],
  },
  // The access-log bucket (constructs/web/access-log-bucket.ts, web.accessLogs.createBucket).
  ...accessLogBucketSkips("aws_s3_bucket.access-logs_bucket_7E528747"),
];

/** What the load balancer's access-log bucket skips: it is a log sink that S3 lifecycle empties. */
function accessLogBucketSkips(address: string): CheckovSkip[] {
  const skip = (check: string, reason: string): CheckovSkip => ({ check, address, reason, stacks: ["web"] });
  return [
    skip(
      "CKV_AWS_145",
      "Elastic Load Balancing delivers access logs only to buckets encrypted with S3-managed keys: 'The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)' (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html); a KMS default would stop the delivery.",
    ),
    skip(
      "CKV_AWS_18",
      "the bucket holds access logs itself; logging the reads and writes of a log bucket needs a second bucket, whose own logging would need a third; the load balancer's access logs and CloudTrail's S3 data events (if the account records them) cover who used it.",
    ),
    skip(
      "CKV_AWS_21",
      "Elastic Load Balancing writes each log object once under a name of its own and never overwrites one; versioning would keep every expired or deleted log as a noncurrent version and make emptying the bucket before a destroy a version-by-version job; the lifecycle expiry is the retention.",
    ),
    skip(
      "CKV_AWS_144",
      "the logs are diagnostic records of one region's load balancer that expire after web.accessLogs.expirationDays; a replica in another region would double their storage for records that lose their use with the region they describe.",
    ),
    skip(
      "CKV2_AWS_62",
      "nothing consumes the new log objects as events: they are read when someone investigates (Athena, a download); event notifications need a queue, topic or function to send to.",
    ),
  ];
}
