import { InstanceTargetGroup, InstanceTargetGroupProps } from "../../../constructs/web/target-group";
import { only, synthConstruct } from "../../helpers";

const BASE: InstanceTargetGroupProps = { name: "test-web", vpcId: "vpc-0123456789abcdef0", port: 80 };

function targetGroup(props: Partial<InstanceTargetGroupProps> = {}): Record<string, any> {
  return only(
    synthConstruct((scope) => new InstanceTargetGroup(scope, "target-group", { ...BASE, ...props })),
    "aws_lb_target_group",
  );
}

describe("InstanceTargetGroup", () => {
  test("defaults to the course's failover health check and 300 s connection draining", () => {
    // GIVEN no health check settings WHEN synthesized
    const tg = targetGroup();
    // THEN the check is the course's exercise: /health every 5 s, 2 s timeout, 2 up / 2 down, code 200
    expect(tg.health_check).toEqual({
      enabled: true,
      protocol: "HTTP",
      port: "traffic-port",
      path: "/health",
      matcher: "200",
      interval: 5,
      timeout: 2,
      healthy_threshold: 2,
      unhealthy_threshold: 2,
    });
    expect(tg).toMatchObject({ protocol: "HTTP", port: 80, target_type: "instance", vpc_id: BASE.vpcId, deregistration_delay: "300" });
    expect(tg.stickiness).toEqual({ type: "lb_cookie", enabled: false });
  });

  test("takes a configured health check and draining time", () => {
    const tg = targetGroup({
      healthCheck: { path: "/ready", healthyThreshold: 3, unhealthyThreshold: 4, timeoutSeconds: 5, intervalSeconds: 30, matcher: "200-299" },
      deregistrationDelaySeconds: 30,
    });
    expect(tg.health_check).toMatchObject({ path: "/ready", healthy_threshold: 3, unhealthy_threshold: 4, timeout: 5, interval: 30, matcher: "200-299" });
    expect(tg.deregistration_delay).toBe("30");
  });

  test("keeps a client on one target with the load balancer's cookie when stickiness is set", () => {
    expect(targetGroup({ stickinessSeconds: 3600 }).stickiness).toEqual({ type: "lb_cookie", enabled: true, cookie_duration: 3600 });
  });

  test.each([
    [
      "the interval is below AWS's 5 s",
      { healthCheck: { intervalSeconds: 4, timeoutSeconds: 2 } },
      /healthCheck\.intervalSeconds \(4\): must be a whole number from 5 to 300/,
    ],
    [
      "the interval is above AWS's 300 s",
      { healthCheck: { intervalSeconds: 301 } },
      /healthCheck\.intervalSeconds \(301\): must be a whole number from 5 to 300/,
    ],
    ["the timeout is below AWS's 2 s", { healthCheck: { timeoutSeconds: 1 } }, /healthCheck\.timeoutSeconds \(1\): must be a whole number from 2 to 120/],
    [
      "the timeout is not less than the interval",
      { healthCheck: { timeoutSeconds: 5, intervalSeconds: 5 } },
      /healthCheck\.timeoutSeconds \(5\): must be less than healthCheck\.intervalSeconds \(5\)/,
    ],
    ["the healthy threshold is below 2", { healthCheck: { healthyThreshold: 1 } }, /healthCheck\.healthyThreshold \(1\): must be a whole number from 2 to 10/],
    [
      "the unhealthy threshold is above 10",
      { healthCheck: { unhealthyThreshold: 11 } },
      /healthCheck\.unhealthyThreshold \(11\): must be a whole number from 2 to 10/,
    ],
    ["the path does not start with /", { healthCheck: { path: "health" } }, /healthCheck\.path \("health"\): must start with "\/"/],
    ["a success code is outside 200-499", { healthCheck: { matcher: "200,503" } }, /healthCheck\.matcher \("200,503"\): must be HTTP codes from 200 to 499/],
    ["a success code range is reversed", { healthCheck: { matcher: "299-200" } }, /healthCheck\.matcher \("299-200"\)/],
    ["the draining time is above 3600 s", { deregistrationDelaySeconds: 3601 }, /deregistrationDelaySeconds \(3601\): must be a whole number from 0 to 3600/],
    ["the cookie lasts longer than 7 days", { stickinessSeconds: 604801 }, /stickinessSeconds \(604801\): must be a whole number from 1 to 604800/],
    ["the cookie lasts 0 s", { stickinessSeconds: 0 }, /stickinessSeconds \(0\)/],
  ])("fails when %s", (_case, props, message) => {
    // GIVEN a setting outside AWS's range WHEN building THEN the error names the key, value and range
    expect(() => targetGroup(props as Partial<InstanceTargetGroupProps>)).toThrow(message);
  });

  test("fails with every problem at once", () => {
    expect(() => targetGroup({ healthCheck: { intervalSeconds: 400, healthyThreshold: 0 }, deregistrationDelaySeconds: -1 })).toThrow(
      /3 problems[\s\S]*intervalSeconds \(400\)[\s\S]*healthyThreshold \(0\)[\s\S]*deregistrationDelaySeconds \(-1\)/,
    );
  });
});
