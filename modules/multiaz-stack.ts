/**
 * Stack `multiaz`: the second of the two strategies this project compares for a single
 * stateful server (after "Amazon Web Services in Action", Manning: its `multiaz`,
 * `multiaz-ebs` and `multiaz-elasticip` exercises).
 * An Auto Scaling group of exactly one instance over the public subnet of every AZ replaces
 * the server when it or its AZ fails. The replacement takes over an Elastic IP at boot, which
 * a Route 53 name points at; it starts from the newest AMI that Data Lifecycle Manager made of
 * the server (or from a fixed AMI), so it loses the data written since that AMI, unless the
 * state lives on EFS. A warm pool of stopped, initialised instances can shorten the
 * replacement. Launches, terminations and their failures go to one SNS topic.
 */
import { Construct } from "constructs";
import { dependable } from "cdktf";
import { MultiAzConfig } from "../config/schema";
import { amazonLinux2023Parameter } from "../lib/aws";
import { AmiPipeline } from "../constructs/ami-pipeline/ami-pipeline";
import { SingleServerGroup } from "../constructs/autoscaling/single-server-group";
import { HardenedLaunchTemplate } from "../constructs/compute/hardened-launch-template";
import { InstanceRole } from "../constructs/compute/instance-role";
import { DnsZone } from "../constructs/dns/dns-zone";
import { ElasticIpEndpoint } from "../constructs/endpoint/elastic-ip-endpoint";
import { EndpointTakeover } from "../constructs/endpoint/endpoint-takeover";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { SharedFileSystem } from "../constructs/storage/shared-file-system";
import { DEFAULT_NAMED_APP, LOCAL_HEALTH_URL, renderLifecycleAgent, renderWorkload } from "../workload";
import { autoScalingPassSeconds, launchHookTimeoutSeconds } from "../model/assumptions";
import { addExperiments } from "./experiments";
import { ReferenceStack, ReferenceStackProps } from "./reference-stack";

/**
 * Tag that the server's instances, volumes and network interfaces carry and nothing else:
 * DLM images the instances with it, and the role may move the Elastic IP only onto them.
 */
export const SERVER_GROUP_TAG = "ServerGroup";

/** Where the server keeps its state: on EFS with `multiaz.efs.enabled`, else on its root volume. */
export const STATE_DIRECTORY = "/srv/state";

/** Instance tag through which the server learns the id of its state's file system (with EFS). */
export const STATE_FILE_SYSTEM_TAG = "StateFileSystemId";

/** The shared settings and the `multiaz` section. */
export interface MultiAzStackProps extends ReferenceStackProps {
  readonly multiaz: MultiAzConfig;
}

export class MultiAzStack extends ReferenceStack<MultiAzStackProps> {
  readonly network: MultiAzVpc;
  readonly dns: DnsZone;
  /** The server's DNS name (`multiaz.recordName` inside the zone). */
  readonly endpointName: string;
  readonly topic: NotificationTopic;
  readonly role: InstanceRole;
  readonly endpoint: ElasticIpEndpoint;
  /** Moves the endpoint onto the instance in service. */
  readonly takeover: EndpointTakeover;
  /** The AMI pipeline; absent with `multiaz.amiPipeline.enabled: false`. */
  readonly pipeline?: AmiPipeline;
  /** The state on EFS; only with `multiaz.efs.enabled`. */
  readonly stateFileSystem?: SharedFileSystem;
  readonly launchTemplate: HardenedLaunchTemplate;
  readonly group: SingleServerGroup;
  /**
   * The AMI pipeline's name, its policy's and images' `AmiPipeline` tag; known also with the
   * pipeline off, when images of an earlier deployment may remain (`npm run cleanup`).
   */
  readonly amiPipelineName: string;

