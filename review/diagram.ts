/**
 * The architecture picture of one stack, as Graphviz DOT, drawn from its resource graph: the
 * VPC with one column per AZ and its subnets (tier and CIDR), what runs in each subnet, the
 * groups and load balancer that span AZs, the endpoint (DNS name, Elastic IP), alarms with
 * their action, the SNS topic and the image pipeline. Plumbing a reviewer reads better in the
 * tables (IAM, security groups, route tables, policies) is left out: see {@link isDrawn}.
 */
import { ec2ActionOf } from "../lib/ec2-alarm-actions";
import { ResourceGraph, ResourceNode, blocks, literal, num, strings } from "../lib/resource-graph";
import { Mechanism } from "../model/types";
import { ImageFormat, graphviz } from "./graphviz";
import { azsOf } from "./locate";

/** Where a drawn resource is placed. */
type Place = "subnet" | "vpc" | Cluster;

/** The clusters outside the VPC, top to bottom. */
type Cluster = "endpoint" | "monitoring" | "automation" | "notifications" | "launch";

/** Each cluster's title, from what it holds: "alarms and scaling" only where a scaling policy is drawn. */
const CLUSTERS: Readonly<Record<Cluster, (members: readonly ResourceNode[]) => string>> = {
  endpoint: () => "endpoint",
  launch: (members) => (members.length > 1 ? "launch templates" : "launch template"),
  monitoring: (members) => (members.some((n) => n.type === "aws_autoscaling_policy") ? "alarms and scaling" : "alarms"),
  automation: () => "events and automation",
  notifications: () => "notifications",
};

interface Shape {
  readonly place: Place;
  readonly fill: string;
  /** Lines of the label; the first names the kind of resource. */
  label(node: ResourceNode, graph: ResourceGraph): string[];
}

