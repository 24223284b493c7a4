/**
 * What every stack of the project shares: the AWS provider (region, common tags as
 * default_tags, the opt-in offline mode), the state backend, and output helpers.
 */
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DnsZone } from "../constructs/dns/dns-zone";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { StackConfig, StackName } from "../config/schema";
import { partitionOf } from "../lib/aws";
import { ValidationError } from "../lib/validation";

/**
 * Environment variable that switches on the offline provider mode: fake credentials and the
 * provider's skip flags, so `terraform plan` needs no AWS account or network. Nothing can
 * be deployed in this mode (the credentials are not real), and synth says so on stderr.
 */
export const OFFLINE_ENV = "OFFLINE_PLAN";

export function offlineRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[OFFLINE_ENV] === "1" || env[OFFLINE_ENV] === "true";
}

const OFFLINE_PROVIDER = {
  accessKey: "offline-plan-not-a-key",
  secretKey: "offline-plan-not-a-secret",
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: "true",
  skipRegionValidation: true,
} as const;

export interface ReferenceStackOptions {
  /** Configure the provider for an offline plan. @default - from the OFFLINE_PLAN environment variable */
  readonly offline?: boolean;
  /**
   * Path of the local state file, relative to the stack's directory.
   * @default "../../../terraform.<stack>.tfstate" - the project root, seen from cdktf.out/stacks/<stack>
   */
  readonly localStatePath?: string;
}

export class ReferenceStack extends TerraformStack {
  readonly config: StackConfig;
  readonly stackName: StackName;
  /** ARN partition of the region (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
  /** Prefix for resource names: `<project>-<stack>`. */
  readonly namePrefix: string;
  readonly offline: boolean;
  /**
   * The tags every resource gets through the provider's default_tags. Instances an Auto
   * Scaling group launches do not get default_tags; launch templates pass these on.
   */
  readonly commonTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, name: StackName, config: StackConfig, options: ReferenceStackOptions = {}) {
    super(scope, name);
    this.config = config;
    this.stackName = name;
    this.partition = partitionOf(config.region);
    this.namePrefix = `${config.project}-${name}`;
    this.offline = options.offline ?? offlineRequested();
    this.commonTags = { ...config.tags, Project: config.project, Stack: name, ManagedBy: "cdktf" };

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { ...this.commonTags } }],
      ...(this.offline ? OFFLINE_PROVIDER : {}),
    });

    const backend = config.backend;
    if (backend.type === "s3") {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? config.project}/${name}.tfstate`,
        region: backend.region ?? config.region,
        encrypt: backend.encrypt ?? true,
      });
      // S3-native locking (Terraform >= 1.10) postdates cdktf 0.21's S3Backend props.
      if (backend.useLockfile ?? true) s3.addOverride("use_lockfile", true);
    } else {
      new LocalBackend(this, { path: options.localStatePath ?? `../../../terraform.${name}.tfstate` });
    }
  }

  /**
   * Builds a construct from this stack's config section: its validation problems are
   * reported under the section's keys (`recordName` -> `web.recordName`; with `subsection`
   * "alarms", `web.alarms.<key>`).
   */
  protected configured<T>(build: () => T, subsection?: string): T {
    try {
      return build();
    } catch (e) {
      throw e instanceof ValidationError ? e.under(subsection ? `${this.stackName}.${subsection}` : this.stackName) : e;
    }
  }

  /**
   * The stack's multi-AZ VPC. Where the servers run decides the NAT default: servers in
   * private subnets need NAT for egress; servers in public subnets would leave it idle.
   */
  protected addNetwork(serverTier: "public" | "private"): MultiAzVpc {
    const network = this.config.network;
    return new MultiAzVpc(this, "network", {
      name: this.namePrefix,
      region: this.config.region,
      azs: this.config.azs,
      vpcCidr: this.config.vpcCidr,
      network: { ...network, natGateways: network.natGateways ?? (serverTier === "private" ? "one_per_az" : "none") },
    });
  }

  /** The hosted zone of the stack's endpoint names: `dns.zoneId`, or one created for `dns.zoneName`. */
  protected addDnsZone(): DnsZone {
    return new DnsZone(this, "dns", { zoneName: this.config.dns.zoneName, zoneId: this.config.dns.zoneId });
  }

  /** The topic the stack's alarms, group notifications and events go to, with `notifications.emails` subscribed. */
  protected addNotificationTopic(): NotificationTopic {
    return new NotificationTopic(this, "notifications", { name: this.namePrefix, emails: this.config.notifications.emails });
  }

  /** A stack output with a stable name and a description for operators. */
  output(name: string, value: unknown, description: string): TerraformOutput {
    const out = new TerraformOutput(this, name, { value, description });
    out.overrideLogicalId(name);
    return out;
  }
}
