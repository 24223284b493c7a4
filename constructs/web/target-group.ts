/**
 * The target group the load balancer forwards to: HTTP to the instances' workload port, with
 * the health check that decides how fast a failed web server stops getting traffic. Its
 * defaults are the course's failover exercise (2 x 5 s to mark a target unhealthy).
 */
import { Construct } from "constructs";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { DEFAULT_CONFIG, HealthCheckConfig } from "../../config/schema";
import { Problems } from "../../lib/validation";

export interface InstanceTargetGroupProps {
  /** Name of the target group (at most 32 characters) and its `Name` tag. */
  readonly name: string;
  readonly vpcId: string;
  /** Port the instances serve HTTP on; the health check uses it too. */
  readonly port: number;
  /**
   * The health check (config key `healthCheck`).
   * @default DEFAULT_CONFIG.web.healthCheck - `/health` every 5 s, timeout 2 s, 2 successes / 2 failures, code 200
   * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
   */
  readonly healthCheck?: HealthCheckConfig;
  /**
   * Seconds in-flight requests may finish on a deregistering target, 0-3600 (connection draining).
   * @default 300 - the course's connection draining, and AWS's default
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

  constructor(scope: Construct, id: string, props: InstanceTargetGroupProps) {
    super(scope, id);
    const healthCheck = props.healthCheck ?? DEFAULT_CONFIG.web.healthCheck;
    const deregistrationDelaySeconds = props.deregistrationDelaySeconds ?? DEFAULT_CONFIG.web.deregistrationDelaySeconds;
    validate(props, healthCheck, deregistrationDelaySeconds);

    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: props.name,
      vpcId: props.vpcId,
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
  }
}

/**
 * Success codes of an HTTP health check: codes 200-499, as a list (`200,302`) or a range
 * (`200-299`).
 */
function matcherProblem(matcher: string): string | undefined {
  const fix = 'must be HTTP codes from 200 to 499, as a code ("200"), a list ("200,302") or a range ("200-299")';
  if (typeof matcher !== "string" || matcher === "") return fix;
  for (const part of matcher.split(",")) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) return fix;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (low < 200 || high > 499 || high < low) return fix;
  }
  return undefined;
}

function validate(props: InstanceTargetGroupProps, hc: HealthCheckConfig, deregistrationDelaySeconds: number): void {
  const p = new Problems();
  // Ranges of an Application Load Balancer target group's health check and attributes.
  // @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
  if (typeof hc.path !== "string" || !/^\/\S{0,1023}$/.test(hc.path)) {
    p.add("healthCheck.path", hc.path, 'must start with "/" (e.g. "/health"), at most 1024 characters without spaces');
  }
  const interval = p.integerInRange("healthCheck.intervalSeconds", hc.intervalSeconds, 5, 300);
  const timeout = p.integerInRange("healthCheck.timeoutSeconds", hc.timeoutSeconds, 2, 120);
  if (interval && timeout && hc.timeoutSeconds >= hc.intervalSeconds) {
    p.add(
      "healthCheck.timeoutSeconds",
      hc.timeoutSeconds,
      `must be less than healthCheck.intervalSeconds (${hc.intervalSeconds}): a check must time out before the next one starts`,
    );
  }
  p.integerInRange("healthCheck.healthyThreshold", hc.healthyThreshold, 2, 10);
  p.integerInRange("healthCheck.unhealthyThreshold", hc.unhealthyThreshold, 2, 10);
  const matcher = matcherProblem(hc.matcher);
  if (matcher) p.add("healthCheck.matcher", hc.matcher, matcher);
  p.integerInRange("deregistrationDelaySeconds", deregistrationDelaySeconds, 0, 3600);
  p.integerInRange("stickinessSeconds", props.stickinessSeconds, 1, 604800);
  p.integerInRange("port", props.port, 1, 65535);
  p.throwIfAny();
}
