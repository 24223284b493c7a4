/**
 * An internet-facing Application Load Balancer in the public subnets of every AZ, forwarding
 * to one target group. With a certificate it serves HTTPS (TLS 1.2 or 1.3) and redirects
 * HTTP there; without one it forwards plain HTTP, as the course did. Its security group admits
 * the listener ports from the configured CIDRs and sends only to the targets' security group.
 */
import { Construct } from "constructs";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener, LbListenerDefaultAction } from "@cdktf/provider-aws/lib/lb-listener";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { suppress } from "../../policy/suppress";
import { Relaxation, RelaxationRule, checkRelaxation, relaxationReason } from "../../policy/relaxation";
import { Problems } from "../../lib/validation";
import { ELB_NAME_MAX, InstanceTargetGroup } from "./target-group";
import { nameWithin } from "../../lib/aws";
import { AccessLogBucket } from "./access-log-bucket";
import { MultiAzVpc } from "../network/multi-az-vpc";

/**
 * TLS 1.3 with TLS 1.2 as the floor (CKV_AWS_103, AWS-0047): the policy AWS recommends for
 * HTTPS listeners that must still serve TLS 1.2 clients. The API default would be
 * `ELBSecurityPolicy-2016-08`, which accepts TLS 1.0.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** A public web endpoint: the listeners admit every IPv4 address. */
export const DEFAULT_INGRESS_CIDRS: readonly string[] = ["0.0.0.0/0"];
/**
 * Deletion protection (CKV_AWS_150), a relaxation: on by default; off only with a reason (a
 * stack about to be destroyed), recorded as the CKV_AWS_150 suppression on the load balancer.
 */
export const DELETION_PROTECTION: RelaxationRule<boolean> = {
  ruleIds: ["CKV_AWS_150"],
  strict: true,
  what: "the load balancer's deletion protection",
  risk: "a mistaken destroy or replacement takes the endpoint and its DNS name away",
  why: "why the load balancer may be deleted (e.g. the stack is about to be destroyed)",
};
/** Deletion protection is on unless switched off with a reason. */
export const DEFAULT_DELETION_PROTECTION = DELETION_PROTECTION.strict;

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

export interface ApplicationLoadBalancerProps {
  /**
   * Name of the load balancer, prefix of its security group's; one longer than ELB's 32
   * characters is shortened with a hash of the whole (lib/aws.ts nameWithin).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html
   */
  readonly name: string;
  /** The VPC; the load balancer sits in its public subnets, one per AZ. */
  readonly vpc: MultiAzVpc;
  /** The target group the listeners forward to. */
  readonly targetGroup: InstanceTargetGroup;
  /**
   * IPv4 CIDRs admitted to the listeners.
   * @default - {@link DEFAULT_INGRESS_CIDRS}: `0.0.0.0/0`, a public web endpoint
   */
  readonly ingressCidrs?: readonly string[];
  /**
   * ACM certificate ARN, in the stack's region. With it: HTTPS on 443 and
   * HTTP redirected there (CKV_AWS_2, CKV2_AWS_20).
   * @default - HTTP only, forwarded to the targets
   */
  readonly certificateArn?: string;
  /**
   * Refuse deletion through the API until switched off (CKV_AWS_150). While on, Terraform refuses too (`prevent_destroy`), so a destroy or a
   * replacement stops at plan time instead of failing at the load balancer after deleting
   * what depends on it. To destroy: switch it off, apply, then destroy. Off only with a
   * reason ({@link DELETION_PROTECTION}), recorded as the CKV_AWS_150 suppression.
   * @default - { value: true }: on
   */
  readonly deletionProtection?: Relaxation<boolean>;
  /**
   * S3 bucket for access logs (CKV_AWS_91), written under the prefix `name`: the name of an
   * existing bucket, whose policy must let Elastic Load Balancing deliver logs, or creating
   * the load balancer fails; or an {@link AccessLogBucket} of the stack, made with that policy
   * (the load balancer then waits for it).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
   * @default - no access logs
   */
  readonly accessLogsBucket?: string | AccessLogBucket;
}

