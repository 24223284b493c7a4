/**
 * The resource graph reads links the same way from both inputs: `${...}` strings in a
 * synthesized JSON and `references` in a plan's configuration.
 */
import { ResourceGraph, blocks, num } from "../../lib/resource-graph";

describe("ResourceGraph.fromTerraformJson", () => {
  const graph = ResourceGraph.fromTerraformJson({
    data: { aws_partition: { current: {} } },
    resource: {
      aws_subnet: { a: { availability_zone: "ap-northeast-2a" }, b: { availability_zone: "ap-northeast-2b" } },
      aws_instance: { server: { subnet_id: "${aws_subnet.a.id}" } },
      aws_autoscaling_group: {
        group: {
          vpc_zone_identifier: ["${aws_subnet.a.id}", "${element(aws_subnet.b.*.id, 0)}"],
          launch_template: { id: "${aws_launch_template.missing.id}" },
        },
      },
      aws_cloudwatch_metric_alarm: {
        recover: {
          alarm_actions: ["arn:${data.aws_partition.current.partition}:automate:ap-northeast-2:ec2:recover"],
          dimensions: { InstanceId: "${aws_instance.server.id}" },
          alarm_description: "a text that mentions aws_instance.server outside an interpolation",
        },
      },
    },
  });
  const [alarm] = graph.ofType("aws_cloudwatch_metric_alarm");
  const [group] = graph.ofType("aws_autoscaling_group");

  test("follows references nested in blocks and inside function calls", () => {
    expect(graph.referenced(alarm, "dimensions").map((n) => n.address)).toEqual(["aws_instance.server"]);
    expect(graph.referenced(group, "vpc_zone_identifier", "aws_subnet").map((n) => n.address)).toEqual(["aws_subnet.a", "aws_subnet.b"]);
  });

  test("ignores data sources, plain text and references to resources the stack does not have", () => {
    expect(alarm.references).toEqual({ dimensions: ["aws_instance.server"] });
    expect(group.references.launch_template).toBeUndefined();
  });

  test("finds the resources that refer to a node", () => {
    const [server] = graph.ofType("aws_instance");
    expect(graph.referencing(server, "aws_cloudwatch_metric_alarm", "dimensions")).toEqual([alarm]);
  });
});

