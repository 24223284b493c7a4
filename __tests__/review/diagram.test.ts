/**
 * The architecture picture: DOT drawn from a stack's resources, and its rendering by Graphviz
 * (in process, WebAssembly).
 */
import { ResourceGraph } from "../../lib/resource-graph";
import { architectureDot, isDrawn, renderArchitecture } from "../../review/diagram";
import { graphviz } from "../../review/graphviz";
import { synthStack } from "../helpers";

const subnet = (az: string, tier: string, cidr: string) => ({ vpc_id: "${aws_vpc.main.id}", availability_zone: az, cidr_block: cidr, tags: { Tier: tier } });

/** A small stack: a server in a public subnet of AZ a with a recover alarm, a group across the private subnets. */
const STACK = {
  resource: {
    aws_vpc: { main: { cidr_block: "10.0.0.0/16", tags: { Name: "demo" } } },
    aws_flow_log: { all: { vpc_id: "${aws_vpc.main.id}", traffic_type: "ALL" } },
    aws_subnet: {
      pub_a: subnet("ap-northeast-2a", "public", "10.0.128.0/24"),
      priv_a: subnet("ap-northeast-2a", "private", "10.0.0.0/20"),
      pub_b: subnet("ap-northeast-2b", "public", "10.0.129.0/24"),
      priv_b: subnet("ap-northeast-2b", "private", "10.0.16.0/20"),
    },
    aws_instance: { server: { subnet_id: "${aws_subnet.pub_a.id}", instance_type: "t3.micro", tags: { Name: "demo-server" } } },
    aws_eip: { ip: { domain: "vpc" } },
    aws_eip_association: { ip: { allocation_id: "${aws_eip.ip.id}", instance_id: "${aws_instance.server.id}" } },
    aws_route53_record: { name: { type: "A", name: "demo.example.com", records: ["${aws_eip.ip.public_ip}"] } },
    aws_sns_topic: { alerts: { name: "demo-alerts" } },
    aws_cloudwatch_metric_alarm: {
      recover: {
        metric_name: "StatusCheckFailed_System",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        evaluation_periods: 2,
        period: 60,
        dimensions: { InstanceId: "${aws_instance.server.id}" },
        alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:recover", "${aws_sns_topic.alerts.arn}"],
      },
    },
    aws_autoscaling_group: {
      workers: {
        min_size: 1,
        max_size: 1,
        vpc_zone_identifier: ["${aws_subnet.priv_a.id}", "${aws_subnet.priv_b.id}"],
        warm_pool: { min_size: 1, pool_state: "Stopped" },
      },
    },
    aws_efs_file_system: { state: {} },
    aws_efs_mount_target: { b: { file_system_id: "${aws_efs_file_system.state.id}", subnet_id: "${aws_subnet.priv_b.id}" } },
    aws_iam_role: { role: { name: "demo" } },
  },
};

/** The lines of the subgraph that opens with `opening`, up to its closing brace. */
function clusterBody(dot: string, opening: string): string {
  const lines = dot.split("\n");
  const start = lines.findIndex((l) => l.startsWith(opening));
  expect(start).toBeGreaterThanOrEqual(0);
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    depth += (lines[i].match(/\{/g) ?? []).length - (lines[i].match(/\}/g) ?? []).length;
    if (depth === 0) return lines.slice(start, i + 1).join("\n");
  }
  throw new Error(`unclosed ${opening}`);
}

