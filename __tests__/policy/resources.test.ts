/**
 * The normalised resource list the checks read: the same resources, values and references
 * from a synthesized configuration and from a plan, including what a plan leaves out.
 */
import { blocks, flag, fromPlanJson, fromTerraformJson, isUnknown, numberOf } from "../../policy";

const synthesized = {
  resource: {
    aws_vpc: { main: { "//": { metadata: { path: "s/network/vpc" } }, cidr_block: "10.0.0.0/16" } },
    aws_subnet: {
      a: {
        "//": { metadata: { path: "s/network/a" }, suppressions: { CKV_AWS_130: "a lab subnet, reachable on purpose" } },
        vpc_id: "${aws_vpc.main.id}",
        availability_zone: "ap-northeast-2a",
        map_public_ip_on_launch: true,
        depends_on: ["aws_vpc.main"],
      },
    },
    aws_instance: {
      web: {
        subnet_id: "${aws_subnet.a.id}",
        // Text that looks like an address inside user data is not a reference.
        user_data: '${base64encode("aws_vpc.other is not ours")}',
        root_block_device: { encrypted: "true" },
      },
    },
  },
};

/** The shape `terraform show -json` gives the same configuration (abridged). */
const plan = {
  planned_values: {
    root_module: {
      resources: [
        { address: "aws_vpc.main", mode: "managed", type: "aws_vpc", name: "main", values: { cidr_block: "10.0.0.0/16" } },
        { address: "aws_subnet.a", mode: "managed", type: "aws_subnet", name: "a", values: { availability_zone: "ap-northeast-2a", map_public_ip_on_launch: true } },
        { address: "aws_instance.web", mode: "managed", type: "aws_instance", name: "web", values: { root_block_device: [{ encrypted: true }] } },
        { address: "data.aws_region.current", mode: "data", type: "aws_region", name: "current", values: {} },
      ],
      child_modules: [{ resources: [{ address: "module.x.aws_eip.ip[0]", mode: "managed", type: "aws_eip", name: "ip", values: { domain: "vpc" } }] }],
    },
  },
  configuration: {
    root_module: {
      resources: [
        { address: "aws_subnet.a", mode: "managed", expressions: { vpc_id: { references: ["aws_vpc.main.id", "aws_vpc.main"] } } },
        {
          address: "aws_instance.web",
          mode: "managed",
          expressions: { subnet_id: { references: ["aws_subnet.a.id", "aws_subnet.a"] }, ami: { references: ["data.aws_ami.al2023.id", "var.ami"] } },
        },
      ],
    },
  },
};

describe("normalised resources", () => {
  test("from cdk.tf.json: values without meta-arguments, references by attribute, construct path and suppressions", () => {
    // GIVEN a synthesized configuration WHEN normalised
    const set = fromTerraformJson(synthesized);
    const subnet = set.ofType("aws_subnet")[0];
    // THEN meta-arguments and the comment are gone, the reference is resolved to an address
    expect(subnet.values).toEqual({ vpc_id: "${aws_vpc.main.id}", availability_zone: "ap-northeast-2a", map_public_ip_on_launch: true });
    expect(subnet.refs).toEqual({ vpc_id: ["aws_vpc.main"] });
    expect(subnet.path).toBe("s/network/a");
    expect(subnet.suppressions).toEqual([{ ruleId: "CKV_AWS_130", reason: "a lab subnet, reachable on purpose" }]);
    // AND text inside user data that merely looks like an address is no reference
    expect(set.ofType("aws_instance")[0].refs).toEqual({ subnet_id: ["aws_subnet.a"] });
  });

  test("from a plan: managed resources of every module, references from the configuration section", () => {
    // GIVEN the plan of the same configuration WHEN normalised
    const set = fromPlanJson(plan);
    // THEN data sources are left out, child modules are included
    expect(set.all.map((r) => r.address)).toEqual(["aws_vpc.main", "aws_subnet.a", "aws_instance.web", "module.x.aws_eip.ip[0]"]);
    // AND references to data sources and variables are not resource references
    const web = set.ofType("aws_instance")[0];
    expect(web.refs).toEqual({ subnet_id: ["aws_subnet.a"] });
    expect(set.referencedBy(web).map((r) => r.address)).toEqual(["aws_subnet.a"]);
    expect(set.referencing(set.ofType("aws_vpc")[0], "aws_subnet", "vpc_id").map((r) => r.address)).toEqual(["aws_subnet.a"]);
    // AND without the configuration there are no suppressions or paths
    expect(set.ofType("aws_subnet")[0].suppressions).toEqual([]);
  });

  test("from a plan with its configuration: suppressions and construct paths matched by address", () => {
    const subnet = fromPlanJson(plan, synthesized).ofType("aws_subnet")[0];
    expect(subnet.suppressions.map((s) => s.ruleId)).toEqual(["CKV_AWS_130"]);
    expect(subnet.path).toBe("s/network/a");
  });

  test("value helpers read both forms alike", () => {
    // GIVEN a nested block as an object (configuration) and as a list (plan)
    expect(blocks({ b: { x: 1 } }, "b")).toEqual([{ x: 1 }]);
    expect(blocks({ b: [{ x: 1 }] }, "b")).toEqual([{ x: 1 }]);
    expect(blocks({}, "b")).toEqual([]);
    // AND booleans and numbers written as strings
    expect([flag("true"), flag(false), flag("${var.x}"), flag(undefined)]).toEqual([true, false, undefined, undefined]);
    expect([numberOf("60"), numberOf(60), numberOf("${aws_x.y.n}")]).toEqual([60, 60, undefined]);
    // AND unknown: absent in a plan, an interpolation in a configuration
    expect([isUnknown(undefined), isUnknown("${aws_vpc.main.id}"), isUnknown("vpc-1"), isUnknown(false)]).toEqual([true, true, false, false]);
  });
});
