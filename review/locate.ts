/**
 * Where a resource lives: the availability zones it is bound to, from its own
 * `availability_zone` (subnets, volumes) or from the subnets it refers to (instances, NAT
 * gateways, mount targets, Auto Scaling groups, load balancers). No AZs means regional.
 */
import { ResourceGraph, ResourceNode, literal, strings } from "../lib/resource-graph";

export function azsOf(node: ResourceNode, graph: ResourceGraph): string[] {
  const own = literal(node.values.availability_zone);
  if (own) return [own];
  const listed = strings(node.values.availability_zones).filter((az) => literal(az) !== undefined);
  const viaSubnets = Object.keys(node.references)
    .flatMap((attr) => graph.referenced(node, attr, "aws_subnet"))
    .map((s) => literal(s.values.availability_zone))
    .filter((az): az is string => az !== undefined);
  return [...new Set([...listed, ...viaSubnets])].sort();
}
