/**
 * The plan's counts: actions by resource type (a replacement counted once), and resources by
 * the AZ they are bound to (their own or their subnet's).
 */
import { ResourceGraph } from "../../lib/resource-graph";
import { inventory } from "../../review/inventory";

const change = (type: string, actions: string[], mode = "managed") => ({ type, mode, change: { actions } });

describe("plan inventory", () => {
  const graph = ResourceGraph.fromTerraformJson({
    resource: {
      aws_subnet: { a: { availability_zone: "ap-northeast-2a" }, b: { availability_zone: "ap-northeast-2b" } },
      aws_instance: { server: { subnet_id: "${aws_subnet.a.id}" } },
      aws_ebs_volume: { data: { availability_zone: "ap-northeast-2b" } },
      aws_autoscaling_group: { group: { vpc_zone_identifier: ["${aws_subnet.a.id}", "${aws_subnet.b.id}"] } },
      aws_sns_topic: { alerts: {} },
    },
  });
  const plan = {
    resource_changes: [
      change("aws_subnet", ["no-op"]),
      change("aws_subnet", ["no-op"]),
      change("aws_instance", ["delete", "create"]),
      change("aws_ebs_volume", ["create"]),
      change("aws_autoscaling_group", ["update"]),
      change("aws_sns_topic", ["create"]),
      change("aws_sns_topic", ["delete"]),
      change("aws_ami", ["read"], "data"),
    ],
  };
  const inv = inventory(plan, graph);

  test("counts each resource change once, by type; data sources are not resources", () => {
    const actions = Object.fromEntries(inv.byType.map((t) => [t.type, Object.entries(t.actions).filter(([, n]) => n > 0)]));
    expect(actions).toEqual({
      aws_autoscaling_group: [["update", 1]],
      aws_ebs_volume: [["create", 1]],
      aws_instance: [["replace", 1]],
      aws_sns_topic: [
        ["create", 1],
        ["delete", 1],
      ],
      aws_subnet: [["no-op", 2]],
    });
  });

  test("puts a resource in its own AZ or its subnet's; lists what spans AZs; counts the rest as regional", () => {
    expect(inv.byAz).toEqual([
      { az: "ap-northeast-2a", total: 2, types: { aws_instance: 1, aws_subnet: 1 } },
      { az: "ap-northeast-2b", total: 2, types: { aws_ebs_volume: 1, aws_subnet: 1 } },
    ]);
    expect(inv.multiAz).toEqual([{ address: "aws_autoscaling_group.group", azs: ["ap-northeast-2a", "ap-northeast-2b"] }]);
    expect(inv.regional).toBe(1);
  });
});
