import "cdktf/lib/testing/adapters/jest";
import { AnnotationMetadataEntryType } from "cdktf";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { DEFAULT_CONFIG } from "../../config/schema";
import { TLS_POLICY } from "../../constructs/web/application-load-balancer";
import { renderWorkload } from "../../workload";
import { TerraformJson, deref, only, policyJson, resources, synthStack } from "../helpers";
import { DEFAULT_ASSUMPTIONS, launchHookTimeoutSeconds } from "../../model/assumptions";

const AZS = DEFAULT_CONFIG.azs;
const CERTIFICATE = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

/** The subnets a list of subnet references points at. */
function subnetsOf(tf: TerraformJson, refs: string[]): Record<string, any>[] {
  return refs.map((ref) => {
    const subnet = deref(tf, ref);
    expect(subnet.type).toBe("aws_subnet");
    return subnet.body;
  });
}

function userDataOf(tf: TerraformJson): string {
  return Buffer.from(only(tf, "aws_launch_template").user_data, "base64").toString("utf8");
}

describe("WebStack", () => {
  describe("with the default configuration", () => {
    // GIVEN no overrides WHEN the web stack is synthesized
    const { json, tf } = synthStack("web");
    const group = only(tf, "aws_autoscaling_group");
    const lb = only(tf, "aws_lb");
    const targetGroup = only(tf, "aws_lb_target_group");

    test("the target group's health check and draining equal the course's values", () => {
      expect(json).toHaveResourceWithProperties(LbTargetGroup, {
        protocol: "HTTP",
        port: 80,
        deregistration_delay: "300",
        health_check: {
          path: "/health",
          healthy_threshold: 2,
          unhealthy_threshold: 2,
          timeout: 2,
          interval: 5,
          matcher: "200",
          protocol: "HTTP",
          port: "traffic-port",
          enabled: true,
        },
      });
    });

    test("the target group checks the path and port the workload answers on", () => {
      const workload = renderWorkload();
      expect(targetGroup.health_check.path).toBe(workload.healthCheckPath);
      expect(targetGroup.port).toBe(workload.listenPort);
    });

    test("the load balancer forwards HTTP to the target group, as in the course", () => {
      const listener = only(tf, "aws_lb_listener");
      expect(listener).toMatchObject({ protocol: "HTTP", port: 80 });
      expect(listener.default_action).toHaveLength(1);
      expect(listener.default_action[0].type).toBe("forward");
      expect(deref(tf, listener.default_action[0].target_group_arn).body).toBe(targetGroup);
      expect(deref(tf, listener.load_balancer_arn).body).toBe(lb);
    });

    test("the load balancer sits in the public subnet of every AZ", () => {
      const subnets = subnetsOf(tf, lb.subnets);
      expect(subnets.map((s) => s.availability_zone)).toEqual(AZS);
      for (const s of subnets) expect(s.tags.Tier).toBe("public");
    });

    test("the group spans the private subnet of every AZ, with ELB health checks and a short grace period once ready", () => {
      const subnets = subnetsOf(tf, group.vpc_zone_identifier);
      expect(subnets.map((s) => s.availability_zone)).toEqual(AZS);
      for (const s of subnets) expect(s.tags.Tier).toBe("private");
      expect(group).toMatchObject({ health_check_type: "ELB", health_check_grace_period: 30 });
      expect(group.target_group_arns).toHaveLength(1);
      expect(deref(tf, group.target_group_arns[0]).body).toBe(targetGroup);
    });

    test("the private subnets reach the internet through a NAT gateway in their own AZ", () => {
      for (const subnetRef of group.vpc_zone_identifier) {
        const association = Object.values(resources(tf, "aws_route_table_association")).find((a) => a.subnet_id === subnetRef)!;
        const route = Object.values(resources(tf, "aws_route")).find((r) => r.route_table_id === association.route_table_id)!;
        expect(route.destination_cidr_block).toBe("0.0.0.0/0");
        const nat = deref(tf, route.nat_gateway_id).body;
        expect(deref(tf, nat.subnet_id).body.availability_zone).toBe(deref(tf, subnetRef).body.availability_zone);
      }
    });

    test("static stability: min one server per AZ, max twice that", () => {
      expect(group).toMatchObject({ min_size: AZS.length, max_size: 2 * AZS.length });
    });

    test("security groups chain: internet -> load balancer -> instances, nothing else reaches the instances", () => {
      const albGroup = deref(tf, lb.security_groups[0]);
      const template = deref(tf, group.launch_template.id).body;
      const instanceGroupRef = template.vpc_security_group_ids[0];
      const ingress = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule"));
      const egress = Object.values(resources(tf, "aws_vpc_security_group_egress_rule"));
      const albRef = `\${aws_security_group.${albGroup.name}.id}`;

      // The instances admit port 80 from the load balancer's group, and from nowhere else.
      const toInstances = ingress.filter((r) => r.security_group_id === instanceGroupRef);
      expect(toInstances).toEqual([expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: albRef })]);
      expect(toInstances[0].cidr_ipv4).toBeUndefined();
      // The load balancer admits 80 from the internet and may only send to the instances' group on 80.
      expect(ingress.filter((r) => r.security_group_id === albRef)).toEqual([expect.objectContaining({ from_port: 80, cidr_ipv4: "0.0.0.0/0" })]);
      expect(egress.filter((r) => r.security_group_id === albRef)).toEqual([
        expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: instanceGroupRef }),
      ]);
      for (const r of [...ingress, ...egress]) expect(r.description).toBeTruthy();
    });

    test("the ALB drops invalid headers and has deletion protection", () => {
      expect(lb).toMatchObject({ drop_invalid_header_fields: true, enable_deletion_protection: true, internal: false });
    });

    test("the instances run the shared workload, the second app named inside the zone", () => {
      const userData = userDataOf(tf);
      expect(userData.startsWith("#cloud-config\n")).toBe(true);
      expect(userData).toContain("server_name app-b.ha.example.com;");
      expect(only(tf, "aws_launch_template").metadata_options.http_tokens).toBe("required");
    });

    test("CPU target tracking scales the group", () => {
      const policy = only(tf, "aws_autoscaling_policy");
      expect(policy).toMatchObject({ policy_type: "TargetTrackingScaling", estimated_instance_warmup: 300 });
      expect(deref(tf, policy.autoscaling_group_name).body).toBe(group);
    });

    test("the group's four events and the ALB's three alarms go to the stack's one topic", () => {
      const topicRef = `\${aws_sns_topic.${Object.keys(resources(tf, "aws_sns_topic"))[0]}.arn}`;
      const notification = only(tf, "aws_autoscaling_notification");
      expect(notification.topic_arn).toBe(topicRef);
      expect(notification.notifications).toHaveLength(4);
      const alarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm"));
      expect(alarms.map((a) => a.metric_name).sort()).toEqual(["HTTPCode_ELB_5XX_Count", "TargetResponseTime", "UnHealthyHostCount"]);
      for (const a of alarms) {
        expect(a.alarm_actions).toEqual([topicRef]);
        expect(a.ok_actions).toEqual([topicRef]);
      }
      const unhealthy = alarms.find((a) => a.metric_name === "UnHealthyHostCount")!;
      expect(unhealthy.dimensions.TargetGroup).toMatch(/^\$\{aws_lb_target_group\.[^.]+\.arn_suffix\}$/);
      expect(unhealthy.dimensions.LoadBalancer).toMatch(/^\$\{aws_lb\.[^.]+\.arn_suffix\}$/);
    });

    test("www and app-b in the zone are aliases of the load balancer", () => {
      const records = Object.values(resources(tf, "aws_route53_record"));
      expect(records.map((r) => r.name).sort()).toEqual(["app-b.ha.example.com", "www.ha.example.com"]);
      for (const r of records) {
        expect(r.type).toBe("A");
        expect(deref(tf, r.alias.name)).toMatchObject({ type: "aws_lb", attr: "dns_name" });
        expect(deref(tf, r.alias.zone_id)).toMatchObject({ type: "aws_lb", attr: "zone_id" });
      }
    });

    test("outputs the endpoint for operators under stable names", () => {
      expect(tf.output).toMatchObject({
        url: { value: "http://www.ha.example.com/" },
        endpoint_name: { value: "www.ha.example.com" },
        load_balancer_dns_name: { value: expect.stringMatching(/^\$\{aws_lb\..+\.dns_name\}$/) },
        group_name: { value: expect.stringMatching(/^\$\{aws_autoscaling_group\..+\.name\}$/) },
        target_group_arn: { value: expect.stringMatching(/^\$\{aws_lb_target_group\..+\.arn\}$/) },
        topic_arn: { value: expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/) },
      });
    });

    test("outputs the VPC's subnets in AZ order and its route tables by AZ name, for other stacks to add routes", () => {
      const out = tf.output!;
      expect(out.vpc_id.value).toMatch(/^\$\{aws_vpc\..+\.id\}$/);
      const tableOf = (subnetRef: string) => Object.values(resources(tf, "aws_route_table_association")).find((a) => a.subnet_id === subnetRef)!.route_table_id;
      for (const tier of ["public", "private"]) {
        const subnetIds = out[`${tier}_subnet_ids`].value as string[];
        expect(subnetIds.map((ref) => deref(tf, ref).body.availability_zone)).toEqual(AZS);
        const tables = out[`${tier}_route_table_ids`].value as Record<string, string>;
        expect(Object.keys(tables)).toEqual(AZS);
        AZS.forEach((az, i) => expect(tables[az]).toBe(tableOf(subnetIds[i])));
      }
      expect(out).not.toHaveProperty("isolated_route_table_ids");
      const isolated = synthStack("web", { network: { isolatedSubnets: true } }).tf.output!;
      expect(Object.keys(isolated.isolated_route_table_ids.value as object)).toEqual(AZS);
      expect(isolated.isolated_subnet_ids.value).toHaveLength(AZS.length);
    });

    test("readiness decides: a launch waits until /health answers on the instance, as long as the recovery model's cold first boot and more", () => {
      // GIVEN the model's longest cold first boot: launch, then packages installed through NAT
      const coldBoot = DEFAULT_ASSUMPTIONS.instanceLaunch.seconds.max + DEFAULT_ASSUMPTIONS.appStartFromBaseImage.seconds.max;

      // THEN the launch hook outwaits it (the 120 s grace period it replaces did not), and abandons only after that
      const [hook] = group.initial_lifecycle_hook;
      expect(hook).toMatchObject({
        lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        default_result: "ABANDON",
        heartbeat_timeout: launchHookTimeoutSeconds(),
      });
      expect(hook.heartbeat_timeout).toBeGreaterThan(coldBoot);
      expect(120).toBeLessThan(coldBoot);

      // AND the instances run the agent that completes it once the load balancer's /health answers on the instance
      const userData = Buffer.from(deref(tf, group.launch_template.id).body.user_data, "base64").toString("utf8");
      expect(userData).toContain(`--auto-scaling-group-name ${group.name} --lifecycle-hook-name ${hook.name}`);
      expect(userData).toContain("curl -sf -o /dev/null --max-time 3 http://127.0.0.1:80/health");
      expect(userData).toContain(`did not answer within ${hook.heartbeat_timeout} s`);
    });

    test("apply waits for health: creating the group returns once minSize targets are healthy, within the launch hook's timeout and the healthy threshold", () => {
      // The timeout derives from the model's boot estimate (through the hook's timeout), not a number of its own.
      expect(group.min_elb_capacity).toBe(AZS.length);
      expect(group.wait_for_capacity_timeout).toBe(`${launchHookTimeoutSeconds() + 2 * 5}s`);
      const off = only(synthStack("web", { web: { waitForHealthyTargets: false } }).tf, "aws_autoscaling_group");
      expect(off.min_elb_capacity).toBeUndefined();
      expect(off.wait_for_capacity_timeout).toBe(group.wait_for_capacity_timeout);
    });

    test("safe rollouts: a refresh replaces half the servers, pauses, and stops when the unhealthy-hosts or 5xx alarm fires; no auto rollback (resolve:ssm: images)", () => {
      const prefs = group.instance_refresh.preferences;
      expect(prefs).toMatchObject({ checkpoint_percentages: [50, 100], checkpoint_delay: "300", auto_rollback: false, min_healthy_percentage: 100 });
      const watched = prefs.alarm_specification.alarms.map((ref: string) => deref(tf, ref.replace(/\.alarm_name\}$/, ".id}")).body.metric_name);
      expect(watched.sort()).toEqual(["HTTPCode_ELB_5XX_Count", "UnHealthyHostCount"]);
      expect(deref(tf, group.launch_template.id).body.image_id).toMatch(/^resolve:ssm:/);
      expect(group.max_instance_lifetime).toBeUndefined();
      expect(only(synthStack("web", { web: { maxInstanceLifetimeSeconds: 604800 } }).tf, "aws_autoscaling_group").max_instance_lifetime).toBe(604800);
    });

    test("outputs each NAT gateway's public address by AZ, the egress addresses to allow-list", () => {
      const ips = tf.output!.nat_public_ips.value as Record<string, string>;
      expect(Object.keys(ips)).toEqual(AZS);
      for (const az of AZS) {
        const nat = deref(tf, ips[az].replace(/\.public_ip\}$/, ".id}"));
        expect(nat.type).toBe("aws_nat_gateway");
        expect(deref(tf, nat.body.subnet_id).body.availability_zone).toBe(az);
      }
    });

    test("matches the snapshot", () => {
      expect(json).toMatchSnapshot();
    });
  });

  test("zonal shift is on for the load balancer: the way out of an AZ gray failure", () => {
    const { tf } = synthStack("web");
    expect(only(tf, "aws_lb").enable_zonal_shift).toBe(true);
  });

  test("static stability: the default (one server per AZ) warns of nothing; fewer servers than AZs warn naming web.minSize", () => {
    const warnings = (overrides: Parameters<typeof synthStack>[1]) =>
      synthStack("web", overrides)
        .stack.node.findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data)));
    expect(warnings({}).filter((w) => w.startsWith("web.minSize"))).toEqual([]);
    expect(warnings({ web: { minSize: 2 } })).toContainEqual(
      expect.stringMatching(
        /^web\.minSize \(2\): not statically stable over 3 AZs: losing one AZ takes up to 1 instance\(s\) and leaves 1 for 2 remaining AZ\(s\).*at least 3/,
      ),
    );
  });

  test("with two AZs the group keeps 2 to 4 servers", () => {
    const { tf } = synthStack("web", { azs: ["ap-northeast-2a", "ap-northeast-2c"] });
    expect(only(tf, "aws_autoscaling_group")).toMatchObject({ min_size: 2, max_size: 4 });
  });

  test("with a certificate it serves HTTPS, redirects HTTP and publishes an https URL", () => {
    const { tf } = synthStack("web", { web: { certificateArn: CERTIFICATE } });
    const listeners = Object.values(resources(tf, "aws_lb_listener"));
    expect(listeners.map((l) => l.port).sort()).toEqual([443, 80]);
    expect(listeners.find((l) => l.port === 443)).toMatchObject({ protocol: "HTTPS", ssl_policy: TLS_POLICY, certificate_arn: CERTIFICATE });
    expect(listeners.find((l) => l.port === 80)!.default_action[0]).toMatchObject({
      type: "redirect",
      redirect: { protocol: "HTTPS", status_code: "HTTP_301" },
    });
    expect(tf.output!.url.value).toBe("https://www.ha.example.com/");
  });

  test("in step mode the course's +1 / -1 policies follow CPU alarms on the group", () => {
    const { tf } = synthStack("web", { web: { scaling: { mode: "step" } } });
    const groupName = `\${aws_autoscaling_group.${Object.keys(resources(tf, "aws_autoscaling_group"))[0]}.name}`;
    const cpuAlarms = Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).filter((a) => a.metric_name === "CPUUtilization");
    expect(cpuAlarms.map((a) => [a.comparison_operator, a.threshold, a.period, a.evaluation_periods])).toEqual(
      expect.arrayContaining([
        ["GreaterThanOrEqualToThreshold", 80, 300, 1],
        ["LessThanOrEqualToThreshold", 20, 300, 1],
      ]),
    );
    for (const alarm of cpuAlarms) {
      expect(alarm.dimensions).toEqual({ AutoScalingGroupName: groupName });
      const policy = deref(tf, alarm.alarm_actions[0]);
      expect(policy.type).toBe("aws_autoscaling_policy");
      expect(policy.body).toMatchObject({ policy_type: "StepScaling", autoscaling_group_name: groupName, estimated_instance_warmup: 300 });
    }
  });

  test("a second app named outside the zone is served by nginx but gets no record", () => {
    const { tf } = synthStack("web", { web: { appBServerName: "app-b.example.org" } });
    expect(userDataOf(tf)).toContain("server_name app-b.example.org;");
    expect(Object.values(resources(tf, "aws_route53_record")).map((r) => r.name)).toEqual(["www.ha.example.com"]);
  });

  test("a destroy is blocked while deletion protection is on, and the block names the key and the order", () => {
    const [blocker, ...more] = synthStack("web").stack.destroyBlockers();
    expect(more).toEqual([]);
    expect(blocker).toMatchObject({ key: "web.deletionProtection", value: true, lifted: { value: false, reason: expect.stringMatching(/destroyed/) } });
    expect(blocker.fix).toMatch(
      /set web\.deletionProtection to \{"value":false,"reason":"the web stack is about to be destroyed .*"\}, run npx cdktf deploy web \(an in-place change\), then npx cdktf destroy web$/,
    );
    // What the blocker says to set lifts it (its reason is the CKV_AWS_150 suppression: __tests__/review/relaxations.test.ts).
    const lifted = synthStack("web", { web: { deletionProtection: blocker.lifted as never } });
    expect(lifted.stack.destroyBlockers()).toEqual([]);
    expect(only(lifted.tf, "aws_lb").enable_deletion_protection).toBe(false);
    expect(synthStack("recovery").stack.destroyBlockers()).toEqual([]);
  });

  test("existing Elastic IP allocations (network.natElasticIpAllocationIds) become the NAT gateways' addresses; no Elastic IP is created", () => {
    const ids = Object.fromEntries(AZS.map((az, i) => [az, `eipalloc-0123456789abcdef${i}`]));
    const { tf } = synthStack("web", { network: { natElasticIpAllocationIds: ids } });
    expect(resources(tf, "aws_eip")).toEqual({});
    const byAz = Object.values(resources(tf, "aws_nat_gateway")).map((nat) => [deref(tf, nat.subnet_id).body.availability_zone, nat.allocation_id]);
    expect(Object.fromEntries(byAz)).toEqual(ids);
  });

  test("access logs out of the box: web.accessLogs.createBucket makes the bucket, and the load balancer writes to it once its policy exists", () => {
    const { tf } = synthStack("web", { web: { accessLogs: { createBucket: true, expirationDays: 30 } } });
    const lb = only(tf, "aws_lb");
    const [bucketId] = Object.keys(resources(tf, "aws_s3_bucket"));
    expect(lb.access_logs).toEqual({ bucket: `\${aws_s3_bucket.${bucketId}.bucket}`, prefix: "multiaz-ref-web", enabled: true });
    expect(lb.depends_on).toEqual([`aws_s3_bucket_policy.${Object.keys(resources(tf, "aws_s3_bucket_policy"))[0]}`]);
    const allow = policyJson(only(tf, "aws_s3_bucket_policy").policy).Statement.find((st: any) => st.Effect === "Allow");
    expect(allow.Resource).toBe(`\${aws_s3_bucket.${bucketId}.arn}/multiaz-ref-web/AWSLogs/*`);
    expect(only(tf, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 30 }]);
    expect(tf.output!.access_logs_bucket.value).toBe(lb.access_logs.bucket);
    // By default: no bucket, no logs, no output.
    const plain = synthStack("web").tf;
    expect(resources(plain, "aws_s3_bucket")).toEqual({});
    expect(plain.output).not.toHaveProperty("access_logs_bucket");
  });

  test("stickiness, draining, access logs and deletion protection follow the configuration", () => {
    const { tf } = synthStack("web", {
      web: {
        stickinessSeconds: 600,
        deregistrationDelaySeconds: 30,
        accessLogsBucket: "alb-logs-bucket",
        deletionProtection: { value: false, reason: "the web stack is about to be destroyed" },
      },
    });
    expect(only(tf, "aws_lb_target_group")).toMatchObject({
      deregistration_delay: "30",
      stickiness: { type: "lb_cookie", enabled: true, cookie_duration: 600 },
    });
    expect(only(tf, "aws_lb")).toMatchObject({ enable_deletion_protection: false, access_logs: { bucket: "alb-logs-bucket", enabled: true } });
  });

  test.each([
    [
      "the health check times out no sooner than the next one starts",
      { web: { healthCheck: { timeoutSeconds: 5 } } },
      /web\.healthCheck\.timeoutSeconds \(5\): must be less than web\.healthCheck\.intervalSeconds \(5\)/,
    ],
    [
      "the health check interval is outside AWS's 5-300 s",
      { web: { healthCheck: { intervalSeconds: 301 } } },
      /web\.healthCheck\.intervalSeconds \(301\): must be a whole number from 5 to 300/,
    ],
    [
      "the healthy threshold is outside AWS's 2-10",
      { web: { healthCheck: { healthyThreshold: 11 } } },
      /web\.healthCheck\.healthyThreshold \(11\): must be a whole number from 2 to 10/,
    ],
    ["the minimum size exceeds the maximum", { web: { minSize: 4, maxSize: 3 } }, /web\.minSize \(4\): must be at most maxSize \(3\)/],
    [
      "the certificate ARN is malformed",
      { web: { certificateArn: "arn:aws:acm:certificate" } },
      /web\.certificateArn \("arn:aws:acm:certificate"\): must be an ACM certificate ARN/,
    ],
    [
      "the step thresholds cross",
      { web: { scaling: { mode: "step", lowCpuPercent: 85 } } },
      /web\.scaling\.lowCpuPercent \(85\): must be less than web\.scaling\.highCpuPercent \(80\)/,
    ],
    ["an alarm threshold is negative", { web: { alarms: { elb5xxPerMinute: -1 } } }, /web\.alarms\.elb5xxPerMinute \(-1\)/],
    ["the record name leaves the zone", { web: { recordName: "www.example.org" } }, /web\.recordName \("www\.example\.org"\): must be a DNS label/],
    [
      "the second app has the endpoint's name",
      { web: { appBServerName: "www.ha.example.com" } },
      /web\.appBServerName \("www\.ha\.example\.com"\): must differ from the endpoint's name/,
    ],
    ["the instance type is malformed", { web: { instanceType: "t3micro" } }, /web\.instanceType \("t3micro"\): must be an EC2 instance type/],
  ])("fails when %s", (_case, overrides, message) => {
    expect(() => synthStack("web", overrides)).toThrow(message);
  });
});
