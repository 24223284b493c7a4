/**
 * recovery: the healing chain of the single server, as far as the emulator can show it. The two
 * status-check alarms exist with their EC2 actions (recover, reboot) and the topic, on the
 * stack's instance; the Elastic IP is associated with that instance; the stack's A record
 * holds the Elastic IP; setting an alarm's state is accepted and seen, and set back.
 *
 * What the emulator (moto 5.2.5) does not do, read in its source (moto/cloudwatch/models.py,
 * moto/ec2/models/instances.py, moto/route53/): it executes no alarm action, evaluates no alarm
 * against metrics, reports every running instance's status checks as passed, has no
 * DescribeAlarmHistory, and serves no DNS.
 */
import { CloudWatchClient, DescribeAlarmsCommand, MetricAlarm, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeAddressesCommand, DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { Ec2AlarmAction, ec2ActionArn } from "../../lib/ec2-alarm-actions";
import { partitionOf } from "../../lib/aws";
import type { AppliedStack, Sandbox } from "../sandbox";
import { Checks, Rehearsal } from "./rehearsal";

/** Each alarm of Ec2RecoveryAlarms: its action and the status check it watches. */
const ALARMS: readonly { action: Ec2AlarmAction; metric: string }[] = [
  { action: "recover", metric: "StatusCheckFailed_System" },
  { action: "reboot", metric: "StatusCheckFailed_Instance" },
];

const REASON = "npm run sandbox: recovery rehearsal";

async function run(sandbox: Sandbox, applied: AppliedStack): Promise<Checks["list"]> {
  const c = new Checks();
  const { region, project, dns } = sandbox.config;
  const instanceId = String(applied.outputs.instance_id);
  const publicIp = String(applied.outputs.public_ip);
  const topicArn = String(applied.outputs.topic_arn);
  const cloudwatch = new CloudWatchClient(sandbox.clientConfig());
  const ec2 = new EC2Client(sandbox.clientConfig());
  const route53 = new Route53Client(sandbox.clientConfig());

  const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }))).Reservations?.[0]?.Instances?.[0];
  c.check("the stack's instance is running", instance?.State?.Name === "running", { instanceId, state: instance?.State?.Name });

  const names = ALARMS.map((a) => `${project}-${applied.stack}-${a.action}`);
  const describe = async (): Promise<MetricAlarm[]> => (await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names }))).MetricAlarms ?? [];
  const alarms = await describe();
  for (const [i, { action, metric }] of ALARMS.entries()) {
    const alarm = alarms.find((a) => a.AlarmName === names[i]);
    const arn = ec2ActionArn(partitionOf(region), region, action);
    c.check(`alarm ${names[i]} exists`, alarm !== undefined);
    if (!alarm) continue;
    c.check(
      `${names[i]} watches ${metric} of AWS/EC2 for the stack's instance only (dimension InstanceId)`,
      alarm.Namespace === "AWS/EC2" &&
        alarm.MetricName === metric &&
        JSON.stringify(alarm.Dimensions) === JSON.stringify([{ Name: "InstanceId", Value: instanceId }]),
      { namespace: alarm.Namespace, metric: alarm.MetricName, dimensions: alarm.Dimensions },
    );
    c.check(
      `${names[i]} acts with ${arn} and notifies the stack's topic`,
      (alarm.AlarmActions ?? []).includes(arn) && (alarm.AlarmActions ?? []).includes(topicArn) && (alarm.OKActions ?? []).includes(topicArn),
      { alarmActions: alarm.AlarmActions, okActions: alarm.OKActions },
    );
  }

  const address = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [publicIp] }))).Addresses?.[0];
  c.check("the Elastic IP is associated with the stack's instance", address?.InstanceId === instanceId, { publicIp, instanceId: address?.InstanceId });

  const fqdn = String(applied.outputs.dns_name);
  const record = sandbox.stateResources(applied.stack, "aws_route53_record").find((r) => r.attributes.name === fqdn);
  if (c.check(`Terraform's state holds the A record ${fqdn}`, record !== undefined)) {
    const zoneId = String(record!.attributes.zone_id);
    const zone = (await route53.send(new GetHostedZoneCommand({ Id: zoneId }))).HostedZone;
    c.check(`the record's zone is ${dns.zoneName}`, zone?.Name === `${dns.zoneName}.`, zone?.Name);
    const sets = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: fqdn, StartRecordType: "A" }));
    const set = sets.ResourceRecordSets?.find((s) => s.Name === `${fqdn}.` && s.Type === "A");
    c.check(
      `the zone's A record ${fqdn} holds the Elastic IP, and only it`,
      JSON.stringify(set?.ResourceRecords?.map((r) => r.Value)) === JSON.stringify([publicIp]),
      { values: set?.ResourceRecords?.map((r) => r.Value), ttl: set?.TTL },
    );
  }

  // Setting the state is what the alarm does when its check fails; the emulator shows the state, not the effect.
  for (const name of names.filter((n) => alarms.some((a) => a.AlarmName === n))) {
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "ALARM", StateReason: REASON }));
    const raised = (await describe()).find((a) => a.AlarmName === name);
    c.check(`SetAlarmState puts ${name} in ALARM, seen by DescribeAlarms with its reason`, raised?.StateValue === "ALARM" && raised.StateReason === REASON, {
      state: raised?.StateValue,
      reason: raised?.StateReason,
    });
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: "OK", StateReason: `${REASON}: cleared` }));
    const cleared = (await describe()).find((a) => a.AlarmName === name);
    c.check(`${name} is back in OK`, cleared?.StateValue === "OK", cleared?.StateValue);
  }
  return c.list;
}

export const RECOVERY_REHEARSAL: Rehearsal = {
  name: "recovery: alarms, Elastic IP, record",
  stack: "recovery",
  notSimulated: [
    "the alarms' actions: moto runs no alarm action, so an alarm in ALARM neither recovers nor reboots the instance (arn:aws:automate:<region>:ec2:recover / reboot) nor publishes to the topic",
    "status checks: moto reports both status checks of every running instance as passed and publishes no StatusCheckFailed_System / _Instance data, and its CloudWatch evaluates no alarm against metrics: the alarms change state only by SetAlarmState",
    "the alarm history: moto 5.2.5 has no DescribeAlarmHistory; the state change is seen through DescribeAlarms",
    "a recovery itself (new host, same instance id, private IP, Elastic IP and EBS volume; RAM lost) and the EC2 recovery events the stack's EventBridge rules forward: EventBridge delivers nothing in moto",
    "DNS resolution: moto stores the record and serves no DNS, so the name is checked through ListResourceRecordSets",
  ],
  run,
};
