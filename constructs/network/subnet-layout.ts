/**
 * Where each subnet's CIDR comes from. Each tier reserves a fixed run of 8 slots (AZ letters
 * a-h) at a fixed place in the VPC block, and an AZ's subnet is the slot of its letter. The
 * layout therefore depends only on the masks, never on which or how many AZs are configured:
 * adding or removing an AZ never renumbers (and so never replaces) another AZ's subnets.
 */
import { azIndex } from "../../lib/aws";
import { Ipv4Block, blockSize, formatIpv4Cidr, subBlock } from "../../lib/cidr";

/** AZ letters a-h; no region has more (us-east-1 has a-f). */
export const AZ_SLOTS = 8;

export type SubnetTier = "public" | "private" | "isolated";

export const TIERS: readonly SubnetTier[] = ["public", "private", "isolated"];

/** AWS's subnet sizes: /16 to /28. */
export const LARGEST_SUBNET_PREFIX = 16;
export const SMALLEST_SUBNET_PREFIX = 28;
/** AWS's largest VPC block. */
export const LARGEST_VPC_PREFIX = 16;

/**
 * The smallest VPC block the layout fits in: every tier (the isolated one too, reserved so
 * that switching it on later renumbers nothing) holds AZ_SLOTS subnets of at least a /28:
 * 3 x 8 x 16 = 384 addresses, so a /23. Larger masks need a larger block (the defaults: /16).
 */
export const SMALLEST_VPC_PREFIX = 32 - Math.ceil(Math.log2(TIERS.length * AZ_SLOTS * blockSize(SMALLEST_SUBNET_PREFIX)));

export interface TierMasks {
  readonly public: number;
  readonly private: number;
  readonly isolated: number;
}

/** The block each tier reserves: the largest tiers first, so each stays aligned. */
export function tierBlocks(vpc: Ipv4Block, masks: TierMasks): Record<SubnetTier, Ipv4Block> | string {
  const order = [...TIERS].sort((a, b) => masks[a] - masks[b] || TIERS.indexOf(a) - TIERS.indexOf(b));
  let next = vpc.base;
  const out = {} as Record<SubnetTier, Ipv4Block>;
  for (const tier of order) {
    const size = blockSize(masks[tier]) * AZ_SLOTS;
    next = Math.ceil((next - vpc.base) / size) * size + vpc.base;
    out[tier] = { base: next, prefix: masks[tier] - Math.log2(AZ_SLOTS) };
    next += size;
  }
  const used = next - vpc.base;
  if (used > blockSize(vpc.prefix)) {
    return `the three tiers need ${used} addresses (${AZ_SLOTS} AZ slots each of /${masks.public} public, /${masks.private} private, /${masks.isolated} isolated) but ${formatIpv4Cidr(vpc)} has ${blockSize(vpc.prefix)}; use a larger VPC block or longer masks`;
  }
  return out;
}

/** The subnet CIDR of `tier` in `az`. */
export function subnetCidr(blocks: Record<SubnetTier, Ipv4Block>, masks: TierMasks, region: string, tier: SubnetTier, az: string): string {
  return formatIpv4Cidr(subBlock(blocks[tier], masks[tier], azIndex(region, az)));
}

/** What is wrong with the VPC block's size, for AWS and for the layout; undefined when it fits. */
export function vpcPrefixFix(vpc: Ipv4Block): string | undefined {
  if (vpc.prefix >= LARGEST_VPC_PREFIX && vpc.prefix <= SMALLEST_VPC_PREFIX) return undefined;
  return (
    `must be a /${LARGEST_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}: AWS allows VPC blocks up to a /${LARGEST_VPC_PREFIX}, and the three subnet tiers ` +
    `reserve ${AZ_SLOTS} AZ slots each, which takes at least a /${SMALLEST_VPC_PREFIX} even with /${SMALLEST_SUBNET_PREFIX} subnets (the default masks need a /16)`
  );
}

/** What is wrong with a tier's mask: AWS subnets are /16 to /28 and lie inside the VPC block; undefined when it fits. */
export function maskFix(vpcPrefix: number, mask: number): string | undefined {
  const min = Math.max(LARGEST_SUBNET_PREFIX, vpcPrefix);
  if (Number.isInteger(mask) && mask >= min && mask <= SMALLEST_SUBNET_PREFIX) return undefined;
  return `must be a prefix length from ${min} (the VPC block's) to ${SMALLEST_SUBNET_PREFIX} (AWS's smallest subnet)`;
}
