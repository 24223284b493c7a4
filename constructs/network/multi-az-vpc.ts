/**
 * A VPC spanning 2 to 6 AZs: a public and a private subnet in every AZ (optionally an
 * isolated data subnet), an internet gateway, NAT gateways (none, one, or one per AZ),
 * flow logs to CloudWatch Logs, and a default security group that allows nothing.
 * Per-AZ resources are addressed by AZ name, never by list position.
 *
 * Routes are standalone `aws_route` resources, never inline `route` blocks of the tables: a
 * table with inline routes owns all of its routes, so a route another stack adds to it (a
 * transit gateway, a peering, a VPC endpoint) would be removed on this stack's next apply.
 * The route tables are exposed per tier and AZ (`routeTablesByAz`, `routeTableIds`) for them.
 * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/route_table ("NOTE on Route Tables and Routes")
 */
import { Construct } from "constructs";
import { StackKey } from "../encryption/stack-key";
import { Problems } from "../../lib/validation";
import { Relaxation, RelaxationRule, checkRelaxation, relaxationReason } from "../../policy/relaxation";
import { YEAR_OF_LOGS_DAYS } from "../../policy/rules/monitoring";
import { suppress } from "../../policy/suppress";
import { LOG_GROUP_KEY_RULE } from "../../policy/rules/encryption";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { azLetter } from "../../lib/aws";
import { awsContext } from "../../lib/stack-context";
import { Ipv4Block, parseIpv4Cidr } from "../../lib/cidr";
import { SubnetTier, TierMasks, subnetCidr, tierBlocks, vpcPrefixFix } from "./subnet-layout";
import { assumeRolePolicy, policyDocument, regionalIamName } from "../../lib/iam";
import { DEFAULT_LOG_RETENTION_DAYS } from "../../lib/log-retention";

/** Where the private subnets' traffic to the internet goes: no NAT gateway, one in the first AZ, or one in every AZ (an AZ outage does not cut the others' egress). */
export const NAT_GATEWAY_MODES = ["none", "single", "one_per_az"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/** The traffic flow logs record. */
export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];

/** How many AZs a VPC spans: two at least for high availability, six at most (the stacks' subnet slots and costs). */
export const AZ_COUNT = { min: 2, max: 6 } as const;

/** A /16: room for every tier's 8 AZ slots at the default masks. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
/** Prefix lengths of each tier's subnets: /24 public and isolated, /20 private (where the servers and their addresses are). */
export const DEFAULT_SUBNET_MASKS: TierMasks = { public: 24, private: 20, isolated: 24 };
/** A year of traffic records for an investigation (checkov CKV_AWS_338). */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = DEFAULT_LOG_RETENTION_DAYS;
/** Flow logs on: every VPC records its traffic (checkov CKV2_AWS_11). */
export const DEFAULT_FLOW_LOGS = true;

/** Flow logs, a relaxation: on by default; off only with a reason, recorded as the VPC's CKV2_AWS_11 suppression. */
export const FLOW_LOGS: RelaxationRule<boolean> = {
  ruleIds: ["CKV2_AWS_11"],
  strict: DEFAULT_FLOW_LOGS,
  what: "the VPC's flow logs",
  risk: "no record of the VPC's traffic is left for an investigation",
  why: "why the VPC does without them",
};

/**
 * The flow logs' retention, a relaxation: a year or more; less only with a reason, recorded
 * as the flow-log group's CKV_AWS_338 suppression.
 */
export const FLOW_LOG_RETENTION: RelaxationRule<number> = {
  ruleIds: ["CKV_AWS_338"],
  strict: DEFAULT_FLOW_LOG_RETENTION_DAYS,
  relaxes: (days) => days < YEAR_OF_LOGS_DAYS,
  what: "the flow logs' retention (days)",
  risk: "traffic older than that is gone when an investigation starts late",
  why: "why the flow logs may be kept less than a year",
};
/** Every flow: accepted and rejected. */
export const DEFAULT_FLOW_LOG_TRAFFIC_TYPE: FlowLogTrafficType = "ALL";
/** One NAT gateway per AZ: an AZ outage does not cut the others' egress. */
export const DEFAULT_NAT_GATEWAYS: NatGatewayMode = "one_per_az";