const text = (v: unknown) => literal(v) ?? (typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
const nameTag = (n: ResourceNode) => text((n.values.tags as Record<string, unknown> | undefined)?.Name) ?? text(n.values.name);
/** The last segment of a long name, for labels that must stay short. */
const short = (v: string | undefined, max = 34) => (v === undefined ? undefined : v.length <= max ? v : `…${v.slice(-(max - 1))}`);
const lines = (...l: (string | undefined | false)[]) => l.filter((x): x is string => typeof x === "string" && x !== "");

const COLORS = {
  compute: "#fde9c9",
  network: "#ffffff",
  balancing: "#e4dcf7",
  endpoint: "#d9ecff",
  alarm: "#fde2e2",
  automation: "#e6f4ea",
  notify: "#fff7c2",
} as const;

/** Resources drawn as nodes, by type. */
const SHAPES: Readonly<Record<string, Shape>> = {
  aws_instance: { place: "subnet", fill: COLORS.compute, label: (n) => lines("EC2 instance", nameTag(n), text(n.values.instance_type)) },
  aws_nat_gateway: {
    place: "subnet",
    fill: COLORS.network,
    label: (n, g) =>
      lines(
        "NAT gateway",
        g.referenced(n, "allocation_id", "aws_eip").length > 0
          ? "+ Elastic IP"
          : text(n.values.allocation_id)?.startsWith("eipalloc-") && "+ existing Elastic IP",
      ),
  },
  aws_efs_mount_target: { place: "subnet", fill: COLORS.automation, label: () => ["EFS mount target"] },
  aws_internet_gateway: { place: "vpc", fill: COLORS.network, label: () => ["internet gateway"] },
  aws_vpc_endpoint: { place: "vpc", fill: COLORS.network, label: (n) => lines("VPC endpoint", short(text(n.values.service_name))) },
  aws_efs_file_system: {
    place: "vpc",
    fill: COLORS.automation,
    label: (n) => lines("EFS file system", text(n.values.availability_zone_name) ? "One Zone" : "regional"),
  },
  aws_lb: {
    place: "vpc",
    fill: COLORS.balancing,
    label: (n, g) =>
      lines(
        `load balancer (${text(n.values.load_balancer_type) ?? "application"})`,
        text(n.values.internal) === "true" ? "internal" : "internet-facing",
        `in ${azsOf(n, g).length} AZs`,
      ),
  },
  aws_lb_target_group: {
    place: "vpc",
    fill: COLORS.balancing,
    label: (n) => {
      const hc = blocks(n.values.health_check)[0] ?? {};
      return lines(
        `target group ${text(n.values.protocol) ?? ""}:${text(n.values.port) ?? ""}`,
        text(hc.path) && `health ${text(hc.path)} every ${text(hc.interval) ?? 30} s`,
        text(hc.unhealthy_threshold) && `unhealthy after ${text(hc.unhealthy_threshold)}`,
      );
    },
  },
  aws_autoscaling_group: {
    place: "vpc",
    fill: COLORS.compute,
    label: (n, g) => {
      // A warm pool is a block of the group or a resource of its own.
      const pool = blocks(n.values.warm_pool)[0] ?? g.referencing(n, "aws_autoscaling_warm_pool", "autoscaling_group_name")[0]?.values;
      return lines(
        "Auto Scaling group",
        `min ${text(n.values.min_size) ?? "?"} / max ${text(n.values.max_size) ?? "?"}${text(n.values.desired_capacity) ? ` / desired ${text(n.values.desired_capacity)}` : ""}`,
        `health ${text(n.values.health_check_type) ?? "EC2"}, grace ${text(n.values.health_check_grace_period) ?? 300} s`,
        pool && `warm pool: ${text(pool.min_size) ?? 0} ${text(pool.pool_state) ?? "Stopped"}`,
      );
    },
  },
  aws_launch_template: {
    place: "launch",
    fill: COLORS.compute,
    label: (n) => {
      const image = text(n.values.image_id);
      return lines("launch template", text(n.values.instance_type), image && `image ${short(image.replace(/^resolve:ssm:/, "SSM "), 40)}`);
    },
  },
  aws_route53_record: { place: "endpoint", fill: COLORS.endpoint, label: (n) => lines(`DNS ${text(n.values.type) ?? ""}`, text(n.values.name)) },
  aws_eip: { place: "endpoint", fill: COLORS.endpoint, label: (n) => lines("Elastic IP", nameTag(n)) },
  aws_cloudwatch_metric_alarm: {
    place: "monitoring",
    fill: COLORS.alarm,
    label: (n) =>
      lines(
        "alarm",
        text(n.values.metric_name),
        `${COMPARISONS[text(n.values.comparison_operator) ?? ""] ?? "?"} ${text(n.values.threshold) ?? "?"} for ${text(n.values.datapoints_to_alarm) ?? text(n.values.evaluation_periods) ?? "?"} × ${text(n.values.period) ?? "?"} s`,
      ),
  },
  aws_autoscaling_policy: {
    place: "monitoring",
    fill: COLORS.alarm,
    label: (n) => {
      const tracking = blocks(n.values.target_tracking_configuration)[0];
      const metric = text(blocks(tracking?.predefined_metric_specification)[0]?.predefined_metric_type);
      return tracking
        ? lines("scaling policy", `keep ${short(metric?.replace(/^ASGAverage/, "average "), 24) ?? "metric"} at ${text(tracking.target_value) ?? "?"}`)
        : lines(
            "scaling policy",
            text(n.values.scaling_adjustment) && `${num(n.values.scaling_adjustment)! > 0 ? "+" : ""}${text(n.values.scaling_adjustment)} instance(s)`,
          );
    },
  },
  aws_dlm_lifecycle_policy: {
    place: "automation",
    fill: COLORS.automation,
    label: (n) => {
      const schedule = blocks(blocks(n.values.policy_details)[0]?.schedule)[0];
      const create = blocks(schedule?.create_rule)[0];
      const retain = blocks(schedule?.retain_rule)[0];
      return lines("Data Lifecycle Manager", create && `AMI every ${text(create.interval) ?? "?"} h`, retain && `keep ${text(retain.count) ?? "?"}`);
    },
  },
  aws_ssm_parameter: { place: "automation", fill: COLORS.automation, label: (n) => lines("SSM parameter", short(text(n.values.name))) },
  aws_lambda_function: { place: "automation", fill: COLORS.automation, label: (n) => lines("Lambda", short(text(n.values.function_name))) },
  aws_cloudwatch_event_rule: { place: "automation", fill: COLORS.automation, label: (n) => lines("EventBridge rule", short(text(n.values.name))) },
  aws_sns_topic: { place: "notifications", fill: COLORS.notify, label: (n) => lines("SNS topic", short(text(n.values.name))) },
};

const COMPARISONS: Readonly<Record<string, string>> = {
  GreaterThanOrEqualToThreshold: "≥",
  GreaterThanThreshold: ">",
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "≤",
};

/** Resources drawn as an edge between two of the resources they refer to, with its label. */
const CONNECTORS: Readonly<Record<string, { from: string; to: string; attrs: (n: ResourceNode, to: ResourceNode) => string }>> = {
  aws_lb_listener: {
    from: "load_balancer_arn",
    to: "default_action",
    attrs: (n) => `label=${q(`${text(n.values.protocol) ?? "HTTP"} :${text(n.values.port) ?? "?"}`)}`,
  },
  aws_autoscaling_attachment: { from: "lb_target_group_arn", to: "autoscaling_group_name", attrs: () => `label="registers"` },
  aws_autoscaling_notification: { from: "group_names", to: "topic_arn", attrs: () => NOTIFY },
  aws_cloudwatch_event_target: { from: "rule", to: "arn", attrs: (_, to) => (to.type === "aws_sns_topic" ? NOTIFY : `label="runs"`) },
  aws_eip_association: { from: "allocation_id", to: "instance_id", attrs: () => `label="associated"` },
};

const NOTIFY = `label="notify", style=dashed`;

/**
 * What spans AZs, linked to each subnet it refers to (the first, by AZ, carries the label): a
 * group launches into its subnets, a load balancer has a node in each of its subnets.
 */
const SPANNING: Readonly<Record<string, string>> = {
  aws_autoscaling_group: "launches into",
  aws_lb: "a node in each",
};

/** Whether resources of `type` appear in the picture (as a node, an edge, a cluster or a label). */
export function isDrawn(type: string): boolean {
  return type in SHAPES || type in CONNECTORS || ["aws_vpc", "aws_subnet", "aws_flow_log", "aws_autoscaling_warm_pool"].includes(type);
}

const TIER_FILL: Readonly<Record<string, string>> = { public: "#e3f4e3", private: "#e3ecf9", isolated: "#eeeeee" };

/** What the stack's model says about its resources (recover/reboot alarms). */
export interface DiagramContext {
  readonly stack: string;
  readonly mechanisms: readonly Mechanism[];
}

/**
 * The stack's architecture picture, rendered. dot orders clusters to reduce edge crossings,
 * which can put the AZ columns out of name order; the order the columns are written in
 * changes the result, so the layout is tried with the columns written in successive orders
 * until the columns appear as `ap-northeast-2a, 2b, 2c` (or the fewest out of order). Every
 * try is a call into the one in-process Graphviz.
 */
export async function renderArchitecture(graph: ResourceGraph, context: DiagramContext, format: ImageFormat): Promise<string> {
  const gv = await graphviz();
  const azs = stackAzs(graph);
  let best: { dot: string; inversions: number } | undefined;
  for (const order of permutations(azs, MAX_LAYOUT_TRIES)) {
    const dot = architectureDot(graph, context, order);
    const inversions = countInversions(columnOrder(gv.render(dot, "plain"), graph));
    if (!best || inversions < best.inversions) best = { dot, inversions };
    if (inversions === 0) break;
  }
  return gv.render(best?.dot ?? architectureDot(graph, context, azs), format);
}

/** Layouts tried at most: every order of up to 5 AZs. */
const MAX_LAYOUT_TRIES = 120;

/** The DOT source of the stack's architecture picture, the AZ columns written in `azOrder`. */
export function architectureDot(graph: ResourceGraph, context: DiagramContext, azOrder: readonly string[] = stackAzs(graph)): string {
  const nodes = Object.keys(SHAPES)
    .flatMap((t) => graph.ofType(t))
    .filter((n) => !(n.type === "aws_eip" && isNatAddress(n, graph)));
  const drawn = new Set(nodes.map((n) => n.address));
  const out: string[] = [];
  const vpc = graph.ofType("aws_vpc")[0];
  const flowLog = vpc ? graph.referencing(vpc, "aws_flow_log", "vpc_id")[0] : undefined;

  out.push(`digraph ${q(context.stack)} {`);
  out.push(
    `graph [fontname="Helvetica", fontsize=14, labelloc=t, newrank=true, compound=true, nodesep=0.25, ranksep=0.4, label=${q(`stack ${context.stack}: planned architecture`)}];`,
  );
  out.push(`node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", color="#666666", margin="0.12,0.05"];`);
  out.push(`edge [fontname="Helvetica", fontsize=9, color="#555555", fontcolor="#333333"];`);

  const placed = (place: Place) => nodes.filter((n) => SHAPES[n.type].place === place);
  const emitNode = (n: ResourceNode) => {
    const shape = SHAPES[n.type];
    out.push(`${q(n.address)} [label=${q(shape.label(n, graph).join("\n"))}, fillcolor=${q(shape.fill)}];`);
  };

  emitCluster(out, "endpoint", placed("endpoint"), emitNode);

  // The VPC: one column per AZ, the subnets of each AZ stacked public over private.
  const subnetsByAz = subnetsPerAz(graph);
  const contents = (subnet: ResourceNode) =>
    placed("subnet").filter((n) => graph.referenced(n, "subnet_id", "aws_subnet").some((x) => x.address === subnet.address));
  const anchors: string[][] = [];
  if (vpc) {
    out.push(`subgraph cluster_vpc {`);
    out.push(
      `label=${q(lines(`VPC ${nameTag(vpc) ?? ""}`, text(vpc.values.cidr_block), flowLog && `flow logs: ${text(flowLog.values.traffic_type) ?? "on"}`).join("\n"))}; style="rounded"; color="#4a6fa5"; bgcolor="#f7faff"; fontsize=12;`,
    );
    for (const n of placed("vpc")) emitNode(n);
    azOrder.forEach((az, i) => {
      out.push(`subgraph cluster_az_${i} { label=${q(az)}; style="rounded,dashed"; color="#7f8fa6"; bgcolor="#ffffff"; fontsize=11;`);
      const subnets = subnetsByAz.get(az)!.sort((a, b) => TIERS.indexOf(tierOf(a, graph)) - TIERS.indexOf(tierOf(b, graph)));
      for (const s of subnets) {
        const tier = tierOf(s, graph);
        out.push(
          `subgraph ${q(`cluster_${s.address}`)} { label=${q(`${tier} ${text(s.values.cidr_block) ?? ""}`)}; style="rounded,filled"; fillcolor=${q(TIER_FILL[tier])}; color="#9aa5b1"; fontsize=10;`,
        );
        out.push(`${q(anchorOf(s))} [shape=point, style=invis, width=0.01, label=""];`);
        contents(s).forEach(emitNode);
        out.push(`}`);
      }
      // Keep each AZ's subnets in tier order, top to bottom: everything in one subnet above the next.
      const members = (subnet: ResourceNode) => [anchorOf(subnet), ...contents(subnet).map((n) => n.address)];
      subnets.slice(1).forEach((next, j) => {
        for (const above of members(subnets[j])) for (const below of members(next)) out.push(`${q(above)} -> ${q(below)} [style=invis];`);
      });
      anchors.push(subnets.map(anchorOf));
      out.push(`}`);
    });
    out.push(`}`);
    // The AZs side by side: their top subnets on one rank.
    const tops = anchors.map((c) => c[0]);
    if (tops.length > 1) out.push(`{ rank=same; ${tops.map(q).join("; ")}; }`);
    // What spans the AZs (gateway, load balancer, groups) sits above their columns.
    for (const n of placed("vpc")) for (const top of tops) out.push(`${q(n.address)} -> ${q(top)} [style=invis];`);
  }

  // What acts on the VPC's resources sits below the VPC, not beside it.
  const below = (["launch", "monitoring", "automation", "notifications"] as const).flatMap((cluster) => {
    emitCluster(out, cluster, placed(cluster), emitNode);
    return placed(cluster);
  });
  for (const bottom of anchors.map((c) => c[c.length - 1])) {
    for (const n of below) out.push(`${q(bottom)} -> ${q(n.address)} [style=invis];`);
  }

  for (const edge of edges(graph, nodes, drawn, context)) out.push(edge);

  out.push(`}`);
  return `${out.join("\n")}\n`;
}

const TIERS = ["public", "private", "isolated"];

function subnetsPerAz(graph: ResourceGraph): Map<string, ResourceNode[]> {
  const out = new Map<string, ResourceNode[]>();
  for (const s of graph.ofType("aws_subnet")) {
    const az = literal(s.values.availability_zone) ?? "unknown AZ";
    out.set(az, [...(out.get(az) ?? []), s]);
  }
  return out;
}

/** The AZs of the stack's subnets, in name order. */
function stackAzs(graph: ResourceGraph): string[] {
  return [...subnetsPerAz(graph).keys()].sort();
}

/** The AZs from left to right in a layout (`dot -Tplain`), by the mean x of their subnets' anchors. */
function columnOrder(plain: string, graph: ResourceGraph): string[] {
  const x = new Map<string, number>();
  for (const m of plain.matchAll(/^node ("(?:[^"\\]|\\.)*"|\S+) ([\d.]+) /gm)) x.set(m[1].replace(/^"|"$/g, ""), Number(m[2]));
  const mean = (subnets: ResourceNode[]) => subnets.reduce((sum, s) => sum + (x.get(anchorOf(s)) ?? 0), 0) / subnets.length;
  return [...subnetsPerAz(graph)].sort(([, a], [, b]) => mean(a) - mean(b)).map(([az]) => az);
}

/** How many pairs of AZs stand in the wrong order. */
function countInversions(order: readonly string[]): number {
  let n = 0;
  order.forEach((a, i) => order.slice(i + 1).forEach((b) => (n += a > b ? 1 : 0)));
  return n;
}

/** Up to `limit` orders of `items`, the given order first (lexicographic by position). */
function* permutations<T>(items: readonly T[], limit: number): Generator<T[]> {
  const index = items.map((_, i) => i);
  for (let produced = 0; produced < limit; produced++) {
    yield index.map((i) => items[i]);
    // Next permutation: the rightmost ascent, swapped with its smallest larger successor, tail reversed.
    let i = index.length - 2;
    while (i >= 0 && index[i] > index[i + 1]) i--;
    if (i < 0) return;
    let j = index.length - 1;
    while (index[j] < index[i]) j--;
    [index[i], index[j]] = [index[j], index[i]];
    index.splice(i + 1, index.length - i - 1, ...index.slice(i + 1).reverse());
  }
}

/** A subnet's tier: its `Tier` tag, else public when its route table leads to an internet gateway. */
function tierOf(subnet: ResourceNode, graph: ResourceGraph): string {
  const tag = text((subnet.values.tags as Record<string, unknown> | undefined)?.Tier);
  if (tag && TIERS.includes(tag)) return tag;
  return internetRoutes(subnet, graph).length > 0 ? "public" : "private";
}

/** The routes (`aws_route`) of a subnet's route tables to an internet gateway: the gateway and the destination. */
function internetRoutes(subnet: ResourceNode, graph: ResourceGraph): { gateway: ResourceNode; destination?: string }[] {
  const tables = graph.referencing(subnet, "aws_route_table_association", "subnet_id").flatMap((a) => graph.referenced(a, "route_table_id", "aws_route_table"));
  return tables
    .flatMap((table) => graph.referencing(table, "aws_route", "route_table_id"))
    .flatMap((route) =>
      graph
        .referenced(route, "gateway_id", "aws_internet_gateway")
        .map((gateway) => ({ gateway, destination: text(route.values.destination_cidr_block) ?? text(route.values.destination_ipv6_cidr_block) })),
    );
}

function isNatAddress(eip: ResourceNode, graph: ResourceGraph): boolean {
  return graph.referencing(eip, "aws_nat_gateway", "allocation_id").length > 0;
}

const anchorOf = (subnet: ResourceNode) => `${subnet.address}#anchor`;

function emitCluster(out: string[], cluster: Cluster, members: ResourceNode[], emitNode: (n: ResourceNode) => void): void {
  if (members.length === 0) return;
  out.push(`subgraph cluster_${cluster} { label=${q(CLUSTERS[cluster](members))}; style="rounded,dashed"; color="#9aa5b1"; fontsize=11;`);
  members.forEach(emitNode);
  out.push(`}`);
}

/**
 * The edges, each labelled with what the link does: references between drawn resources,
 * connectors, what spans AZs to its subnets, public subnets to the internet gateway.
 */
function edges(graph: ResourceGraph, nodes: ResourceNode[], drawn: ReadonlySet<string>, context: DiagramContext): string[] {
  const out = new Map<string, string>();
  const add = (from: string, to: string, attrs: string, upward = false) => {
    if (from === to || out.has(`${from} ${to}`)) return;
    // An upward edge is laid out from its head, so its tail (an alarm) lands below what it acts on.
    const [tail, head, dir] = upward ? [to, from, ["dir=back"]] : [from, to, []];
    const all = [...dir, ...(attrs ? [attrs] : [])].join(", ");
    out.set(`${from} ${to}`, `${q(tail)} -> ${q(head)}${all ? ` [${all}]` : ""};`);
  };
  const ec2Actions = new Map(
    context.mechanisms.filter((m) => m.kind === "recover-alarm" || m.kind === "reboot-alarm").map((m) => [m.address, m.kind.replace("-alarm", "")]),
  );

  for (const n of nodes) {
    for (const attr of Object.keys(n.references)) {
      for (const target of graph.referenced(n, attr)) {
        if (!drawn.has(target.address)) continue;
        add(n.address, target.address, edgeStyle(n, attr, target, ec2Actions), isUpward(SHAPES[n.type].place, SHAPES[target.type].place));
      }
    }
  }
  const byAz = (a: ResourceNode, b: ResourceNode) => (text(a.values.availability_zone) ?? "").localeCompare(text(b.values.availability_zone) ?? "");
  for (const n of nodes.filter((x) => x.type in SPANNING)) {
    const subnets = Object.keys(n.references)
      .flatMap((attr) => graph.referenced(n, attr, "aws_subnet"))
      .sort(byAz);
    subnets.forEach((subnet, i) =>
      add(
        n.address,
        anchorOf(subnet),
        [`lhead=${q(`cluster_${subnet.address}`)}`, "style=dashed", "arrowsize=0.6", i === 0 && `label=${q(SPANNING[n.type])}`].filter(Boolean).join(", "),
      ),
    );
  }
  // A public subnet's route to the internet gateway, drawn from the gateway above the columns.
  const routed = graph
    .ofType("aws_subnet")
    .sort(byAz)
    .flatMap((subnet) => internetRoutes(subnet, graph).map((r) => ({ subnet, ...r })));
  routed
    .filter((r) => drawn.has(r.gateway.address))
    .forEach((r, i, all) => {
      const first = all.findIndex((x) => x.gateway.address === r.gateway.address) === i;
      add(
        anchorOf(r.subnet),
        r.gateway.address,
        [`lhead=${q(`cluster_${r.subnet.address}`)}`, first && `label=${q(`route ${r.destination ?? ""}`.trim())}`].filter(Boolean).join(", "),
        true,
      );
    });
  for (const eip of graph.ofType("aws_eip").filter((e) => drawn.has(e.address))) {
    for (const server of claimants(eip, graph).filter((x) => drawn.has(x.address))) add(eip.address, server.address, `label="claimed at boot", style=dashed`);
    for (const group of movedOnto(eip, graph).filter((x) => drawn.has(x.address)))
      add(eip.address, group.address, `label="on the server in service", style=dashed`);
  }
  for (const [type, c] of Object.entries(CONNECTORS)) {
    for (const n of graph.ofType(type)) {
      for (const from of graph.referenced(n, c.from).filter((x) => drawn.has(x.address))) {
        for (const to of graph.referenced(n, c.to).filter((x) => drawn.has(x.address))) add(from.address, to.address, c.attrs(n, to));
      }
    }
  }
  // The AMI pipeline's links by name, which Terraform cannot hold as references (the parameter
  // is first written by the function, so the function cannot refer to it): the function writes the
  // parameter, the launch template reads it at launch.
  for (const parameter of graph.ofType("aws_ssm_parameter").filter((p) => drawn.has(p.address))) {
    const name = literal(parameter.values.name);
    if (!name) continue;
    for (const fn of graph.ofType("aws_lambda_function").filter((f) => drawn.has(f.address))) {
      if (!JSON.stringify(fn.values.environment ?? "").includes(JSON.stringify(name))) continue;
      add(
        fn.address,
        parameter.address,
        literal(parameter.values.data_type) === "aws:ec2:image" ? `label="writes newest AMI"` : `label="records", style=dotted`,
      );
    }
    for (const template of graph.ofType("aws_launch_template").filter((t) => drawn.has(t.address))) {
      if (literal(template.values.image_id) === `resolve:ssm:${name}`) add(parameter.address, template.address, `label="image at launch", style=dashed`);
    }
  }
  return [...out.values()];
}

/** How far down the picture each place is: the endpoint, the VPC, its subnets, what acts on them, the topic. */
const DEPTH: Readonly<Record<Place, number>> = { endpoint: 0, vpc: 1, subnet: 2, launch: 3, monitoring: 3, automation: 3, notifications: 4 };

/**
 * Whether a reference points up the picture: from an alarm or policy to what it acts on, from a
 * subnet's resource to what spans the VPC (a mount target to its file system), from a launch
 * template or a function to what it names in the VPC or the endpoint. Laid out as drawn, such an
 * edge would pull its head below its tail.
 */
function isUpward(from: Place, to: Place): boolean {
  return DEPTH[to] < DEPTH[from];
}

/**
 * The servers that take an Elastic IP over themselves (the course's `multiaz-elasticip`): those
 * launched with an instance profile whose role may `ec2:AssociateAddress` this address.
 */
function claimants(eip: ResourceNode, graph: ResourceGraph): ResourceNode[] {
  return rolesMoving(eip, graph)
    .flatMap((role) => graph.referencing(role, "aws_iam_instance_profile", "role"))
    .flatMap((profile) => graph.referencing(profile, "aws_launch_template", "iam_instance_profile"))
    .flatMap((template) => [
      ...graph.referencing(template, "aws_autoscaling_group", "launch_template"),
      ...graph.referencing(template, "aws_instance", "launch_template"),
    ]);
}

/** The roles whose inline policies may `ec2:AssociateAddress` this address. */
function rolesMoving(eip: ResourceNode, graph: ResourceGraph): ResourceNode[] {
  return graph
    .ofType("aws_iam_role_policy")
    .filter(
      (p) => Object.values(p.references).some((refs) => refs.includes(eip.address)) && JSON.stringify(p.values.policy ?? "").includes("ec2:AssociateAddress"),
    )
    .flatMap((p) => graph.referenced(p, "role", "aws_iam_role"));
}

/**
 * The groups an Elastic IP is moved onto by a function (the endpoint takeover): a function
 * whose role may associate the address, and whose environment names the group.
 */
function movedOnto(eip: ResourceNode, graph: ResourceGraph): ResourceNode[] {
  const functions = rolesMoving(eip, graph).flatMap((role) => graph.referencing(role, "aws_lambda_function", "role"));
  const groupNames = new Set(
    functions.map((f) => literal((blocks(f.values.environment)[0]?.variables as Record<string, unknown> | undefined)?.GROUP_NAME)).filter(Boolean),
  );
  return graph.ofType("aws_autoscaling_group").filter((g) => groupNames.has(literal(g.values.name)));
}

function edgeStyle(from: ResourceNode, attr: string, to: ResourceNode, ec2Actions: ReadonlyMap<string, string>): string {
  // The takeover function moves the address (its environment names the allocation).
  if (from.type === "aws_lambda_function" && to.type === "aws_eip") return `label="moves at launch"`;
  // The publisher reads the policy id to publish only that policy's AMIs.
  if (from.type === "aws_lambda_function" && to.type === "aws_dlm_lifecycle_policy") return `label="AMIs of", style=dotted`;
  if (from.type === "aws_cloudwatch_metric_alarm") {
    if (to.type === "aws_sns_topic") return `label="notify", style=dashed`;
    if (to.type === "aws_autoscaling_policy") return `label="scale"`;
    if (attr === "dimensions") {
      const automate = strings(from.values.alarm_actions).map(ec2ActionOf).find(Boolean);
      const action = automate ?? ec2Actions.get(from.address);
      return action ? `label=${q(action)}, color="#c0392b", fontcolor="#c0392b", penwidth=1.4` : `label="watches", style=dotted`;
    }
  }
  if (to.type === "aws_sns_topic") return NOTIFY;
  if (from.type === "aws_autoscaling_group" && to.type === "aws_lb_target_group") return `label="registers"`;
  // The alarms that stop the group's instance refresh (instance_refresh.preferences.alarm_specification).
  if (from.type === "aws_autoscaling_group" && to.type === "aws_cloudwatch_metric_alarm") return `label="refresh stops on", style=dotted`;
  if (from.type === "aws_autoscaling_policy") return `label="scales"`;
  if (to.type === "aws_launch_template") return `label=${q(from.type === "aws_autoscaling_group" ? "launches from" : "launched from")}`;
  // What a server's boot script names (user data): the file system it mounts, the address it takes.
  if (from.type === "aws_launch_template")
    return `label=${q(to.type === "aws_efs_file_system" ? "mounted at boot" : to.type === "aws_eip" ? "claimed at boot" : "named at boot")}, style=dashed`;
  if (from.type === "aws_route53_record") return `label=${q(blocks(from.values.alias).length > 0 ? "alias" : "resolves to")}`;
  if (from.type === "aws_efs_mount_target") return `label="NFS"`;
  if (from.type === "aws_lb_listener") return `label="forwards"`;
  return "";
}

/** DOT double-quoted string. */
function q(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