describe("ResourceGraph.fromPlanJson", () => {
  // The shape of `terraform show -json`: values in planned_values (unknown ones absent), links in configuration.
  const plan = {
    planned_values: {
      root_module: {
        resources: [
          { address: "aws_subnet.a", mode: "managed", type: "aws_subnet", name: "a", values: { availability_zone: "ap-northeast-2a" } },
          { address: "data.aws_partition.current", mode: "data", type: "aws_partition", name: "current", values: {} },
          {
            address: "aws_autoscaling_group.group",
            mode: "managed",
            type: "aws_autoscaling_group",
            name: "group",
            // A set lists its blocks in its own order, here one with its value known only after apply.
            values: { min_size: 1, launch_template: [{ version: "$Latest" }], tag: [{ key: "b", value: "2" }, { key: "a" }] },
          },
          // alarm_actions holds an ARN known only after apply: absent from the planned values
          { address: "aws_cloudwatch_metric_alarm.recover", mode: "managed", type: "aws_cloudwatch_metric_alarm", name: "recover", values: { period: 60 } },
          // A block's tags hold an id known only after apply: the whole map is absent from the block.
          {
            address: "aws_launch_template.lt",
            mode: "managed",
            type: "aws_launch_template",
            name: "lt",
            values: { tag_specifications: [{ resource_type: "instance" }] },
          },
        ],
      },
    },
    configuration: {
      root_module: {
        resources: [
          { address: "aws_subnet.a", mode: "managed", type: "aws_subnet", name: "a", expressions: {} },
          {
            address: "aws_autoscaling_group.group",
            mode: "managed",
            type: "aws_autoscaling_group",
            name: "group",
            expressions: {
              vpc_zone_identifier: { references: ["aws_subnet.a.id", "aws_subnet.a"] },
              launch_template: [{ id: { references: ["aws_launch_template.lt.id", "aws_launch_template.lt"] } }],
              tags: { references: ["data.aws_partition.current.partition", "data.aws_partition.current"] },
              tag: [
                { key: { constant_value: "a" }, value: { constant_value: "${aws_eip.e.public_ip}" } },
                { key: { constant_value: "b" }, value: { constant_value: "2" } },
              ],
            },
          },
          {
            address: "aws_cloudwatch_metric_alarm.recover",
            mode: "managed",
            type: "aws_cloudwatch_metric_alarm",
            name: "recover",
            expressions: {
              period: { constant_value: 60 },
              alarm_actions: {
                constant_value: ["arn:aws:automate:ap-northeast-2:ec2:recover", "${aws_sns_topic.events.arn}"],
                references: ["aws_sns_topic.events.arn", "aws_sns_topic.events"],
              },
            },
          },
          {
            address: "aws_launch_template.lt",
            mode: "managed",
            type: "aws_launch_template",
            name: "lt",
            expressions: {
              tag_specifications: [
                {
                  resource_type: { constant_value: "instance" },
                  tags: {
                    constant_value: { Name: "demo", FileSystemId: "${aws_efs_file_system.state.id}" },
                    references: ["aws_efs_file_system.state.id", "aws_efs_file_system.state"],
                  },
                },
              ],
            },
          },
        ],
      },
    },
  };
  const graph = ResourceGraph.fromPlanJson(plan);

  test("keeps managed resources with their planned values", () => {
    expect(graph.ofType("aws_partition")).toEqual([]);
    const [group] = graph.ofType("aws_autoscaling_group");
    expect(group.values.min_size).toBe(1);
    expect(blocks(group.values.launch_template)).toEqual([{ version: "$Latest" }]);
  });

  test("falls back to the configured value where the planned one is known only after apply", () => {
    const [alarm] = graph.ofType("aws_cloudwatch_metric_alarm");
    expect(alarm.values).toEqual({
      period: 60,
      alarm_actions: ["arn:aws:automate:ap-northeast-2:ec2:recover", "${aws_sns_topic.events.arn}"],
    });
    const [group] = graph.ofType("aws_autoscaling_group");
    expect(group.values.launch_template).toEqual([{ version: "$Latest" }]);
  });

  test("completes a block from the configured one where the plan leaves a part of it out, never from a block it disagrees with", () => {
    const [template] = graph.ofType("aws_launch_template");
    expect(template.values.tag_specifications).toEqual([
      { resource_type: "instance", tags: { Name: "demo", FileSystemId: "${aws_efs_file_system.state.id}" } },
    ]);
    // The set's blocks are in another order than configured: none is completed from the wrong one.
    const [group] = graph.ofType("aws_autoscaling_group");
    expect(group.values.tag).toEqual([{ key: "b", value: "2" }, { key: "a" }]);
  });

  test("reads links from the expressions' references, nested blocks included, data sources left out", () => {
    const [group] = graph.ofType("aws_autoscaling_group");
    expect(group.references).toEqual({ vpc_zone_identifier: ["aws_subnet.a"], launch_template: ["aws_launch_template.lt"] });
    expect(graph.referenced(group, "vpc_zone_identifier").map((n) => n.values.availability_zone)).toEqual(["ap-northeast-2a"]);
  });
});

describe("value helpers", () => {
  test("blocks() reads a nested block written as an object or as a list", () => {
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(blocks(undefined)).toEqual([]);
  });

  test("num() accepts numbers and numeric strings, not references", () => {
    expect(num(60)).toBe(60);
    expect(num("60")).toBe(60);
    expect(num("${var.period}")).toBeUndefined();
    expect(num("")).toBeUndefined();
  });
});
