/**
 * The stacks' AWS FIS experiment templates: off by default, one per experiment of the model's
 * catalog with `experiments.enabled` (per AZ for the AZ faults), every target chosen by the
 * stack's tags alone, a role per template, the stack's own alarm as stop condition, and a plan
 * that Terraform accepts offline.
 */
import { STACK_NAMES } from "../../config/schema";
import { EXPERIMENT_INFO, STACK_EXPERIMENTS, experimentsOf } from "../../model/experiments";
import { EXPERIMENT_TEMPLATES_OUTPUT } from "../../modules/experiments";
import { TerraformJson, deref, expectOnlyCreations, policyJson, resources, sharedOfflinePlan, synthStack } from "../helpers";

const ON = { experiments: { enabled: true } };
const AZS = ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"];

const templates = (tf: TerraformJson) => resources(tf, "aws_fis_experiment_template");

/** The stop alarms the stacks choose: what "hurting more than planned" means in each. */
const STOP_ALARM: Record<string, RegExp> = {
  recovery: /-recover$/,
  multiaz: /-endpoint$/,
  web: /-elb-5xx$/,
};

describe("experiment templates", () => {
  test.each(STACK_NAMES)("%s has none by default", (stack) => {
    const { tf } = synthStack(stack);
    expect(templates(tf)).toEqual({});
    expect((tf as any).output[EXPERIMENT_TEMPLATES_OUTPUT]).toBeUndefined();
  });

  describe.each(STACK_NAMES)("%s with experiments.enabled", (stack) => {
    const { tf } = synthStack(stack, ON);
    const all = templates(tf);

    test("one template per experiment of the catalog, named by its key in the output", () => {
      const keys = experimentsOf(stack, AZS).map((e) => e.key);
      expect(Object.keys(all)).toHaveLength(keys.length);
      const output = (tf as any).output[EXPERIMENT_TEMPLATES_OUTPUT].value;
      expect(Object.keys(output).sort()).toEqual([...keys].sort());
      for (const key of keys) expect(deref(tf, output[key]).type).toBe("aws_fis_experiment_template");
    });

    test("every target is chosen by the stack's Project and Stack tags, never by ARN", () => {
      for (const t of Object.values(all)) {
        for (const target of t.target) {
          expect(target.resource_arns).toBeUndefined();
          expect(target.resource_tag).toEqual([
            { key: "Project", value: "multiaz-ref" },
            { key: "Stack", value: stack },
          ]);
        }
      }
    });

    test("every template stops on the stack's alarm and has a role of its own that only FIS of the region assumes", () => {
      const roles = new Set<string>();
      for (const t of Object.values(all)) {
        expect(t.stop_condition).toHaveLength(1);
        const alarm = deref(tf, t.stop_condition[0].value);
        expect(alarm.type).toBe("aws_cloudwatch_metric_alarm");
        expect(alarm.body.alarm_name).toMatch(STOP_ALARM[stack]);
        const role = deref(tf, t.role_arn);
        roles.add(role.name);
        const trust = JSON.parse(role.body.assume_role_policy).Statement[0];
        expect(trust.Principal).toEqual({ Service: "fis.amazonaws.com" });
        expect(trust.Condition.ArnLike["aws:SourceArn"]).toBe("arn:aws:fis:ap-northeast-2:*:experiment/*");
      }
      expect(roles.size).toBe(Object.keys(all).length);
    });

    test("the roles act only in the stack's region, on its tagged instances, and never with a wildcard action", () => {
      for (const p of Object.values(resources(tf, "aws_iam_role_policy")).filter((p) => p.name === "fis-actions")) {
        for (const s of policyJson(p.policy).Statement) {
          const actions: string[] = [s.Action].flat();
          expect(actions.every((a) => !a.includes("*"))).toBe(true);
          for (const r of [s.Resource].flat()) expect(r === "*" || (r.startsWith("arn:aws:") && r.split(":")[3] === "ap-northeast-2")).toBe(true);
          if ([s.Resource].flat().some((r: string) => r.includes(":instance/"))) {
            expect(s.Condition.StringEquals).toEqual({ "aws:ResourceTag/Project": "multiaz-ref", "aws:ResourceTag/Stack": stack });
          }
          if ([s.Resource].flat().includes("*")) {
            // Only what takes no resource: describes, listings, and the error injection that FIS scopes by its own keys.
            expect(actions.every((a) => /:(Describe|List|Get)/.test(a) || a === "ssm:CancelCommand" || a === "ec2:InjectApiError")).toBe(true);
          }
        }
      }
    });
  });

  test.each(["multiaz", "web"] as const)("%s: launch errors may be injected only into the stack's own group, named in ec2:FisTargetArns", (stack) => {
    const { tf } = synthStack(stack, ON);
    const injections = Object.values(resources(tf, "aws_iam_role_policy"))
      .filter((p) => p.name === "fis-actions")
      .flatMap((p) => policyJson(p.policy).Statement)
      .filter((st: any) => st.Action === "ec2:InjectApiError");
    // The per-AZ power interruptions and launch failures: two per AZ.
    expect(injections).toHaveLength(2 * AZS.length);
    for (const st of injections) {
      expect(st.Condition["ForAnyValue:StringEquals"]["ec2:FisActionId"]).toEqual(["aws:ec2:asg-insufficient-instance-capacity-error"]);
      const arns: string[] = st.Condition["ForAllValues:StringLike"]["ec2:FisTargetArns"];
      expect(arns).toHaveLength(1);
      const m = /^arn:aws:autoscaling:ap-northeast-2:\*:autoScalingGroup:\*:autoScalingGroupName\/(\$\{.*\})$/.exec(arns[0]);
      // The name is the stack's group's own (a reference to it, so it cannot drift).
      const group = deref(tf, m![1]);
      expect([group.type, group.attr, group.body.name]).toEqual(["aws_autoscaling_group", "name", `multiaz-ref-${stack}`]);
    }
  });

  test("recovery's terminate experiment says it is not healed by recover", () => {
    const terminate = STACK_EXPERIMENTS.recovery.terminate!;
    expect(terminate.kind).toBe("not-healed");
    expect(terminate.kind === "not-healed" && terminate.reason).toMatch(/^not healed by recover/);
  });

  test("an AZ power interruption stops the AZ's instances until it ends, fails the group's launches there and cuts the AZ's subnets off first", () => {
    const { tf } = synthStack("multiaz", ON);
    const t = Object.values(templates(tf)).find((x) => x.description.includes("power interruption") && x.description.includes("ap-northeast-2b"))!;
    const byId = Object.fromEntries(t.action.map((a: any) => [a.action_id, Object.fromEntries(a.parameter.map((p: any) => [p.key, p.value]))]));
    expect(byId["aws:ec2:stop-instances"]).toEqual({ startInstancesAfterDuration: "PT30M", completeIfInstancesTerminated: "true" });
    expect(byId["aws:ec2:asg-insufficient-instance-capacity-error"]).toEqual({
      availabilityZoneIdentifiers: "ap-northeast-2b",
      duration: "PT30M",
      percentage: "100",
    });
    expect(byId["aws:network:disrupt-connectivity"]).toEqual({ duration: "PT2M", scope: "all" });
    const filters = Object.fromEntries(t.target.map((x: any) => [x.resource_type, x.filter]));
    expect(filters["aws:ec2:instance"]).toContainEqual({ path: "Placement.AvailabilityZone", values: ["ap-northeast-2b"] });
    expect(filters["aws:ec2:subnet"]).toEqual([{ path: "AvailabilityZone", values: ["ap-northeast-2b"] }]);
    // multiaz runs one instance: in the other AZs the instance target is empty, and the rest still runs.
    expect(t.experiment_options.empty_target_resolution_mode).toBe("skip");
  });

  test("a launch failure in one AZ is in place before the instances there are terminated", () => {
    const { tf } = synthStack("web", ON);
    const t = Object.values(templates(tf)).find((x) => x.description.includes("launches of the stack's group in the AZ failing"))!;
    const terminate = t.action.find((a: any) => a.action_id === "aws:ec2:terminate-instances");
    const wait = t.action.find((a: any) => a.action_id === "aws:fis:wait");
    expect(terminate.start_after).toEqual([wait.name]);
  });

  test("the web group carries the stack's tags, so FIS finds it by them as it finds its instances", () => {
    const { tf } = synthStack("web", ON);
    const group = Object.values(resources(tf, "aws_autoscaling_group"))[0];
    expect(group.tag).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: "Project", value: "multiaz-ref" }), expect.objectContaining({ key: "Stack", value: "web" })]),
    );
  });

  test("every experiment name has a description and every stack of the catalog is a stack", () => {
    expect(Object.keys(STACK_EXPERIMENTS).sort()).toEqual([...STACK_NAMES].sort());
    for (const name of Object.values(STACK_EXPERIMENTS).flatMap((m) => Object.keys(m)))
      expect(EXPERIMENT_INFO[name as keyof typeof EXPERIMENT_INFO]).toBeDefined();
  });

  test("plan offline with experiments on, creations only", async () => {
    // The scan's experiments variant plans the same: one plan of each stack per test run.
    const plans = await sharedOfflinePlan([...STACK_NAMES], ON);
    for (const stack of STACK_NAMES) {
      expectOnlyCreations(plans[stack]);
      const created = plans[stack].plan.resource_changes.filter((c: any) => c.type === "aws_fis_experiment_template");
      expect(created).toHaveLength(experimentsOf(stack, AZS).length);
    }
  }, 300_000);
});
