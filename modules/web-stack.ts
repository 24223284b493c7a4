/**
 * Stack `web`: the course's load-balanced, auto-scaled web tier (see the README) on the multi-AZ
 * VPC. An Application Load Balancer in the public subnets of every AZ forwards to an Auto
 * Scaling group of hardened nginx + two-app servers in the private subnets of every AZ;
 * CPU drives the group's size; the group's events and the load balancer's alarms go to one
 * SNS topic; a Route 53 alias gives the endpoint its name.
 */
import { WebAcl, protectWithWaf } from "../constructs/web/web-acl";
import { Construct } from "constructs";
import { WebConfig } from "../config/schema";
import { DnsZone } from "../constructs/dns/dns-zone";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { LoadBalancerAlarms } from "../constructs/web/alb-alarms";
import { ApplicationLoadBalancer } from "../constructs/web/application-load-balancer";
import { AccessLogBucket } from "../constructs/web/access-log-bucket";
import { CpuScaling } from "../constructs/web/cpu-scaling";
import { InstanceTargetGroup } from "../constructs/web/target-group";
import { WebServerGroup } from "../constructs/web/web-server-group";
import { afterLosingOneAz } from "../lib/static-stability";
import { Annotations } from "cdktf";
import { DEFAULT_NAMED_APP, LOCAL_HEALTH_URL, renderLifecycleAgent, renderWorkload } from "../workload";
import { launchHookTimeoutSeconds } from "../model/assumptions";
import { addExperiments } from "./experiments";
import { DestroyBlocker, ReferenceStack, ReferenceStackProps } from "./reference-stack";

/** The shared settings and the `web` section. */
export interface WebStackProps extends ReferenceStackProps {
  readonly web: WebConfig;
}

export class WebStack extends ReferenceStack<WebStackProps> {
  readonly network: MultiAzVpc;
  readonly dns: DnsZone;
  readonly topic: NotificationTopic;
  readonly targetGroup: InstanceTargetGroup;
  readonly loadBalancer: ApplicationLoadBalancer;
  readonly servers: WebServerGroup;
  readonly scaling: CpuScaling;
  readonly alarms: LoadBalancerAlarms;
  /** AWS WAF on the load balancer; absent with `web.waf.enabled` false (and its reason). */
  readonly webAcl?: WebAcl;
  /** The endpoint's DNS name (`web.recordName` inside the zone). */
  readonly endpointName: string;

