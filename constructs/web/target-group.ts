/**
 * The target group the load balancer forwards to: HTTP to the instances' workload port, with
 * the health check that decides how fast a failed web server stops getting traffic. Its
 * defaults are the course's failover exercise (2 x 5 s to mark a target unhealthy).
 */
import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { MultiAzVpc } from "../network/multi-az-vpc";
import { nameWithin } from "../../lib/aws";

/** ELB's limit on load balancer and target group names. */
export const ELB_NAME_MAX = 32;

/**
 * The target group's health check. Ranges of an Application Load Balancer target group.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export interface TargetHealthCheck {
  /** Path requested, starting with `/`. @default "/health" */
  readonly path?: string;
  /** Successes in a row before a target counts as healthy, 2-10. @default 2 - the course's failover exercise */
  readonly healthyThreshold?: number;
  /** Failures in a row before a target counts as unhealthy, 2-10. @default 2 */
  readonly unhealthyThreshold?: number;
  /** Seconds before a check fails without an answer, 2-120, less than the interval. @default 2 */
  readonly timeoutSeconds?: number;
  /** Seconds between checks, 5-300. @default 5 */
  readonly intervalSeconds?: number;
  /** Healthy HTTP codes: a code, a list (`200,302`) or a range (`200-299`). @default "200" */
  readonly matcher?: string;
}

/** The health check's defaults: `/health` every 5 s, timeout 2 s, 2 successes / 2 failures, code 200 (the course's failover exercise: 2 x 5 s to mark a target unhealthy). */
export const DEFAULT_HEALTH_CHECK: Required<TargetHealthCheck> = {
  path: "/health",
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  timeoutSeconds: 2,
  intervalSeconds: 5,
  matcher: "200",
};

/** Connection draining: the course's, and AWS's default. */
export const DEFAULT_DEREGISTRATION_DELAY_SECONDS = 300;

export interface InstanceTargetGroupProps {
  /**
   * Name of the target group and its `Name` tag; one longer than ELB's 32 characters is
   * shortened with a hash of the whole (lib/aws.ts nameWithin).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
   */
  readonly name: string;
  /** The VPC of the targets. */
  readonly vpc: MultiAzVpc;
  /** Port the instances serve HTTP on; the health check uses it too. */
  readonly port: number;
  /**
   * The health check; each setting left out takes its default.
   * @default - {@link DEFAULT_HEALTH_CHECK}: `/health` every 5 s, timeout 2 s, 2 successes / 2 failures, code 200
   */
  readonly healthCheck?: TargetHealthCheck;
  /**
   * Seconds in-flight requests may finish on a deregistering target, 0-3600 (connection draining).
   * @default - {@link DEFAULT_DEREGISTRATION_DELAY_SECONDS}: 300, the course's connection draining, and AWS's default
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Keep a client on one target for this many seconds with the load balancer's cookie (1-604800).
   * @default - no stickiness
   */
  readonly stickinessSeconds?: number;
}

export class InstanceTargetGroup extends Construct {
  readonly targetGroup: LbTargetGroup;
  readonly arn: string;
  /** The `targetgroup/<name>/<id>` part of the ARN: the CloudWatch `TargetGroup` dimension. */
  readonly arnSuffix: string;
  /**
   * Seconds from a target's registration until the load balancer counts it healthy, at the
   * longest: `healthyThreshold` successful checks, `intervalSeconds` apart (a new target starts
   * in the `initial` state and turns healthy after that many checks).
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
   */
  readonly secondsToHealthy: number;

  constructor(scope: Construct, id: string, props: InstanceTargetGroupProps) {
    super(scope, id);
    const healthCheck = { ...DEFAULT_HEALTH_CHECK, ...props.healthCheck };
    const deregistrationDelaySeconds = props.deregistrationDelaySeconds ?? DEFAULT_DEREGISTRATION_DELAY_SECONDS;
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535)
      throw new Error(`${this.node.path}: port ${props.port} is not a TCP port (1-65535)`);

    const name = nameWithin(props.name, ELB_NAME_MAX);
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name,
      vpcId: props.vpc.vpcId,
      targetType: "instance",
      protocol: "HTTP",
      port: props.port,
      deregistrationDelay: String(deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: healthCheck.path,
        matcher: healthCheck.matcher,
        interval: healthCheck.intervalSeconds,
        timeout: healthCheck.timeoutSeconds,
        healthyThreshold: healthCheck.healthyThreshold,
        unhealthyThreshold: healthCheck.unhealthyThreshold,
      },
      stickiness:
        props.stickinessSeconds === undefined
          ? { type: "lb_cookie", enabled: false }
          : { type: "lb_cookie", enabled: true, cookieDuration: props.stickinessSeconds },
      tags: { Name: props.name },
    });
    this.arn = this.targetGroup.arn;
    this.arnSuffix = this.targetGroup.arnSuffix;
    this.secondsToHealthy = healthCheck.healthyThreshold * healthCheck.intervalSeconds;
  }
}
