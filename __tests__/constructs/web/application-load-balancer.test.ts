import { ApplicationLoadBalancer, ApplicationLoadBalancerProps, TLS_POLICY } from "../../../constructs/web/application-load-balancer";
import { InstanceTargetGroup } from "../../../constructs/web/target-group";
import { TerraformJson, deref, fullSynthConstruct, only, resources, synthConstruct, testVpc } from "../../helpers";

const REGION = "ap-northeast-2";
const CERTIFICATE = `arn:aws:acm:${REGION}:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
const BASE: Omit<ApplicationLoadBalancerProps, "targetGroup" | "vpc"> = { name: "test-web" };

/** The listeners forward to the target group's ARN. */
const FORWARD_TARGET = expect.stringMatching(/^\$\{aws_lb_target_group\.[^.]+\.arn\}$/);

/** The load balancer with its `//` metadata (suppressions), which synthConstruct strips. */
function fullSynthAlb(props: Partial<ApplicationLoadBalancerProps> = {}): TerraformJson {
  return fullSynthConstruct((scope) => {
    const vpc = testVpc(scope);
    const targetGroup = new InstanceTargetGroup(scope, "target-group", { name: "test-web", vpc, port: 80 });
    new ApplicationLoadBalancer(scope, "load-balancer", { ...BASE, vpc, targetGroup, ...props });
  });
}

function synthAlb(props: Partial<ApplicationLoadBalancerProps> = {}, targetsSecurityGroupId?: string): TerraformJson {
  return synthConstruct((scope) => {
    const vpc = testVpc(scope);
    const targetGroup = new InstanceTargetGroup(scope, "target-group", { name: "test-web", vpc, port: 80 });
    const alb = new ApplicationLoadBalancer(scope, "load-balancer", { ...BASE, vpc, targetGroup, ...props });
    if (targetsSecurityGroupId) alb.allowToTargets(targetsSecurityGroupId, 80);
  });
}

function listenersByPort(tf: TerraformJson): Record<number, Record<string, any>> {
  return Object.fromEntries(Object.values(resources(tf, "aws_lb_listener")).map((l) => [l.port, l]));
}

function ingress(tf: TerraformJson): { port: number; cidr: string; description: string }[] {
  return Object.values(resources(tf, "aws_vpc_security_group_ingress_rule")).map((r) => ({ port: r.from_port, cidr: r.cidr_ipv4, description: r.description }));
}

