import { TerraformJson, deref, only, resources, synthStack } from "../helpers";

function alarm(tf: TerraformJson, metricName: string): Record<string, any> {
  return Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).find((a) => a.metric_name === metricName)!;
}

describe("RecoveryStack", () => {
  test("runs one instance in the first AZ's public subnet", () => {
    // GIVEN the default configuration (AZs a, b, c) WHEN synthesized
    const { tf } = synthStack("recovery");
    const instance = only(tf, "aws_instance");
    // THEN the subnet is a reference to the public subnet of AZ a
    const subnet = deref(tf, instance.subnet_id);
    expect(subnet.type).toBe("aws_subnet");
    expect(subnet.body).toMatchObject({ availability_zone: "ap-northeast-2a", tags: { Tier: "public" } });
  });

  test("the recover alarm watches the instance and recovers it in the stack's region", () => {
    // GIVEN another region WHEN synthesized
    const { tf } = synthStack("recovery", { region: "eu-west-1", azs: ["eu-west-1a", "eu-west-1b"] });
    const recover = alarm(tf, "StatusCheckFailed_System");
    // THEN the dimension is the instance's id and the action names the region
    expect(deref(tf, recover.dimensions.InstanceId)).toMatchObject({ type: "aws_instance", attr: "id" });
    expect(recover).toMatchObject({ namespace: "AWS/EC2", statistic: "Maximum", period: 60, threshold: 0, evaluation_periods: 2 });
    expect(recover.alarm_actions[0]).toBe("arn:aws:automate:eu-west-1:ec2:recover");
  });

  test("the reboot alarm acts on the instance status check after 3 periods", () => {
    const { tf } = synthStack("recovery");
    const reboot = alarm(tf, "StatusCheckFailed_Instance");
    expect(deref(tf, reboot.dimensions.InstanceId).type).toBe("aws_instance");
    expect(reboot).toMatchObject({ evaluation_periods: 3, alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:reboot", expect.any(String)] });
  });

  test("alarm periods and evaluation periods come from the configuration", () => {
    const { tf } = synthStack("recovery", { recovery: { recoverEvaluationPeriods: 5, rebootEvaluationPeriods: 6, alarmPeriodSeconds: 120 } });
    expect(alarm(tf, "StatusCheckFailed_System")).toMatchObject({ evaluation_periods: 5, period: 120 });
    expect(alarm(tf, "StatusCheckFailed_Instance")).toMatchObject({ evaluation_periods: 6, period: 120 });
  });

  test("ARNs use the partition of a GovCloud region", () => {
    const { tf } = synthStack("recovery", { region: "us-gov-west-1", azs: ["us-gov-west-1a", "us-gov-west-1b"] });
    expect(alarm(tf, "StatusCheckFailed_System").alarm_actions[0]).toBe("arn:aws-us-gov:automate:us-gov-west-1:ec2:recover");
  });

  test("the Elastic IP is associated with the instance and the A record points at it", () => {
    const { tf } = synthStack("recovery");
    const instanceId = Object.keys(resources(tf, "aws_instance"))[0];
    const association = only(tf, "aws_eip_association");
    expect(association.instance_id).toBe(`\${aws_instance.${instanceId}.id}`);
    const eip = deref(tf, association.allocation_id);
    const record = only(tf, "aws_route53_record");
    expect(record).toMatchObject({ name: "recovery.ha.example.com", type: "A", ttl: 60, records: [`\${aws_eip.${eip.name}.public_ip}`] });
    expect(deref(tf, record.zone_id).type).toBe("aws_route53_zone");
  });

  test("the record goes into an existing zone given by id, with the configured name and TTL", () => {
    const { tf } = synthStack("recovery", {
      dns: { zoneName: "example.org", zoneId: "Z0123456789ABCDEFGHIJ", ttlSeconds: 300 },
      recovery: { recordName: "db.example.org" },
    });
    expect(resources(tf, "aws_route53_zone")).toEqual({});
    expect(only(tf, "aws_route53_record")).toMatchObject({ zone_id: "Z0123456789ABCDEFGHIJ", name: "db.example.org", ttl: 300 });
  });

  test("alarm changes and recovery events reach one topic with the configured subscriptions", () => {
    const { tf } = synthStack("recovery", { notifications: { emails: ["ops@example.com"] } });
    const topicArn = `\${aws_sns_topic.${Object.keys(resources(tf, "aws_sns_topic"))[0]}.arn}`;
    for (const metric of ["StatusCheckFailed_System", "StatusCheckFailed_Instance"]) {
      expect(alarm(tf, metric).alarm_actions[1]).toBe(topicArn);
      expect(alarm(tf, metric).ok_actions).toEqual([topicArn]);
    }
    expect(only(tf, "aws_cloudwatch_event_target").arn).toBe(topicArn);
    expect(JSON.parse(only(tf, "aws_cloudwatch_event_rule").event_pattern).source).toEqual(["aws.health"]);
    expect(only(tf, "aws_sns_topic_subscription")).toMatchObject({ protocol: "email", endpoint: "ops@example.com", topic_arn: topicArn });
  });

  test("the instance is hardened: IMDSv2 with hop limit 1, encrypted root, SSM profile, detailed monitoring, no SSH", () => {
    const { tf } = synthStack("recovery");
    const template = only(tf, "aws_launch_template");
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(template.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_size: 16 });
    expect(deref(tf, template.iam_instance_profile.arn).type).toBe("aws_iam_instance_profile");
    expect(only(tf, "aws_instance").monitoring).toBe(true);
    expect(only(tf, "aws_instance").metadata_options).toMatchObject({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
    const ingress = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule")).filter(
      (r) => r.security_group_id === only(tf, "aws_instance").vpc_security_group_ids[0],
    );
    expect(ingress.map((r) => r.from_port)).toEqual([80]);
  });

  test("SSH is admitted from the configured CIDR only", () => {
    const { tf } = synthStack("recovery", { recovery: { sshCidr: "198.51.100.0/24" } });
    const ssh = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.from_port === 22);
    expect(ssh).toEqual([expect.objectContaining({ cidr_ipv4: "198.51.100.0/24", to_port: 22 })]);
  });

  test("the workload answers by IP with one app and by the record's name with the other", () => {
    const { tf } = synthStack("recovery");
    const userData = Buffer.from(only(tf, "aws_launch_template").user_data, "base64").toString("utf8");
    expect(userData).toContain("server_name recovery.ha.example.com;");
    expect(userData).toContain("listen 80 default_server;");
  });

  test("a health watchdog restarts hung apps and then reboots the server in place", () => {
    const { tf } = synthStack("recovery");
    const userData = Buffer.from(only(tf, "aws_launch_template").user_data, "base64").toString("utf8");
    expect(userData).toContain('- path: "/etc/systemd/system/health-watchdog.service"');
    expect(userData).toMatch(/WATCHDOG_URL=http:\/\/127\.0\.0\.1:80\/health .*WATCHDOG_ESCALATION=reboot/);
    expect(userData).toMatch(/systemctl enable --now .* health-watchdog\.service/);
  });

  test("outputs the instance id, the Elastic IP, the DNS name and the topic ARN", () => {
    const { tf } = synthStack("recovery");
    const outputs = tf.output!;
    expect(deref(tf, outputs.instance_id.value as string).type).toBe("aws_instance");
    expect(deref(tf, outputs.public_ip.value as string)).toMatchObject({ type: "aws_eip", attr: "public_ip" });
    // The server's Elastic IP, not one of the NAT gateways'.
    expect(outputs.public_ip.value).toBe(`\${aws_eip.${deref(tf, only(tf, "aws_eip_association").allocation_id).name}.public_ip}`);
    expect(outputs.dns_name.value).toBe("recovery.ha.example.com");
    expect(deref(tf, outputs.topic_arn.value as string)).toMatchObject({ type: "aws_sns_topic", attr: "arn" });
  });

  test("matches the snapshot", () => {
    const { json } = synthStack("recovery");
    expect(json).toMatchSnapshot();
  });

  test("fails when the instance type cannot be recovered", () => {
    expect(() => synthStack("recovery", { recovery: { instanceType: "m5d.large" } })).toThrow(
      /recovery\.instanceType \("m5d\.large"\): m5d\.large has instance store volumes/,
    );
  });

  test("fails when both alarms use the same number of evaluation periods", () => {
    expect(() => synthStack("recovery", { recovery: { recoverEvaluationPeriods: 3 } })).toThrow(
      /recovery\.recoverEvaluationPeriods \(3\): must differ from recovery\.rebootEvaluationPeriods \(3\)/,
    );
  });

  test("fails when the alarm period is not one CloudWatch accepts for status checks", () => {
    expect(() => synthStack("recovery", { recovery: { alarmPeriodSeconds: 30 } })).toThrow(/recovery\.alarmPeriodSeconds \(30\): must be a multiple of 60/);
  });

  test("fails when the evaluation range exceeds one day", () => {
    expect(() => synthStack("recovery", { recovery: { rebootEvaluationPeriods: 1441 } })).toThrow(/recovery\.rebootEvaluationPeriods \(1441\)/);
  });

  test("fails when evaluation periods are fewer than one", () => {
    expect(() => synthStack("recovery", { recovery: { recoverEvaluationPeriods: 0 } })).toThrow(
      /recovery\.recoverEvaluationPeriods \(0\): must be a whole number/,
    );
  });

  test("fails when the record name lies outside the zone", () => {
    expect(() => synthStack("recovery", { recovery: { recordName: "www.other.com" } })).toThrow(
      /recovery\.recordName \("www\.other\.com"\): must be a DNS label \(e\.g\. "www"\) or a name inside the zone ha\.example\.com/,
    );
  });

  test("fails when the record name is not a DNS name", () => {
    expect(() => synthStack("recovery", { recovery: { recordName: "bad_name!" } })).toThrow(/recovery\.recordName \("bad_name!"\): must be a DNS label/);
  });

  test("fails when SSH is opened to the whole internet", () => {
    expect(() => synthStack("recovery", { recovery: { sshCidr: "0.0.0.0/0" } })).toThrow(
      /recovery\.sshCidr \("0\.0\.0\.0\/0"\): SSH from the whole internet is not allowed/,
    );
  });
});