describe("architecture diagram", () => {
  const dot = architectureDot(ResourceGraph.fromTerraformJson(STACK), { stack: "demo", mechanisms: [] });

  test("draws the VPC with its CIDR and flow logs, one cluster per AZ, and each subnet with tier and CIDR", () => {
    // GIVEN a VPC over two AZs WHEN drawn THEN the VPC cluster holds both AZ clusters
    const vpc = clusterBody(dot, "subgraph cluster_vpc {");
    expect(vpc).toContain('label="VPC demo\\n10.0.0.0/16\\nflow logs: ALL"');
    expect(clusterBody(vpc, 'subgraph cluster_az_0 { label="ap-northeast-2a"')).toContain('label="private 10.0.0.0/20"');
    expect(clusterBody(vpc, 'subgraph cluster_az_1 { label="ap-northeast-2b"')).toContain('label="public 10.0.129.0/24"');
  });

  test("places an instance inside its subnet, and what spans AZs in the VPC with an edge to each subnet", () => {
    expect(clusterBody(dot, 'subgraph "cluster_aws_subnet.pub_a"')).toContain('"aws_instance.server" [label="EC2 instance\\ndemo-server\\nt3.micro"');
    expect(clusterBody(dot, 'subgraph "cluster_aws_subnet.priv_a"')).not.toContain("aws_instance.server");
    expect(dot).toContain('"aws_autoscaling_group.workers" -> "aws_subnet.priv_a#anchor" [lhead="cluster_aws_subnet.priv_a"');
    expect(dot).toContain('"aws_autoscaling_group.workers" -> "aws_subnet.priv_b#anchor" [lhead="cluster_aws_subnet.priv_b"');
    expect(dot).toContain('"aws_autoscaling_group.workers" [label="Auto Scaling group\\nmin 1 / max 1\\nhealth EC2, grace 300 s\\nwarm pool: 1 Stopped"');
    // A mount target sits in its subnet and points up to the file system that spans the AZs.
    expect(clusterBody(dot, 'subgraph "cluster_aws_subnet.priv_b"')).toContain('"aws_efs_mount_target.b" [label="EFS mount target"');
    expect(dot).toContain('"aws_efs_file_system.state" -> "aws_efs_mount_target.b" [dir=back, label="NFS"];');
  });

  test("draws the endpoint chain and the alarm with its EC2 action and its notification", () => {
    expect(clusterBody(dot, "subgraph cluster_endpoint")).toContain('"aws_route53_record.name" [label="DNS A\\ndemo.example.com"');
    expect(dot).toContain('"aws_route53_record.name" -> "aws_eip.ip" [label="resolves to"];');
    expect(dot).toContain('"aws_eip.ip" -> "aws_instance.server" [label="associated"];');
    // The alarm acts on the instance; drawn from the instance's side so the alarm sits below it.
    expect(dot).toContain('"aws_instance.server" -> "aws_cloudwatch_metric_alarm.recover" [dir=back, label="recover"');
    expect(dot).toContain('"aws_cloudwatch_metric_alarm.recover" -> "aws_sns_topic.alerts" [label="notify", style=dashed];');
    expect(clusterBody(dot, "subgraph cluster_monitoring")).toContain("StatusCheckFailed_System\\n> 0 for 2 × 60 s");
  });

  test("leaves IAM and other plumbing out of the picture", () => {
    expect(dot).not.toContain("aws_iam_role");
    expect([isDrawn("aws_iam_role"), isDrawn("aws_instance"), isDrawn("aws_lb_listener"), isDrawn("aws_subnet")]).toEqual([false, true, true, true]);
  });

  test("Graphviz renders it as SVG with the labels a reviewer reads", async () => {
    // Graphviz writes some characters as entities ("-" as &#45;).
    const svg = (await graphviz()).render(dot, "svg").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg /);
    for (const text of [">ap-northeast-2a<", ">public 10.0.128.0/24<", ">demo.example.com<", ">recover<"]) expect(svg).toContain(text);
  });

  test.each(["recovery", "multiaz", "web"] as const)("the picture of stack %s shows its AZ columns in name order", async (name) => {
    // GIVEN a real stack, whose edges make dot prefer other column orders for some of them
    const { tf } = synthStack(name);
    const graph = ResourceGraph.fromTerraformJson(tf);
    // WHEN laid out
    const plain = await renderArchitecture(graph, { stack: name, mechanisms: [] }, "plain");
    // THEN the public subnets stand left to right in AZ name order
    const x = (address: string) =>
      Number(
        plain
          .split("\n")
          .find((l) => l.startsWith(`node "${address}#anchor" `))!
          .split(" ")[2],
      );
    const publicSubnets = graph.ofType("aws_subnet").filter((s) => s.values.tags && (s.values.tags as any).Tier === "public");
    const leftToRight = [...publicSubnets].sort((a, b) => x(a.address) - x(b.address)).map((s) => s.values.availability_zone);
    expect(leftToRight).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
  });

  test("draws the AMI pipeline's flow: the publisher writes the parameter the launch template reads", () => {
    // GIVEN the multiaz stack, whose parameter is linked by name, not by reference
    const graph = ResourceGraph.fromTerraformJson(synthStack("multiaz").tf);
    const dot = architectureDot(graph, { stack: "multiaz", mechanisms: [] });
    const address = (type: string) => graph.ofType(type)[0].address;
    // THEN the picture links function -> parameter -> template, and the function to its policy
    expect(dot).toContain(`"${address("aws_lambda_function")}" -> "${address("aws_ssm_parameter")}" [label="writes newest AMI"]`);
    expect(dot).toContain(`"${address("aws_ssm_parameter")}" -> "${address("aws_launch_template")}" [label="image at launch", style=dashed]`);
    expect(dot).toContain(`"${address("aws_lambda_function")}" -> "${address("aws_dlm_lifecycle_policy")}" [label="AMIs of", style=dotted]`);
  });

  test("fails with Graphviz's message on invalid DOT", async () => {
    const gv = await graphviz();
    expect(() => gv.render("digraph {", "svg")).toThrow(/^Graphviz cannot render the picture \(svg\): syntax error in line 1/);
  });
});