describe("ApplicationLoadBalancer", () => {
  describe("without a certificate (the course's setup)", () => {
    // GIVEN no certificate WHEN synthesized
    const tf = synthAlb();

    test("is an internet-facing ALB in the given subnets that drops invalid headers and resists deletion", () => {
      const lb = only(tf, "aws_lb");
      // The VPC's public subnets, one per AZ.
      expect(lb.subnets.map((id: string) => deref(tf, id).body.tags)).toEqual(
        ["a", "b", "c"].map((az) => ({ Name: `test-public-ap-northeast-2${az}`, Tier: "public" })),
      );
      expect(lb).toMatchObject({
        name: "test-web",
        load_balancer_type: "application",
        internal: false,
        drop_invalid_header_fields: true,
        enable_deletion_protection: true,
        idle_timeout: 60,
      });
      expect(lb.access_logs).toBeUndefined();
    });

    test("forwards HTTP on 80 to the target group, and listens on nothing else", () => {
      const listeners = listenersByPort(tf);
      expect(Object.keys(listeners)).toEqual(["80"]);
      expect(listeners[80]).toMatchObject({ protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: FORWARD_TARGET }] });
    });

    test("admits only port 80 from the internet, with a described rule", () => {
      expect(ingress(tf)).toEqual([{ port: 80, cidr: "0.0.0.0/0", description: "HTTP from 0.0.0.0/0" }]);
    });

    test("has no egress until targets are allowed", () => {
      expect(resources(tf, "aws_vpc_security_group_egress_rule")).toEqual({});
    });
  });

  describe("with a certificate", () => {
    // GIVEN an ACM certificate in the load balancer's region WHEN synthesized
    const tf = synthAlb({ certificateArn: CERTIFICATE });

    test("serves HTTPS on 443 with a TLS 1.2+ policy and the certificate", () => {
      expect(TLS_POLICY).toMatch(/^ELBSecurityPolicy-TLS13-1-2-/);
      expect(listenersByPort(tf)[443]).toMatchObject({
        protocol: "HTTPS",
        ssl_policy: TLS_POLICY,
        certificate_arn: CERTIFICATE,
        default_action: [{ type: "forward", target_group_arn: FORWARD_TARGET }],
      });
    });

    test("redirects HTTP permanently to HTTPS instead of forwarding it", () => {
      expect(listenersByPort(tf)[80]).toMatchObject({
        protocol: "HTTP",
        default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
      });
    });

    test("admits 443 and, for the redirect, 80", () => {
      expect(
        ingress(tf)
          .map((r) => r.port)
          .sort(),
      ).toEqual([443, 80]);
      expect(ingress(tf).find((r) => r.port === 80)?.description).toMatch(/redirected to HTTPS/);
    });
  });

  test("admits every configured CIDR on every listener port", () => {
    const tf = synthAlb({ certificateArn: CERTIFICATE, ingressCidrs: ["198.51.100.0/24", "203.0.113.0/24"] });
    expect(
      ingress(tf)
        .map((r) => `${r.port} ${r.cidr}`)
        .sort(),
    ).toEqual(["443 198.51.100.0/24", "443 203.0.113.0/24", "80 198.51.100.0/24", "80 203.0.113.0/24"]);
  });

  test("writes access logs to the configured bucket, under its name", () => {
    expect(only(synthAlb({ accessLogsBucket: "my-alb-logs" }), "aws_lb").access_logs).toEqual({ bucket: "my-alb-logs", prefix: "test-web", enabled: true });
  });

  test("while deletion protection is on, Terraform refuses to destroy or replace the load balancer at plan time", () => {
    expect(only(synthAlb(), "aws_lb").lifecycle).toEqual({ prevent_destroy: true });
  });

  test("deletion protection can be switched off with a reason, and with it Terraform's guard; the reason is the CKV_AWS_150 suppression", () => {
    const reason = "the stack is about to be destroyed";
    const lb = only(synthAlb({ deletionProtection: { value: false, reason } }), "aws_lb");
    expect(lb.enable_deletion_protection).toBe(false);
    expect(lb.lifecycle).toBeUndefined();
    expect(only(fullSynthAlb({ deletionProtection: { value: false, reason } }), "aws_lb")["//"].suppressions.CKV_AWS_150).toBe(reason);
    expect(only(fullSynthAlb(), "aws_lb")["//"].suppressions.CKV_AWS_150).toBeUndefined();
  });

  test.each([
    [
      "off without a reason",
      { value: false },
      /deletionProtection\.value \(false\): relaxes the load balancer's deletion protection from true \(CKV_AWS_150: .*\) without a reason/,
    ],
    [
      "on with a reason",
      { value: true, reason: "the stack is about to be destroyed" },
      /deletionProtection\.reason \(".*"\): gives a reason, but the load balancer's deletion protection is true, the default, which breaks no rule/,
    ],
  ])("deletion protection %s is refused", (_case, deletionProtection, message) => {
    expect(() => synthAlb({ deletionProtection })).toThrow(message);
  });

  test("allowToTargets opens egress to the targets' security group on their port only", () => {
    const egress = only(synthAlb({}, "sg-0123456789abcdef0"), "aws_vpc_security_group_egress_rule");
    expect(egress).toMatchObject({ ip_protocol: "tcp", from_port: 80, to_port: 80, referenced_security_group_id: "sg-0123456789abcdef0" });
    expect(egress.cidr_ipv4).toBeUndefined();
    expect(egress.description).toBeTruthy();
  });
});
