/**
 * Stack `recovery`: the first of the two strategies this project compares for a single
 * stateful server (after "Amazon Web Services in Action", Manning). One instance in the first AZ's
 * public subnet, reached through an Elastic IP and a Route 53 name; CloudWatch alarms on its
 * status checks recover it onto new hardware (system check) or reboot it (instance check),
 * and every alarm state change and recovery outcome goes to one SNS topic.
 *
 * Recovery keeps the instance id, private IP, Elastic IP and EBS volume: no data is lost,
 * RAM aside. It survives a failed host, not the loss of its AZ (that is stack `multiaz`).
 */
import { Construct } from "constructs";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { RecoveryConfig } from "../config/schema";
import { DnsZone } from "../constructs/dns/dns-zone";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { Ec2RecoveryAlarms } from "../constructs/recovery/ec2-recovery-alarms";
import { RecoverableInstance } from "../constructs/recovery/recoverable-instance";
import { RecoveryEvents } from "../constructs/recovery/recovery-events";
import { DEFAULT_NAMED_APP, renderWorkload } from "../workload";
import { addExperiments } from "./experiments";
import { ReferenceStack, ReferenceStackProps } from "./reference-stack";

/** The shared settings and the `recovery` section. */
export interface RecoveryStackProps extends ReferenceStackProps {
  readonly recovery: RecoveryConfig;
}

export class RecoveryStack extends ReferenceStack<RecoveryStackProps> {
  readonly network: MultiAzVpc;
  readonly dns: DnsZone;
  /** The server's DNS name (`recovery.recordName` inside the zone). */
  readonly endpointName: string;
  readonly topic: NotificationTopic;
  readonly server: RecoverableInstance;
  readonly alarms: Ec2RecoveryAlarms;
  readonly events: RecoveryEvents;
  readonly record: Route53Record;

  constructor(scope: Construct, id: string, config: RecoveryStackProps) {
    super(scope, id, config, "recovery");
    const settings = config.recovery;
    this.network = this.addNetwork();

    this.dns = this.addDnsZone();
    this.endpointName = this.dns.fqdn(settings.recordName);
    // The web tier's two apps on one server: by IP the default app answers, by this name the other.
    // A hung app: the watchdog restarts the apps, then reboots (same host, disk and addresses).
    const workload = renderWorkload({ namedApp: { ...DEFAULT_NAMED_APP, serverName: this.endpointName }, watchdog: { escalation: "reboot" } });

    this.topic = this.addNotificationTopic();

    // In the VPC's first AZ: recovery moves the instance to another host in the same AZ, so any AZ is as good.
    this.server = new RecoverableInstance(this, "server", {
      name: this.namePrefix,
      vpc: this.network,
      instanceType: settings.instanceType,
      rootVolumeGb: settings.rootVolumeGb,
      metadataHopLimit: settings.metadataHopLimit,
      sshCidr: settings.sshCidr,
      userData: workload.userData,
      ingress: [{ port: workload.listenPort, cidr: "0.0.0.0/0", description: "HTTP to nginx from the internet" }],
    });

    this.alarms = new Ec2RecoveryAlarms(this, "status-check-alarms", {
      name: this.namePrefix,
      instance: this.server.instance,
      topic: this.topic,
      recoverEvaluationPeriods: settings.recoverEvaluationPeriods,
      rebootEvaluationPeriods: settings.rebootEvaluationPeriods,
      alarmPeriodSeconds: settings.alarmPeriodSeconds,
    });
    this.events = new RecoveryEvents(this, "recovery-events", { name: this.namePrefix, topic: this.topic });

    // CKV2_AWS_23: the A record has a target, the Elastic IP the server keeps through recovery.
    this.record = this.dns.addARecord("record", this.endpointName, "recovery.recordName", [this.server.publicIp], config.dns.ttlSeconds);

    this.output("instance_id", this.server.instanceId, "Id of the server; EC2 recovery keeps it");
    this.output("public_ip", this.server.publicIp, "Elastic IP of the server");
    this.output("dns_name", this.endpointName, `DNS name of the server (A record, TTL ${config.dns.ttlSeconds} s)`);
    this.output("topic_arn", this.topic.arn, "SNS topic of the alarms and recovery events; subscribe to be told");
    // Stop condition: a failing system status check: the host, not the fault injected, is down.
    if (config.experiments.enabled) addExperiments(this, this.alarms.recoverAlarm);
  }
}
