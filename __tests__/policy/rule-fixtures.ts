/**
 * Each rule's compliant and non-compliant configuration (cdk-nag style), as `cdk.tf.json`
 * fragments, the form the constructs synthesize: read by the rules' own tests and by the
 * agreement test with checkov (__tests__/scan).
 */
import { Rule } from "../../policy";
import { accessLogs, deletionProtection, dropInvalidHeaders, httpsOnly, modernTls, wafProtected } from "../../policy/rules/load-balancer";
import { fileSystemKey, logGroupKey, topicKey } from "../../policy/rules/encryption";
import { aRecordTarget, elasticIpAttached } from "../../policy/rules/endpoints";
import { alarmActions, logRetention, logRetentionYear } from "../../policy/rules/monitoring";
import { defaultSecurityGroupClosed, subnetNoAutoPublicIp, vpcFlowLogs } from "../../policy/rules/network";
import { ebsEncrypted, imdsV2Required, metadataHopLimit, noPublicIp, noSecretsInUserData } from "../../policy/rules/compute";
import { elbHealthCheck, launchTemplate } from "../../policy/rules/auto-scaling";
import { noOpenIngressAllPorts, noOpenIngressRdp, noOpenIngressSsh, securityGroupDescriptions } from "../../policy/rules/security-groups";

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

export interface Case {
  readonly rule: Rule;
  readonly compliant: Resources;
  readonly nonCompliant: Resources;
  /** The finding's message, on the resource at `address`. */
  readonly message: RegExp;
  readonly address: string;
  /** Further resources the same fault is reported on. @default - none */
  readonly alsoOn?: readonly string[];
}

const hardenedTemplate = {
  metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 },
  block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_size: 16 } }],
  user_data: '${base64encode("#cloud-config\\npackages: [nginx]\\n")}',
};
const vpc = { aws_vpc: { main: { cidr_block: "10.0.0.0/16" } } };
const lb = { internal: false, drop_invalid_header_fields: true, enable_deletion_protection: true, access_logs: { bucket: "logs", enabled: true } };
const openSsh = {
  security_group_id: "${aws_security_group.web.id}",
  ip_protocol: "tcp",
  from_port: 22,
  to_port: 22,
  cidr_ipv4: "0.0.0.0/0",
  description: "admin",
};