describe("architecture diagram: what readers asked about", () => {
  const drawn = (name: "recovery" | "multiaz" | "web", overrides = {}) => {
    const graph = ResourceGraph.fromTerraformJson(synthStack(name, overrides).tf);
    return { graph, dot: architectureDot(graph, { stack: name, mechanisms: [] }) };
  };
  const recovery = drawn("recovery");
  const web = drawn("web");
  const multiazEfs = drawn("multiaz", { multiaz: { efs: { enabled: true }, warmPool: { enabled: true } } });
  const all = {
    recovery,
    multiaz: drawn("multiaz"),
    web,
    "multiaz with EFS and warm pool": multiazEfs,
    "web with step scaling": drawn("web", { web: { scaling: { mode: "step" } } }),
  };
  /** The visible edges of a DOT text. */
  const edgesOf = (dot: string) => dot.split("\n").filter((l) => / -> /.test(l) && !l.includes("style=invis"));
  const publicSubnets = (graph: ResourceGraph) => graph.ofType("aws_subnet").filter((s) => (s.values.tags as Record<string, unknown>).Tier === "public");

  test("the launch template's cluster is called after it, not a launch configuration (another AWS resource)", () => {
    for (const { dot } of Object.values(all)) {
      expect(dot).toContain('subgraph cluster_launch { label="launch template";');
      expect(dot).not.toMatch(/launch configuration/);
    }
  });

  test("alarms are called alarms where nothing scales (recovery), alarms and scaling where a policy scales (web)", () => {
    expect(recovery.dot).toContain('subgraph cluster_monitoring { label="alarms";');
    expect(recovery.dot).not.toMatch(/scaling/);
    expect(web.dot).toContain('subgraph cluster_monitoring { label="alarms and scaling";');
  });

  test("the internet gateway is linked to each public subnet that routes to it, the route labelled once", () => {
    // GIVEN the recovery stack: public subnets route 0.0.0.0/0 to the gateway, private ones do not
    const igw = recovery.graph.ofType("aws_internet_gateway")[0].address;
    const fromGateway = edgesOf(recovery.dot).filter((l) => l.startsWith(`"${igw}" -> `));
    // THEN one edge per public subnet, pointing at the gateway, and none to a private subnet
    expect(fromGateway.map((l) => l.split(" -> ")[1].split(" ")[0]).sort()).toEqual(
      publicSubnets(recovery.graph)
        .map((s) => `"${s.address}#anchor"`)
        .sort(),
    );
    for (const l of fromGateway) expect(l).toMatch(/\[dir=back, lhead="cluster_aws_subnet\.[^"]+"/);
    expect(fromGateway.filter((l) => l.includes('label="route 0.0.0.0/0"'))).toHaveLength(1);
  });

  test("the load balancer is linked to each of its subnets, the public ones", () => {
    const lb = web.graph.ofType("aws_lb")[0].address;
    const toSubnets = edgesOf(web.dot).filter((l) => l.startsWith(`"${lb}" -> `) && l.includes("#anchor"));
    expect(toSubnets.map((l) => l.split(" -> ")[1].split(" ")[0]).sort()).toEqual(
      publicSubnets(web.graph)
        .map((s) => `"${s.address}#anchor"`)
        .sort(),
    );
    expect(toSubnets.filter((l) => l.includes('label="a node in each"'))).toHaveLength(1);
  });

  test("an edge from a launch template says what the boot script does with its target: mounts the file system, claims the address", () => {
    // GIVEN the EFS variant, whose template mounts the file system at boot
    const template = multiazEfs.graph.ofType("aws_launch_template")[0].address;
    const fileSystem = multiazEfs.graph.ofType("aws_efs_file_system")[0].address;
    // THEN the edge is labelled, drawn from the file system's side so the template stays below the VPC
    expect(multiazEfs.dot).toContain(`"${fileSystem}" -> "${template}" [dir=back, label="mounted at boot", style=dashed];`);
    // GIVEN a template whose user data names an Elastic IP (a server that takes the address itself)
    const claiming = ResourceGraph.fromTerraformJson({
      resource: {
        ...STACK.resource,
        aws_launch_template: { server: { instance_type: "t3.micro", user_data: '${base64encode("ALLOCATION=${aws_eip.ip.allocation_id}")}' } },
      },
    });
    expect(architectureDot(claiming, { stack: "demo", mechanisms: [] })).toContain(
      '"aws_eip.ip" -> "aws_launch_template.server" [dir=back, label="claimed at boot", style=dashed];',
    );
  });

  test("the web group is linked to the alarms that stop its instance refresh", () => {
    const edges = edgesOf(all.web.dot).filter((l) => l.startsWith('"aws_autoscaling_group.') && l.includes('-> "aws_cloudwatch_metric_alarm.'));
    expect(edges).toHaveLength(2);
    for (const edge of edges) expect(edge).toContain('label="refresh stops on"');
  });

  test.each(Object.keys(all))("every edge of %s says what it means: between two resources each is labelled, to a set of subnets one of them", (name) => {
    const edges = edgesOf(all[name as keyof typeof all].dot);
    expect(edges.filter((l) => !l.includes("#anchor") && !/label="[^"]+"/.test(l))).toEqual([]);
    // Edges to subnets: per resource, exactly one labelled.
    const sources = [...new Set(edges.filter((l) => l.includes("#anchor")).map((l) => l.split(" -> ")[0]))];
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(edges.filter((l) => l.startsWith(`${source} -> `) && l.includes("#anchor") && l.includes("label="))).toHaveLength(1);
  });
});
