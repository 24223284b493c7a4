/**
 * Where each stack's servers run, which decides its NAT gateways when `network.natGateways` is
 * unset: servers in private subnets need NAT for egress; servers in public subnets would leave
 * it idle. The stacks build their VPC from it, and the configuration schema checks the NAT
 * gateways' Elastic IP allocations against it.
 */
import type { StackName } from "../config/schema";
import { DEFAULT_NAT_GATEWAYS, NatGatewayMode } from "../constructs/network/multi-az-vpc";

export const SERVER_TIERS: Readonly<Record<StackName, "public" | "private">> = {
  // Behind an Elastic IP of its own.
  recovery: "public",
  // Behind the Elastic IP that follows it.
  multiaz: "public",
  // Behind the load balancer.
  web: "private",
};

/** The NAT gateways of a stack class: the configured mode, else what its servers need. */
export function natGatewayMode(stack: StackName, configured: NatGatewayMode | undefined): NatGatewayMode {
  return configured ?? (SERVER_TIERS[stack] === "private" ? DEFAULT_NAT_GATEWAYS : "none");
}