export interface MultiAzVpcProps {
  /** Prefix of `Name` tags and resource names. */
  readonly name: string;
  /** AZ names (2 to 6, unique, in the stack's region). */
  readonly azs: readonly string[];
  /** The VPC's IPv4 block. @default - {@link DEFAULT_VPC_CIDR}: 10.0.0.0/16 */
  readonly vpcCidr?: string;
  /** Prefix length of each tier's subnets. @default - {@link DEFAULT_SUBNET_MASKS}: /24 public and isolated, /20 private */
  readonly subnetMasks?: TierMasks;
  /** Add an isolated (data) tier with no route out. @default false - public and private tiers only */
  readonly isolatedSubnets?: boolean;
  /** NAT gateways for the private subnets. @default - {@link DEFAULT_NAT_GATEWAYS}: one per AZ, every AZ keeps its own egress */
  readonly natGateways?: NatGatewayMode;
  /**
   * Existing Elastic IP allocations for the NAT gateways, by the AZ name of each NAT gateway
   * (every AZ with `one_per_az`, the first with `single`): the gateways use them instead of
   * Elastic IPs of their own, so replacing a gateway or the VPC keeps the egress addresses that
   * partners allow-list. An allocation must not be associated with anything else.
   * @see https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/nat_gateway (`allocation_id`)
   * @default - one new Elastic IP per NAT gateway, released with it
   */
  readonly natElasticIpAllocationIds?: Readonly<Record<string, string>>;
  /**
   * Record the VPC's traffic in CloudWatch Logs (CKV2_AWS_11); off only with a reason
   * ({@link FLOW_LOGS}), recorded as the VPC's CKV2_AWS_11 suppression.
   * @default - { value: true }
   */
  readonly flowLogs?: Relaxation<boolean>;
  /**
   * Days the flow logs are kept, a retention CloudWatch Logs accepts; less than a year only
   * with a reason ({@link FLOW_LOG_RETENTION}), recorded as the log group's CKV_AWS_338 suppression.
   * @default - { value: 365 }: {@link DEFAULT_FLOW_LOG_RETENTION_DAYS}, a year
   */
  readonly flowLogRetentionDays?: Relaxation<number>;
  /** The traffic the flow logs record. @default - {@link DEFAULT_FLOW_LOG_TRAFFIC_TYPE}: all */
  readonly flowLogTrafficType?: FlowLogTrafficType;
}

/** The props with every default filled in. */
type Network = Required<Omit<MultiAzVpcProps, "name" | "azs" | "natElasticIpAllocationIds">>;

/** An Elastic IP allocation id (`eipalloc-` and 8 or 17 hex digits). */
export const ELASTIC_IP_ALLOCATION_ID = /^eipalloc-[0-9a-f]{8,17}$/;

/** The AZs a NAT gateway stands in: every AZ, the first, or none. */
export function natGatewayAzs(mode: NatGatewayMode, azs: readonly string[]): string[] {
  return mode === "one_per_az" ? [...azs] : mode === "single" ? azs.slice(0, 1) : [];
}

/** The subnets of one AZ. */
export interface AzSubnets {
  readonly public: Subnet;
  readonly private: Subnet;
  readonly isolated?: Subnet;
}

/**
 * The route tables of one AZ's subnets. The public tier shares one table (its only route,
 * to the internet gateway, is the same in every AZ), as does the isolated tier; each AZ's
 * private subnet has its own, so its default route can use the AZ's own NAT gateway.
 */
export interface AzRouteTables {
  readonly public: RouteTable;
  readonly private: RouteTable;
  readonly isolated?: RouteTable;
}