  constructor(scope: Construct, id: string, config: MultiAzStackProps) {
    super(scope, id, config, "multiaz");
    const settings = config.multiaz;
    this.network = this.addNetwork();

    const groupName = this.namePrefix;
    this.amiPipelineName = groupName;
    const groupTag = { key: SERVER_GROUP_TAG, value: groupName };

    this.dns = this.addDnsZone();
    this.endpointName = this.dns.fqdn(settings.recordName);
    this.topic = this.addNotificationTopic();
    this.role = new InstanceRole(this, "instance-role", { name: `${groupName}-instances` });

    this.endpoint = new ElasticIpEndpoint(this, "endpoint", {
      name: groupName,
      zone: this.dns,
      fqdn: this.endpointName,
      recordKey: "multiaz.recordName",
      ttlSeconds: config.dns.ttlSeconds,
    });
    const launchHookName = `${groupName}-launch`;
    this.takeover = new EndpointTakeover(this, "takeover", {
      name: groupName,
      endpoint: this.endpoint,
      groupName,
      hookName: launchHookName,
      instanceTag: groupTag,
      topic: this.topic,
      stateParameterName: `/${config.project}/${id}/takeover-failures`,
    });

    if (settings.amiPipeline.enabled) {
      this.pipeline = new AmiPipeline(this, "ami-pipeline", {
        name: this.amiPipelineName,
        parameterName: `/${config.project}/${id}/image-id`,
        baseImageParameter: amazonLinux2023Parameter(settings.instanceType),
        targetTags: { [groupTag.key]: groupTag.value },
        intervalHours: settings.amiPipeline.intervalHours,
        retainCount: settings.amiPipeline.retainCount,
        noReboot: settings.amiPipeline.noReboot,
        topic: this.topic,
      });
    }

    if (settings.efs.enabled) {
      this.stateFileSystem = new SharedFileSystem(this, "state", {
        name: groupName,
        // A mount target in the private subnet of every AZ.
        vpc: this.network,
        idTagKey: STATE_FILE_SYSTEM_TAG,
      });
    }

    // The launch into service is the takeover function's to complete; with a warm pool, the
    // instance completes its launch into the pool once initialised.
    const launchHookTimeout = launchHookTimeoutSeconds();
    const agent = settings.warmPool.enabled
      ? renderLifecycleAgent({
          region: config.region,
          launchHook: { groupName, hookName: launchHookName },
          completes: ["WarmPool"],
          healthUrl: LOCAL_HEALTH_URL,
          readyTimeoutSeconds: launchHookTimeout,
        })
      : undefined;
    const workload = renderWorkload({
      // The web tier's two apps on one server: by IP the default app answers, by this name the other.
      namedApp: { ...DEFAULT_NAMED_APP, serverName: this.endpointName },
      bootCommands: [...(this.stateFileSystem?.mountCommands(STATE_DIRECTORY) ?? []), ...(agent?.bootCommands ?? [])],
      // A hung app: the watchdog restarts the apps, then powers the instance off, which the
      // group replaces at once (EC2 health checks see an instance that is not running).
      watchdog: { escalation: "poweroff" },
    });

    this.launchTemplate = new HardenedLaunchTemplate(this, "launch-template", {
      name: groupName,
      vpc: this.network,
      instanceType: settings.instanceType,
      rootVolumeGb: settings.rootVolumeGb,
      metadataHopLimit: settings.metadataHopLimit,
      sshCidr: settings.sshCidr,
      role: this.role,
      userData: workload.userData,
      // A fixed AMI, else the pipeline's newest, else the base image (resolved at launch).
      imageId: settings.fixedAmiId ?? this.pipeline?.imageId,
      ingress: [{ port: workload.listenPort, cidr: "0.0.0.0/0", description: "HTTP to nginx from the internet: the server is the endpoint" }],
      associatePublicIpAddress: true,
      publicIpReason:
        "The instance is its own public endpoint, and with no NAT in this stack it must reach the package " +
        "repositories (and, with a warm pool, the Auto Scaling API) before the takeover function moves the Elastic IP " +
        "onto it, so it launches with a public IP that the Elastic IP then replaces. Only the ports above are open.",
      // The boot scripts read the file system's id from these tags: the
      // user data stays plain text, with no Terraform references.
      instanceTags: { [groupTag.key]: groupTag.value, ...this.stateFileSystem?.instanceTags },
      metadataTags: true,
    });
    // The image parameter and the mount targets must exist before the first launch; the
    // template names the parameter literally (`resolve:ssm:`), so say so.
    this.launchTemplate.launchTemplate.dependsOn = [
      ...(this.pipeline ? [this.pipeline.parameter] : []),
      ...Object.values(this.stateFileSystem?.mountTargets ?? {}),
    ].map(dependable);
    this.stateFileSystem?.allowClients("nfs-from-server", this.launchTemplate.securityGroup, "NFS from the server's instances only");

    this.group = new SingleServerGroup(this, "group", {
      name: groupName,
      vpc: this.network,
      subnetTier: "public",
      launchTemplate: this.launchTemplate,
      healthCheckGracePeriodSeconds: settings.healthCheckGracePeriodSeconds,
      topic: this.topic,
      tags: { ...config.tags, Project: config.project, Stack: this.stackName },
      // The apply waits for the server as long as the hook may hold it, and Auto Scaling's pass that ends the hold.
      launchHook: { name: launchHookName, timeoutSeconds: launchHookTimeout, resultDelaySeconds: autoScalingPassSeconds() },
      launchDependencies: this.takeover.launchDependencies,
      warmPool: settings.warmPool.enabled ? { poolState: settings.warmPool.poolState, minSize: settings.warmPool.minSize } : undefined,
    });

    this.output("group_name", this.group.name, "Auto Scaling group that keeps the one server");
    this.output("endpoint_name", this.endpointName, `DNS name of the server (A record to the Elastic IP, TTL ${config.dns.ttlSeconds} s)`);
    this.output("elastic_ip", this.endpoint.publicIp, "Elastic IP the server in service takes over at boot");
    this.output("topic_arn", this.topic.arn, "SNS topic of launches, terminations and their failures; subscribe to be told");
    // Only where they apply: a fixed AMI is read from no parameter, and without the pipeline no AMIs are made.
    const imageParameter = this.pipeline?.parameterName ?? (settings.fixedAmiId ? undefined : amazonLinux2023Parameter(settings.instanceType));
    if (imageParameter) this.output("ami_parameter_name", imageParameter, "SSM parameter a replacement's image is read from at launch");
    if (this.pipeline)
      this.output("snapshot_interval_hours", this.pipeline.intervalHours, "Hours between AMIs of the server: the RPO while the state is on its disk");
    // Stop condition: the endpoint has been off its instance for two checks: the replacement runs long.
    if (config.experiments.enabled) addExperiments(this, this.takeover.alarm, [this.group.name]);
  }
}