export class ApplicationLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly dnsName: string;
  /** Hosted zone of the load balancer's DNS name, for alias records. */
  readonly zoneId: string;
  /** The `app/<name>/<id>` part of the ARN: the CloudWatch `LoadBalancer` dimension. */
  readonly arnSuffix: string;
  /** Whether the load balancer serves HTTPS (a certificate was given). */
  readonly https: boolean;
  /** Name of the bucket its access logs go to; absent without access logs. */
  readonly accessLogsBucket?: string;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    const ingressCidrs = props.ingressCidrs ?? DEFAULT_INGRESS_CIDRS;
    this.https = props.certificateArn !== undefined;
    const p = new Problems();
    checkRelaxation(p, "deletionProtection", DELETION_PROTECTION, props.deletionProtection);
    p.throwIfAnyAt(this);
    const deletionProtection = props.deletionProtection?.value ?? DEFAULT_DELETION_PROTECTION;
    const logs = props.accessLogsBucket;
    this.accessLogsBucket = typeof logs === "string" ? logs : logs?.bucketName;

    this.securityGroup = new SecurityGroup(this, "security-group", {
      name: `${props.name}-alb`,
      description: `Load balancer of ${props.name}`,
      vpcId: props.vpc.vpcId,
      tags: { Name: `${props.name}-alb` },
    });
    const ports = this.https ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
    for (const port of ports) {
      for (const cidr of ingressCidrs) {
        // CKV_AWS_23: every rule says why it exists.
        new VpcSecurityGroupIngressRule(this, `ingress-${port}-${cidr.replace(/[./]/g, "-")}`, {
          securityGroupId: this.securityGroup.id,
          description: port === HTTPS_PORT ? `HTTPS from ${cidr}` : this.https ? `HTTP from ${cidr}, redirected to HTTPS` : `HTTP from ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
    }

    this.loadBalancer = new Lb(this, "load-balancer", {
      name: nameWithin(props.name, ELB_NAME_MAX),
      loadBalancerType: "application",
      internal: false,
      subnets: props.vpc.publicSubnetIds,
      securityGroups: [this.securityGroup.id],
      // CKV_AWS_131: requests with malformed headers never reach the targets (request smuggling).
      dropInvalidHeaderFields: true,
      // An operator (or zonal autoshift) can move traffic away from an impaired AZ: the AZ gray
      // failure's remedy. No cost. https://docs.aws.amazon.com/elasticloadbalancing/latest/application/zonal-shift.html
      enableZonalShift: true,
      // Shorter than nginx's 65 s keep-alive (workload/nginx-config.ts): the load balancer closes
      // idle connections first and never reuses one nginx is closing (a 502).
      idleTimeout: 60,
      enableDeletionProtection: deletionProtection,
      lifecycle: deletionProtection ? { preventDestroy: true } : undefined,
      accessLogs: logs ? { bucket: typeof logs === "string" ? logs : logs.bucketName, prefix: props.name, enabled: true } : undefined,
      // AWS checks that it may write to the bucket when logging is enabled.
      dependsOn: logs instanceof AccessLogBucket ? [logs.policy] : undefined,
      tags: { Name: props.name },
    });
    const unprotected = relaxationReason(DELETION_PROTECTION, props.deletionProtection);
    if (unprotected !== undefined) for (const ruleId of DELETION_PROTECTION.ruleIds) suppress(this.loadBalancer, ruleId, unprotected);
    if (!logs) {
      suppress(
        this.loadBalancer,
        "CKV_AWS_91",
        "no access logs are configured: web.accessLogs.createBucket makes a bucket for them (its S3 storage is paid for), web.accessLogsBucket names an existing one; set either to turn the logs on",
      );
    }
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;
    this.arnSuffix = this.loadBalancer.arnSuffix;

    const forward: LbListenerDefaultAction = { type: "forward", targetGroupArn: props.targetGroup.arn };
    const http = new LbListener(this, "http", {
      loadBalancerArn: this.loadBalancer.arn,
      protocol: "HTTP",
      port: HTTP_PORT,
      defaultAction: [this.https ? { type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } } : forward],
    });
    if (!this.https) {
      const reason =
        "no certificate is configured (web.certificateArn), so the load balancer serves the course's plain HTTP; set one to serve HTTPS and redirect HTTP";
      suppress(http, "CKV_AWS_2", reason);
      suppress(http, "CKV_AWS_103", reason);
    }
    if (this.https) {
      new LbListener(this, "https", {
        loadBalancerArn: this.loadBalancer.arn,
        protocol: "HTTPS",
        port: HTTPS_PORT,
        certificateArn: props.certificateArn,
        sslPolicy: TLS_POLICY,
        defaultAction: [forward],
      });
    }
  }

  /**
   * Lets the load balancer reach targets in `securityGroupId` on `port` (traffic and health
   * checks): its only egress.
   */
  allowToTargets(securityGroupId: string, port: number): VpcSecurityGroupEgressRule {
    return new VpcSecurityGroupEgressRule(this, `egress-${port}-targets`, {
      securityGroupId: this.securityGroup.id,
      description: `HTTP and health checks to the targets on ${port}`,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: securityGroupId,
    });
  }
}
