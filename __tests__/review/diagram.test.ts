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
      workers: { min_size: 1, max_size: 1, vpc_zone_identifier: ["${aws_subnet.priv_a.id}", "${aws_subnet.priv_b.id}"], warm_pool: { min_size: 1, pool_state: "Stopped" } },
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
    expect(dot).toContain('"aws_efs_file_system.state" -> "aws_efs_mount_target.b" [dir=back];');
  });

  test("draws the endpoint chain and the alarm with its EC2 action and its notification", () => {
    expect(clusterBody(dot, "subgraph cluster_endpoint")).toContain('"aws_route53_record.name" [label="DNS A\\ndemo.example.com"');
    expect(dot).toContain('"aws_route53_record.name" -> "aws_eip.ip";');
    expect(dot).toContain('"aws_eip.ip" -> "aws_instance.server";');
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
    const svg = (await graphviz())
      .render(dot, "svg")
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
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
    const x = (address: string) => Number(plain.split("\n").find((l) => l.startsWith(`node "${address}#anchor" `))!.split(" ")[2]);
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
