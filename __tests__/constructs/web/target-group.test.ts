import { InstanceTargetGroup, InstanceTargetGroupProps } from "../../../constructs/web/target-group";
import { only, synthConstruct, testVpc } from "../../helpers";

const BASE: Omit<InstanceTargetGroupProps, "vpc"> = { name: "test-web", port: 80 };

function targetGroup(props: Partial<InstanceTargetGroupProps> = {}): Record<string, any> {
  return only(
    synthConstruct((scope) => new InstanceTargetGroup(scope, "target-group", { ...BASE, vpc: testVpc(scope), ...props })),
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
    expect(tg).toMatchObject({
      protocol: "HTTP",
      port: 80,
      target_type: "instance",
      vpc_id: expect.stringMatching(/^\$\{aws_vpc\.network_vpc_[^.]+\.id\}$/),
      deregistration_delay: "300",
    });
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

  test("a port outside TCP's is a programmer error naming the construct", () => {
    expect(() => targetGroup({ port: 0 })).toThrow(/target-group: port 0 is not a TCP port \(1-65535\)/);
  });
});