  constructor(scope: Construct, id: string, config: WebStackProps) {
    super(scope, id, config, "web");
    const web = config.web;
    this.network = this.addNetwork();
    this.dns = this.addDnsZone();
    this.endpointName = this.dns.fqdn(web.recordName);
    const appBServerName = web.appBServerName;
    // Every launch waits until the workload answers on the instance; the agent completes it.
    const launchHook = { name: `${this.namePrefix}-launch`, timeoutSeconds: launchHookTimeoutSeconds() };
    const agent = renderLifecycleAgent({
      region: config.region,
      launchHook: { groupName: this.namePrefix, hookName: launchHook.name },
      completes: ["InService"],
      healthUrl: LOCAL_HEALTH_URL,
      readyTimeoutSeconds: launchHook.timeoutSeconds,
    });
    const workload = renderWorkload({ namedApp: { ...DEFAULT_NAMED_APP, serverName: appBServerName }, bootCommands: agent.bootCommands });

    this.topic = this.addNotificationTopic();

    this.targetGroup = new InstanceTargetGroup(this, "target-group", {
      name: this.namePrefix,
      vpc: this.network,
      port: workload.listenPort,
      healthCheck: web.healthCheck,
      deregistrationDelaySeconds: web.deregistrationDelaySeconds,
      stickinessSeconds: web.stickinessSeconds,
    });

    this.loadBalancer = new ApplicationLoadBalancer(this, "load-balancer", {
      name: this.namePrefix,
      vpc: this.network,
      targetGroup: this.targetGroup,
      ingressCidrs: web.ingressCidrs,
      certificateArn: web.certificateArn,
      deletionProtection: web.deletionProtection,
      accessLogsBucket: web.accessLogs.createBucket
        ? new AccessLogBucket(this, "access-logs", { namePrefix: this.namePrefix, logPrefix: this.namePrefix, expirationDays: web.accessLogs.expirationDays })
        : web.accessLogsBucket,
    });

    this.webAcl = protectWithWaf(this, "waf", { name: this.namePrefix, loadBalancer: this.loadBalancer, waf: web.waf.enabled });

    // Before the group: a failing health check or 5xx stops its instance refreshes.
    this.alarms = new LoadBalancerAlarms(this, "alarms", {
      name: this.namePrefix,
      loadBalancer: this.loadBalancer,
      targetGroup: this.targetGroup,
      topic: this.topic,
      elb5xxPerMinute: web.alarms.elb5xxPerMinute,
      targetResponseTimeSeconds: web.alarms.targetResponseTimeSeconds,
    });

    this.servers = new WebServerGroup(this, "servers", {
      name: this.namePrefix,
      launchHook,
      // The private subnets of every AZ: no public IPs (CKV_AWS_88); egress through the VPC's NAT.
      vpc: this.network,
      targetGroups: [this.targetGroup],
      loadBalancerSecurityGroupId: this.loadBalancer.securityGroup.id,
      port: workload.listenPort,
      userData: workload.userData,
      instanceType: web.instanceType,
      rootVolumeGb: web.rootVolumeGb,
      metadataHopLimit: web.metadataHopLimit,
      minSize: web.minSize,
      maxSize: web.maxSize,
      healthCheckGracePeriodSeconds: web.healthCheckGracePeriodSeconds,
      topic: this.topic,
      // The provider's default_tags do not reach the instances a group launches.
      instanceTags: this.commonTags,
      waitForHealthyTargets: web.waitForHealthyTargets,
      refreshAlarms: [this.alarms.unhealthyHosts, this.alarms.elb5xx],
      maxInstanceLifetimeSeconds: web.maxInstanceLifetimeSeconds,
    });
    this.loadBalancer.allowToTargets(this.servers.securityGroupId, workload.listenPort);
    const minSize = web.minSize ?? config.azs.length;
    const loss = afterLosingOneAz(minSize, config.azs.length);
    if (!loss.stable) {
      Annotations.of(this.servers).addWarning(
        `web.minSize (${minSize}): not statically stable over ${config.azs.length} AZs: losing one AZ takes up to ${loss.lost} instance(s) and leaves ${loss.remaining} for ` +
          `${loss.remainingAzs} remaining AZ(s), which then wait for launches; set web.minSize to at least ${config.azs.length} (one per AZ, the default)`,
      );
    }

    this.scaling = new CpuScaling(this, "scaling", { name: this.namePrefix, autoScalingGroupName: this.servers.name, scaling: web.scaling });

    // CKV2_AWS_23: the records point at the load balancer, which exists as long as they do.
    this.dns.addAlias("endpoint", this.endpointName, "web.recordName", this.loadBalancer);
    // Inside the zone, the second app's name resolves to the load balancer too, which passes
    // the Host header on to nginx's named server.
    if (appBServerName.endsWith(`.${this.dns.zoneName}`)) this.dns.addAlias("app-b", appBServerName, "web.appBServerName", this.loadBalancer);

    const scheme = this.loadBalancer.https ? "https" : "http";
    this.output("load_balancer_dns_name", this.loadBalancer.dnsName, "DNS name of the Application Load Balancer");
    this.output("endpoint_name", this.endpointName, "The web tier's name in Route 53 (an alias of the load balancer)");
    this.output("url", `${scheme}://${this.endpointName}/`, "URL of the web tier");
    this.output("group_name", this.servers.name, "Auto Scaling group of the web servers");
    this.output("target_group_arn", this.targetGroup.arn, "Target group the web servers register in");
    this.output("topic_arn", this.topic.arn, "SNS topic of the group's events and the load balancer's alarms");
    if (this.loadBalancer.accessLogsBucket)
      this.output("access_logs_bucket", this.loadBalancer.accessLogsBucket, "S3 bucket of the load balancer's access logs");
    // Stop condition: clients see more 5xx than the alarm allows.
    if (config.experiments.enabled) addExperiments(this, this.alarms.elb5xx, [this.servers.name]);
  }

  /**
   * The load balancer's deletion protection: AWS refuses the delete, and prevent_destroy stops
   * the plan. Lifted by turning it off with the reason of a destroy (a relaxation: CKV_AWS_150).
   */
  override destroyBlockers(): DestroyBlocker[] {
    if (!this.config.web.deletionProtection.value) return [];
    return [
      {
        key: "web.deletionProtection",
        value: this.config.web.deletionProtection.value,
        fix:
          "protects the load balancer, which AWS then refuses to delete (and Terraform's prevent_destroy stops the destroy before anything is deleted); " +
          `to destroy the web stack, set web.deletionProtection to ${JSON.stringify(DESTROY_WITHOUT_PROTECTION)}, run npx cdktf deploy web (an in-place change), then npx cdktf destroy web`,
        lifted: DESTROY_WITHOUT_PROTECTION,
      },
    ];
  }
}

/** Deletion protection off, and why: the relaxation a destroy of the web stack needs first. */
export const DESTROY_WITHOUT_PROTECTION = {
  value: false,
  reason: "the web stack is about to be destroyed (cdktf destroy web follows this deploy)",
} as const;
