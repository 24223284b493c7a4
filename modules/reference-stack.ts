/**
 * What every stack of the project shares: the AWS provider (region, common tags as
 * default_tags, the provider mode: real, offline or sandbox), the state backend, and output helpers.
 */
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { StackKey, withStackKey } from "../constructs/encryption/stack-key";
import { DnsZone } from "../constructs/dns/dns-zone";
import { ZoneRecords } from "../constructs/dns/zone-records";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { SubnetTier } from "../constructs/network/subnet-layout";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { StackConfig, StackName } from "../config/schema";
import { natGatewayMode } from "./server-tiers";
import { Problem } from "../lib/validation";
import { PROVIDER_MODES, ProviderMode, ProviderModeName, providerModeFromEnv } from "./provider-mode";

/** The configuration's keys every stack reads, beside its own section. */
export const SHARED_SETTING_KEYS = [
  "project",
  "region",
  "azs",
  "vpcCidr",
  "tags",
  "network",
  "dns",
  "notifications",
  "encryption",
  "backend",
  "experiments",
] as const;

/** The settings every stack shares: the configuration's top-level keys but `stacks` and the stacks' own sections. */
export type SharedSettings = Pick<StackConfig, (typeof SHARED_SETTING_KEYS)[number]>;

/** The shared settings of a configuration (a stack's props take them with its own section). */
export function sharedSettings(config: StackConfig): SharedSettings {
  return Object.fromEntries(SHARED_SETTING_KEYS.map((key) => [key, config[key]])) as unknown as SharedSettings;
}

/** How a stack is synthesized: the provider mode, the local state file, the shared zone's records. */
export interface ReferenceStackOptions {
  /** The provider mode (see provider-mode.ts). @default - from the environment (`SANDBOX_ENDPOINT`, `OFFLINE_PLAN`), else "real" */
  readonly mode?: ProviderModeName;
  /** Shorthand: `true` for mode "offline", `false` for "real". */
  readonly offline?: boolean;
  /**
   * Path of the local state file, relative to the stack's directory.
   * @default "../../../terraform.<id>.tfstate" - the project root, seen from cdktf.out/stacks/<id>
   */
  readonly localStatePath?: string;
  /**
   * The record names taken in the zone the stacks share (`dns.*`): `main.ts` passes one set to
   * every stack, so two stacks naming the same record fail the synth with both keys.
   * @default - a fresh set: this stack's records only
   */
  readonly zoneRecords?: ZoneRecords;
}

/** What every stack takes: the shared settings and how it is synthesized; a stack class adds its own section. */
export interface ReferenceStackProps extends SharedSettings, ReferenceStackOptions {}

/** A setting with which `cdktf destroy` of a stack cannot succeed, and the value that lifts it. */
export interface DestroyBlocker extends Problem {
  /** What to set `key` to (and deploy) before the destroy. */
  readonly lifted: unknown;
}

export class ReferenceStack<Props extends ReferenceStackProps = ReferenceStackProps> extends TerraformStack {
  readonly config: Props;
  /** The stack's id: its directory under cdktf.out/stacks, its `Stack` tag, its state file's name. */
  readonly stackName: string;
  /**
   * The configuration section the stack's own settings come from (`multiaz` for every stack of
   * that class, whatever its id): a problem with its record name is reported under its keys.
   */
  readonly section: string;
  /** Prefix for resource names: `<project>-<id>`. */
  readonly namePrefix: string;
  /** The provider mode this stack was synthesized in. */
  readonly mode: ProviderMode;
  /** Whether that is the offline mode. */
  readonly offline: boolean;
  /**
   * The tags every resource gets through the provider's default_tags. Instances an Auto
   * Scaling group launches do not get default_tags; launch templates pass these on.
   */
  readonly commonTags: Readonly<Record<string, string>>;
  /** The key the stack's logs, topic and file system are encrypted with; absent with `encryption.customerManagedKey` false (and its reason, which StackKey.encrypt records). */
  readonly key?: StackKey;
  private readonly zoneRecords?: ZoneRecords;