export class MultiAzVpc extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  /** Resources that need the internet to be reachable (an Elastic IP association) depend on it. */
  readonly internetGateway: InternetGateway;
  readonly azs: readonly string[];
  /** Subnets per AZ name. */
  readonly subnetsByAz: Readonly<Record<string, AzSubnets>>;
  /** Subnet ids per tier, in the order of `azs`. */
  readonly publicSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly isolatedSubnetIds: string[];
  /** NAT gateways per AZ they stand in. */
  readonly natGateways: Readonly<Record<string, NatGateway>>;
  /** Route tables per AZ name and tier; add routes to them with standalone `aws_route` resources. */
  readonly routeTablesByAz: Readonly<Record<string, AzRouteTables>>;

  constructor(scope: Construct, id: string, props: MultiAzVpcProps) {
    super(scope, id);
    const network: Network = {
      vpcCidr: props.vpcCidr ?? DEFAULT_VPC_CIDR,
      subnetMasks: props.subnetMasks ?? DEFAULT_SUBNET_MASKS,
      isolatedSubnets: props.isolatedSubnets ?? false,
      natGateways: props.natGateways ?? DEFAULT_NAT_GATEWAYS,
      flowLogs: props.flowLogs ?? { value: DEFAULT_FLOW_LOGS },
      flowLogRetentionDays: props.flowLogRetentionDays ?? { value: DEFAULT_FLOW_LOG_RETENTION_DAYS },
      flowLogTrafficType: props.flowLogTrafficType ?? DEFAULT_FLOW_LOG_TRAFFIC_TYPE,
    };
    const p = new Problems();
    checkRelaxation(p, "flowLogs", FLOW_LOGS, props.flowLogs);
    checkRelaxation(p, "flowLogRetentionDays", FLOW_LOG_RETENTION, props.flowLogRetentionDays);
    p.throwIfAnyAt(this);
    const vpcCidr = network.vpcCidr;
    const { region, partition } = awsContext(this);
    const blocks = layout(this, props.azs, region, network);
    this.azs = [...props.azs];

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: props.name },
    });
    this.vpcId = this.vpc.id;

    // CKV2_AWS_12: the default security group holds no rules, so nothing can use it by accident.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      tags: { Name: `${props.name}-default-deny-all` },
    });

    const igw = new InternetGateway(this, "igw", { vpcId: this.vpc.id, tags: { Name: props.name } });
    this.internetGateway = igw;
    // No `route` argument on any table: Terraform then leaves routes it does not manage alone.
    const publicRoutes = new RouteTable(this, "public-route-table", { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, "public-default-route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const isolatedRoutes = network.isolatedSubnets
      ? new RouteTable(this, "isolated-route-table", { vpcId: this.vpc.id, tags: { Name: `${props.name}-isolated` } })
      : undefined;

    const subnetsByAz: Record<string, AzSubnets> = {};
    for (const az of this.azs) {
      const subnet = (tier: SubnetTier) =>
        new Subnet(this, `${tier}-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: subnetCidr(blocks, network.subnetMasks, region, tier, az),
          // CKV_AWS_130: nothing gets a public IP by accident; instances that need one ask for it.
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-${tier}-${az}`, Tier: tier },
        });
      subnetsByAz[az] = {
        public: subnet("public"),
        private: subnet("private"),
        isolated: network.isolatedSubnets ? subnet("isolated") : undefined,
      };
      new RouteTableAssociation(this, `public-${az}-association`, { subnetId: subnetsByAz[az].public.id, routeTableId: publicRoutes.id });
      if (isolatedRoutes) {
        new RouteTableAssociation(this, `isolated-${az}-association`, { subnetId: subnetsByAz[az].isolated!.id, routeTableId: isolatedRoutes.id });
      }
    }

    const natMode = network.natGateways;
    const natAzs = natGatewayAzs(natMode, this.azs);
    const allocations = natAllocations(this, natAzs, props.natElasticIpAllocationIds);
    const natGateways: Record<string, NatGateway> = {};
    for (const az of natAzs) {
      const allocationId = allocations?.[az] ?? new Eip(this, `nat-${az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${az}` } }).allocationId;
      natGateways[az] = new NatGateway(this, `nat-gateway-${az}`, {
        allocationId,
        subnetId: subnetsByAz[az].public.id,
        tags: { Name: `${props.name}-nat-${az}` },
        dependsOn: [igw],
      });
    }

    const routeTablesByAz: Record<string, AzRouteTables> = {};
    for (const az of this.azs) {
      // With one NAT per AZ each AZ keeps its own egress; with a single NAT all use the first AZ's.
      const nat = natGateways[az] ?? natGateways[natAzs[0]];
      const routes = new RouteTable(this, `private-${az}-route-table`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${az}` } });
      if (nat) new Route(this, `private-${az}-default-route`, { routeTableId: routes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id });
      new RouteTableAssociation(this, `private-${az}-association`, { subnetId: subnetsByAz[az].private.id, routeTableId: routes.id });
      routeTablesByAz[az] = { public: publicRoutes, private: routes, isolated: isolatedRoutes };
    }

    const noFlowLogs = relaxationReason(FLOW_LOGS, network.flowLogs);
    if (noFlowLogs === undefined) this.addFlowLogs(props.name, region, partition, network);
    else for (const ruleId of FLOW_LOGS.ruleIds) suppress(this.vpc, ruleId, noFlowLogs);

    this.subnetsByAz = subnetsByAz;
    this.natGateways = natGateways;
    this.publicSubnetIds = this.azs.map((az) => subnetsByAz[az].public.id);
    this.privateSubnetIds = this.azs.map((az) => subnetsByAz[az].private.id);
    this.isolatedSubnetIds = network.isolatedSubnets ? this.azs.map((az) => subnetsByAz[az].isolated!.id) : [];
    this.routeTablesByAz = routeTablesByAz;
  }

  /** Subnets of one tier, in the order of `azs`. */
  subnets(tier: SubnetTier): Subnet[] {
    return this.azs.map((az) => this.subnetsByAz[az][tier]).filter((s): s is Subnet => s !== undefined);
  }

  /** Whether the VPC has the tier (the isolated one is optional). */
  hasTier(tier: SubnetTier): boolean {
    return this.routeTablesByAz[this.azs[0]][tier] !== undefined;
  }

  /** Route table ids of one tier by AZ name (empty for a tier the VPC does not have). */
  routeTableIds(tier: SubnetTier): Record<string, string> {
    return Object.fromEntries(
      this.azs.flatMap((az) => {
        const table = this.routeTablesByAz[az][tier];
        return table ? [[az, table.id]] : [];
      }),
    );
  }

  private addFlowLogs(name: string, region: string, partition: string, network: Network): void {
    // CKV2_AWS_11: every VPC records its traffic; CKV_AWS_338 (a year, unless relaxed) and CKV_AWS_158 (the stack's key) on the group.
    const logGroup = new CloudwatchLogGroup(this, "flow-logs", {
      name: `/vpc/${name}/flow-logs`,
      retentionInDays: network.flowLogRetentionDays.value,
    });
    const shortRetention = relaxationReason(FLOW_LOG_RETENTION, network.flowLogRetentionDays);
    if (shortRetention !== undefined) for (const ruleId of FLOW_LOG_RETENTION.ruleIds) suppress(logGroup, ruleId, shortRetention);
    const keyArn = StackKey.encrypt(logGroup, LOG_GROUP_KEY_RULE);
    if (keyArn) logGroup.kmsKeyId = keyArn;
    const role = new IamRole(this, "flow-logs-role", {
      name: regionalIamName(`${name}-vpc-flow-logs`, region),
      assumeRolePolicy: assumeRolePolicy("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "flow-logs-policy", {
      role: role.id,
      // AWS's minimum flow-log role policy, narrowed to this log group where IAM allows it
      // (the log group exists, so no logs:CreateLogGroup). DescribeLogGroups lists: IAM
      // authorizes it on log-group:*, never on one group.
      // @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
      policy: policyDocument([
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: `${logGroup.arn}:*`,
        },
        {
          Sid: "FindLogGroup",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: `arn:${partition}:logs:${region}:*:log-group:*`,
        },
      ]),
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: network.flowLogTrafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: 60,
      tags: { Name: name },
    });
  }
}

/**
 * The given allocations, one per NAT gateway AZ, each listed once. Mismatches are programmer
 * errors here: the configuration schema reports them to users, naming the key.
 */
function natAllocations(scope: Construct, natAzs: readonly string[], given?: Readonly<Record<string, string>>): Readonly<Record<string, string>> | undefined {
  if (given === undefined) return undefined;
  const keys = Object.keys(given).sort();
  const ids = Object.values(given);
  if (keys.join() !== [...natAzs].sort().join() || ids.some((id) => !ELASTIC_IP_ALLOCATION_ID.test(id)) || new Set(ids).size !== ids.length) {
    throw new Error(
      `${scope.node.path}: natElasticIpAllocationIds needs one distinct eipalloc- id for each NAT gateway AZ (${natAzs.join(", ") || "none"}), got ${JSON.stringify(given)}`,
    );
  }
  return given;
}

/**
 * The subnet layout's blocks. Bad AZs or blocks are programmer errors here: the configuration
 * schema reports them to users, naming the keys.
 */
function layout(scope: Construct, azs: readonly string[], region: string, network: Network): Record<SubnetTier, Ipv4Block> {
  const fail = (why: string) => {
    throw new Error(`${scope.node.path}: ${why}`);
  };
  if (azs.length < AZ_COUNT.min || azs.length > AZ_COUNT.max || new Set(azs).size !== azs.length) {
    fail(`needs ${AZ_COUNT.min} to ${AZ_COUNT.max} distinct AZs, got ${azs.join(", ")}`);
  }
  const unusable = azs.find((az) => (azLetter(region, az) ?? "z") > "h");
  if (unusable !== undefined) fail(`${unusable} is not an AZ a-h of the stack's region ${region}`);
  const vpc = parseIpv4Cidr(network.vpcCidr);
  const blocks = typeof vpc === "string" ? vpc : (vpcPrefixFix(vpc) ?? tierBlocks(vpc, network.subnetMasks));
  if (typeof blocks === "string") fail(`vpcCidr ${network.vpcCidr}: ${blocks}`);
  return blocks as Record<SubnetTier, Ipv4Block>;
}