export const CASES: readonly Case[] = [
  {
    rule: imdsV2Required,
    compliant: {
      aws_launch_template: { lt: hardenedTemplate },
      aws_instance: { server: { launch_template: { id: "${aws_launch_template.lt.id}" }, metadata_options: hardenedTemplate.metadata_options } },
    },
    nonCompliant: { aws_launch_template: { lt: { ...hardenedTemplate, metadata_options: { http_tokens: "optional", http_put_response_hop_limit: 1 } } } },
    message: /IMDSv1 stays available .*"optional"/,
    address: "aws_launch_template.lt",
  },
  {
    rule: imdsV2Required,
    // The recovery server before issue 9: EC2 applies the template's options, scanners see none.
    compliant: { aws_instance: { server: { metadata_options: { http_tokens: "required" } } } },
    nonCompliant: { aws_launch_template: { lt: hardenedTemplate }, aws_instance: { server: { launch_template: { id: "${aws_launch_template.lt.id}" } } } },
    message: /http_tokens is "unset"\); set http_tokens = "required" on the instance itself \(scanners do not read its launch template's\)/,
    address: "aws_instance.server",
  },
  {
    rule: metadataHopLimit,
    compliant: { aws_instance: { server: { metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 } } } },
    nonCompliant: { aws_instance: { server: { metadata_options: { http_tokens: "required" } } } },
    message: /hop_limit is unset/,
    address: "aws_instance.server",
  },
  {
    rule: noPublicIp,
    compliant: { aws_launch_template: { lt: { ...hardenedTemplate, vpc_security_group_ids: ["sg-1"] } } },
    nonCompliant: { aws_launch_template: { lt: { ...hardenedTemplate, network_interfaces: [{ device_index: 0, associate_public_ip_address: "true" }] } } },
    message: /gets a public IP/,
    address: "aws_launch_template.lt",
  },
  {
    rule: ebsEncrypted,
    compliant: {
      aws_instance: { server: { root_block_device: { encrypted: true } } },
      aws_launch_template: { lt: hardenedTemplate },
      aws_ebs_volume: { data: { encrypted: true } },
    },
    nonCompliant: { aws_launch_template: { lt: { ...hardenedTemplate, block_device_mappings: [{ device_name: "/dev/xvda", ebs: { encrypted: "false" } }] } } },
    message: /block_device_mappings \/dev\/xvda not encrypted/,
    address: "aws_launch_template.lt",
  },
  {
    rule: noSecretsInUserData,
    compliant: { aws_instance: { server: { user_data_base64: Buffer.from("#!/bin/sh\nPASSWORD=$(aws ssm get-parameter --name db)\n").toString("base64") } } },
    nonCompliant: { aws_instance: { server: { user_data_base64: Buffer.from("#!/bin/sh\nexport DB_PASSWORD=hunter2hunter2\n").toString("base64") } } },
    message: /line 2 of the user data looks like it holds a secret \(password or key assignment\)/,
    address: "aws_instance.server",
  },
  {
    rule: subnetNoAutoPublicIp,
    compliant: { aws_subnet: { a: { map_public_ip_on_launch: false } } },
    nonCompliant: { aws_subnet: { a: { map_public_ip_on_launch: true } } },
    message: /map_public_ip_on_launch = true/,
    address: "aws_subnet.a",
  },
  {
    rule: vpcFlowLogs,
    compliant: { ...vpc, aws_flow_log: { all: { vpc_id: "${aws_vpc.main.id}", traffic_type: "ALL" } } },
    nonCompliant: { ...vpc, aws_flow_log: { other: { vpc_id: "vpc-0123456789abcdef0", traffic_type: "ALL" } } },
    message: /no aws_flow_log records this VPC/,
    address: "aws_vpc.main",
  },
  {
    rule: defaultSecurityGroupClosed,
    compliant: { ...vpc, aws_default_security_group: { default: { vpc_id: "${aws_vpc.main.id}" } } },
    nonCompliant: {
      ...vpc,
      aws_default_security_group: { default: { vpc_id: "${aws_vpc.main.id}", egress: [{ protocol: "-1", cidr_blocks: ["0.0.0.0/0"] }] } },
    },
    message: /has 1 rule/,
    address: "aws_default_security_group.default",
    // The VPC's default stays open too, as checkov says of the VPC.
    alsoOn: ["aws_vpc.main"],
  },
  {
    rule: noOpenIngressSsh,
    compliant: { aws_vpc_security_group_ingress_rule: { ssh: { ...openSsh, cidr_ipv4: "203.0.113.0/24" } } },
    nonCompliant: { aws_vpc_security_group_ingress_rule: { ssh: openSsh } },
    message: /SSH \(port 22\) from anywhere/,
    address: "aws_vpc_security_group_ingress_rule.ssh",
  },
  {
    rule: noOpenIngressRdp,
    compliant: {
      aws_security_group: {
        win: { description: "d", ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"], description: "https" }] },
      },
    },
    nonCompliant: {
      aws_security_group: {
        win: { description: "d", ingress: [{ protocol: "tcp", from_port: 3000, to_port: 4000, cidr_blocks: ["0.0.0.0/0"], description: "range" }] },
      },
    },
    message: /RDP \(port 3389\)/,
    address: "aws_security_group.win",
  },
  {
    rule: noOpenIngressAllPorts,
    compliant: { aws_security_group_rule: { all: { type: "ingress", protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/16"] } } },
    nonCompliant: { aws_security_group_rule: { all: { type: "ingress", protocol: "-1", from_port: 0, to_port: 0, ipv6_cidr_blocks: ["::/0"] } } },
    message: /admits all traffic from anywhere/,
    address: "aws_security_group_rule.all",
  },
  {
    rule: securityGroupDescriptions,
    compliant: {
      aws_security_group: { web: { description: "Web servers" } },
      aws_vpc_security_group_egress_rule: { out: { description: "Package repositories" } },
    },
    nonCompliant: { aws_security_group: { web: { description: "Managed by Terraform" } } },
    message: /no description/,
    address: "aws_security_group.web",
  },
  {
    rule: dropInvalidHeaders,
    compliant: { aws_lb: { alb: lb, nlb: { load_balancer_type: "network" } } },
    nonCompliant: { aws_lb: { alb: { ...lb, drop_invalid_header_fields: false } } },
    message: /drop_invalid_header_fields is not true/,
    address: "aws_lb.alb",
  },
  {
    rule: accessLogs,
    compliant: { aws_lb: { alb: lb } },
    nonCompliant: { aws_lb: { alb: { ...lb, access_logs: { bucket: "logs", enabled: false } } } },
    message: /no access logs/,
    address: "aws_lb.alb",
  },
  {
    rule: deletionProtection,
    compliant: { aws_lb: { alb: lb } },
    nonCompliant: { aws_lb: { alb: { ...lb, enable_deletion_protection: false } } },
    message: /enable_deletion_protection is not true/,
    address: "aws_lb.alb",
  },
  {
    rule: wafProtected,
    compliant: {
      aws_lb: { alb: lb, internal: { ...lb, internal: true }, nlb: { load_balancer_type: "network" } },
      aws_wafv2_web_acl_association: { alb: { resource_arn: "${aws_lb.alb.arn}", web_acl_arn: "${aws_wafv2_web_acl.waf.arn}" } },
    },
    nonCompliant: { aws_lb: { alb: lb } },
    message: /no AWS WAF web ACL is associated/,
    address: "aws_lb.alb",
  },
  {
    rule: httpsOnly,
    compliant: {
      aws_lb_listener: {
        http: { port: 80, protocol: "HTTP", default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }] },
      },
    },
    nonCompliant: {
      aws_lb_listener: { http: { port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: "${aws_lb_target_group.web.arn}" }] } },
    },
    message: /serves plain HTTP/,
    address: "aws_lb_listener.http",
  },
  {
    rule: modernTls,
    compliant: { aws_lb_listener: { https: { port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06" } } },
    nonCompliant: { aws_lb_listener: { https: { port: 443, protocol: "HTTPS", ssl_policy: "ELBSecurityPolicy-2016-08" } } },
    message: /"ELBSecurityPolicy-2016-08" admits TLS below 1.2/,
    address: "aws_lb_listener.https",
  },
  {
    rule: launchTemplate,
    compliant: { aws_autoscaling_group: { asg: { launch_template: { id: "${aws_launch_template.lt.id}", version: "$Latest" } } } },
    nonCompliant: { aws_autoscaling_group: { asg: { launch_configuration: "old-config" } } },
    message: /launch configuration/,
    address: "aws_autoscaling_group.asg",
  },
  {
    rule: elbHealthCheck,
    compliant: {
      aws_lb_target_group: { web: {} },
      aws_autoscaling_group: { asg: { health_check_type: "ELB", target_group_arns: ["${aws_lb_target_group.web.arn}"] } },
    },
    nonCompliant: {
      aws_autoscaling_group: { asg: { health_check_type: "EC2" } },
      aws_autoscaling_attachment: {
        web: { autoscaling_group_name: "${aws_autoscaling_group.asg.name}", lb_target_group_arn: "arn:aws:elasticloadbalancing:tg" },
      },
    },
    message: /health_check_type is "EC2"/,
    address: "aws_autoscaling_group.asg",
  },
  {
    rule: alarmActions,
    compliant: { aws_sns_topic: { alerts: {} }, aws_cloudwatch_metric_alarm: { cpu: { alarm_actions: ["${aws_sns_topic.alerts.arn}"] } } },
    nonCompliant: { aws_cloudwatch_metric_alarm: { cpu: { alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:recover"], actions_enabled: false } } },
    message: /actions_enabled = false/,
    address: "aws_cloudwatch_metric_alarm.cpu",
  },
  {
    rule: logRetention,
    compliant: { aws_cloudwatch_log_group: { logs: { retention_in_days: 30 } } },
    nonCompliant: { aws_cloudwatch_log_group: { logs: { name: "/app" } } },
    message: /kept \(and paid for\) forever/,
    address: "aws_cloudwatch_log_group.logs",
  },
  {
    rule: logRetentionYear,
    // (0, never expire, passes too, but CKV_AWS_66 reads it as no retention where checkov does not)
    compliant: { aws_cloudwatch_log_group: { year: { retention_in_days: 365 }, longer: { retention_in_days: 731 } } },
    nonCompliant: { aws_cloudwatch_log_group: { logs: { retention_in_days: 90 }, year: { retention_in_days: 365 } } },
    message: /retention_in_days is 90: keep the logs 365 days or more/,
    address: "aws_cloudwatch_log_group.logs",
  },
  {
    rule: logGroupKey,
    compliant: {
      aws_kms_key: { k: { enable_key_rotation: true } },
      aws_cloudwatch_log_group: { logs: { retention_in_days: 365, kms_key_id: "${aws_kms_key.k.arn}" } },
    },
    nonCompliant: { aws_cloudwatch_log_group: { logs: { retention_in_days: 365 } } },
    message: /kms_key_id is unset: the logs are under CloudWatch Logs' own key/,
    address: "aws_cloudwatch_log_group.logs",
  },
  {
    rule: topicKey,
    compliant: { aws_kms_key: { k: { enable_key_rotation: true } }, aws_sns_topic: { alarms: { name: "alarms", kms_master_key_id: "${aws_kms_key.k.arn}" } } },
    nonCompliant: { aws_sns_topic: { alarms: { name: "alarms" } } },
    message: /kms_master_key_id is unset: the topic's messages are stored unencrypted/,
    address: "aws_sns_topic.alarms",
  },
  {
    rule: fileSystemKey,
    compliant: { aws_kms_key: { k: { enable_key_rotation: true } }, aws_efs_file_system: { data: { encrypted: true, kms_key_id: "${aws_kms_key.k.arn}" } } },
    nonCompliant: { aws_efs_file_system: { data: { encrypted: true } } },
    message: /kms_key_id is unset: the file system is under the AWS-managed key/,
    address: "aws_efs_file_system.data",
  },
  {
    rule: elasticIpAttached,
    compliant: { aws_eip: { nat: { domain: "vpc" } }, aws_nat_gateway: { a: { allocation_id: "${aws_eip.nat.id}" } } },
    nonCompliant: { aws_eip: { spare: { domain: "vpc" } } },
    message: /nothing in the configuration attaches this Elastic IP/,
    address: "aws_eip.spare",
  },
  {
    rule: aRecordTarget,
    compliant: {
      aws_eip: { ip: {} },
      aws_route53_record: { a: { type: "A", ttl: 60, records: ["${aws_eip.ip.public_ip}"] }, txt: { type: "TXT", records: ["v=spf1 -all"] } },
    },
    nonCompliant: { aws_route53_record: { a: { type: "A", ttl: 60, records: ["198.51.100.7"] } } },
    message: /fixed addresses no resource of the stack owns/,
    address: "aws_route53_record.a",
  },
];