  /** `section`: see {@link section}. @default - the id */
  constructor(scope: Construct, id: string, props: Props, section: string = id) {
    super(scope, id);
    this.config = props;
    this.stackName = id;
    this.section = section;
    this.namePrefix = `${props.project}-${id}`;
    this.mode = PROVIDER_MODES[props.mode ?? (props.offline === undefined ? providerModeFromEnv() : props.offline ? "offline" : "real")];
    this.offline = this.mode === PROVIDER_MODES.offline;
    this.commonTags = { ...props.tags, Project: props.project, Stack: id, ManagedBy: "cdktf" };
    this.zoneRecords = props.zoneRecords;

    new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: [{ tags: { ...this.commonTags } }],
      ...this.mode.provider,
    });

    this.key = withStackKey(this, "encryption", { name: this.namePrefix, customerManagedKey: props.encryption.customerManagedKey });

    const backend = props.backend;
    const scratchState = this.mode.scratchState?.(id);
    if (scratchState) {
      // The mode keeps its state apart: the configured backend is never contacted.
      new LocalBackend(this, { path: scratchState });
    } else if (backend.type === "s3") {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? props.project}/${id}.tfstate`,
        region: backend.region ?? props.region,
        encrypt: backend.encrypt,
      });
      // S3-native locking (Terraform >= 1.10) postdates cdktf 0.21's S3Backend props.
      if (backend.useLockfile) s3.addOverride("use_lockfile", true);
    } else {
      new LocalBackend(this, { path: props.localStatePath ?? `../../../terraform.${id}.tfstate` });
    }
  }

  /**
   * The stack's multi-AZ VPC. Where the stack's servers run decides the NAT default
   * (modules/server-tiers.ts).
   */
  protected addNetwork(): MultiAzVpc {
    const network = this.config.network;
    const vpc = new MultiAzVpc(this, "network", {
      name: this.namePrefix,
      azs: this.config.azs,
      vpcCidr: this.config.vpcCidr,
      subnetMasks: network.subnetMasks,
      isolatedSubnets: network.isolatedSubnets,
      natGateways: natGatewayMode(this.section as StackName, network.natGateways),
      natElasticIpAllocationIds: network.natElasticIpAllocationIds,
      flowLogs: network.flowLogs.enabled,
      flowLogRetentionDays: network.flowLogs.retentionDays,
      flowLogTrafficType: network.flowLogs.trafficType,
    });
    this.addNetworkOutputs(vpc);
    return vpc;
  }

  /** The VPC's ids for other stacks: subnets per tier in AZ order, route tables per tier by AZ name. */
  private addNetworkOutputs(vpc: MultiAzVpc): void {
    const azs = vpc.azs.join(", ");
    this.output("vpc_id", vpc.vpcId, "VPC id");
    this.output("public_subnet_ids", vpc.publicSubnetIds, `Public subnet ids, in the order of the AZs ${azs}`);
    this.output("private_subnet_ids", vpc.privateSubnetIds, `Private subnet ids, in the order of the AZs ${azs}`);
    if (vpc.hasTier("isolated")) this.output("isolated_subnet_ids", vpc.isolatedSubnetIds, `Isolated subnet ids, in the order of the AZs ${azs}`);
    const routeTables = (tier: SubnetTier, what: string) =>
      this.output(
        `${tier}_route_table_ids`,
        vpc.routeTableIds(tier),
        `Route table of the ${tier} subnets by AZ name (${what}); add routes as standalone aws_route resources, this stack keeps them`,
      );
    routeTables("public", "one table shared by every AZ");
    routeTables("private", "one table per AZ");
    if (vpc.hasTier("isolated")) routeTables("isolated", "one table shared by every AZ, no route out");
    const nats = Object.entries(vpc.natGateways);
    if (nats.length > 0) {
      this.output(
        "nat_public_ips",
        Object.fromEntries(nats.map(([az, nat]) => [az, nat.publicIp])),
        "Public IPv4 address of each NAT gateway by AZ name: the private subnets' egress addresses to allow-list (network.natElasticIpAllocationIds keeps them across replacements)",
      );
    }
  }

  /**
   * The hosted zone of the stack's endpoint names: `dns.zoneId`; unset, the mode's stand-in
   * zone id (offline), or else one created for `dns.zoneName` (a deployable synth through
   * `main.ts` requires `dns.zoneId`: config/deploy-requirements.ts).
   */
  protected addDnsZone(): DnsZone {
    const dns = this.config.dns;
    return new DnsZone(this, "dns", { zoneName: dns.zoneName, zoneId: dns.zoneId ?? this.mode.standInZoneId, records: this.zoneRecords });
  }

  /** The topic the stack's alarms, group notifications and events go to, with `notifications.emails` subscribed. */
  protected addNotificationTopic(): NotificationTopic {
    return new NotificationTopic(this, "notifications", { name: this.namePrefix, emails: this.config.notifications.emails });
  }

  /**
   * Settings with which `cdktf destroy` of this stack cannot succeed, each a problem naming the
   * key and the order to follow; synth stops a destroy on them before Terraform runs.
   * @default none
   */
  destroyBlockers(): DestroyBlocker[] {
    return [];
  }

  /** A stack output with a stable name and a description for operators. */
  output(name: string, value: unknown, description: string): TerraformOutput {
    const out = new TerraformOutput(this, name, { value, description });
    out.overrideLogicalId(name);
    return out;
  }
}
