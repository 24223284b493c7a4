import { STATE_DIRECTORY, STATE_FILE_SYSTEM_TAG, SERVER_GROUP_TAG } from "../../modules/multiaz-stack";
import { EC2_USER_DATA_MAX_BYTES } from "../../workload";
import { Overrides, TerraformJson, deref, only, resources, statement, synthStack } from "../helpers";
import { runOnFakeInstance } from "../workload/support/fake-instance";
import { autoScalingPassSeconds, launchHookTimeoutSeconds } from "../../model/assumptions";

const GROUP = "multiaz-ref-multiaz";
const PARAMETER = "/multiaz-ref/multiaz/image-id";
const WITH_EFS_AND_WARM_POOL: Overrides = { multiaz: { efs: { enabled: true }, warmPool: { enabled: true } } };
const FIXED_AMI: Overrides = { multiaz: { fixedAmiId: "ami-0123456789abcdef0", amiPipeline: { enabled: false } } };

/** The launch template's user data as text (plain text, base64-encoded at synth). */
function userData(tf: TerraformJson): string {
  return Buffer.from(only(tf, "aws_launch_template").user_data, "base64").toString("utf8");
}

/** The user data's runcmd entries, decoded (each is a YAML double-quoted, i.e. JSON, string). */
function bootCommands(tf: TerraformJson): string[] {
  const text = userData(tf);
  return text
    .slice(text.indexOf("\nruncmd:\n"))
    .split("\n")
    .filter((line) => line.startsWith('  - "'))
    .map((line) => JSON.parse(line.slice(4)) as string);
}

/** The agent script the user data installs. */
function installedAgent(tf: TerraformJson): string {
  const install = bootCommands(tf).find((c) => c.startsWith("cat > /usr/local/sbin/lifecycle-agent <<'END_OF_FILE'\n"))!;
  return install.slice(install.indexOf("\n") + 1, install.indexOf("\nEND_OF_FILE\n") + 1);
}

/** The tags the template puts on the instances, as written (values may be references). */
function instanceTags(tf: TerraformJson): Record<string, string> {
  return only(tf, "aws_launch_template").tag_specifications.find((t: { resource_type: string }) => t.resource_type === "instance").tags;
}

/** The instance tags as an instance sees them once Terraform filled in the references, by the attribute each names. */
function launchedInstanceTags(tf: TerraformJson, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(instanceTags(tf)).map(([key, value]) => {
      if (!value.startsWith("${")) return [key, value];
      const { attr } = deref(tf, value);
      if (!(attr in values)) throw new Error(`no value for ${value}`);
      return [key, values[attr]];
    }),
  );
}

/** The inline policies of the role whose profile the launch template gives the instances. */
function instancePolicies(tf: TerraformJson): Record<string, any>[] {
  const profile = deref(tf, only(tf, "aws_launch_template").iam_instance_profile.arn).body;
  const role = deref(tf, profile.role.replace(/\.name\}$/, ".id}"));
  return Object.values(resources(tf, "aws_iam_role_policy")).filter((p) => p.role === `\${aws_iam_role.${role.name}.id}`);
}

function policyNamed(policies: Record<string, any>[], name: string): Record<string, any> {
  const found = policies.find((p) => p.name === name);
  if (!found) throw new Error(`the instances have no policy ${name}`);
  return found;
}

describe("MultiAzStack", () => {
  describe("with the default configuration", () => {
    const { tf } = synthStack("multiaz");

    test("runs one instance over the public subnet of every AZ, so a replacement can start in another AZ", () => {
      const asg = only(tf, "aws_autoscaling_group");
      expect(asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, health_check_type: "EC2", health_check_grace_period: 300 });

      // Follow the group to its subnets and their AZs.
      const subnets = asg.vpc_zone_identifier.map((ref: string) => deref(tf, ref));
      expect(subnets.every((s: { type: string }) => s.type === "aws_subnet")).toBe(true);
      const azs = subnets.map((s: { body: Record<string, any> }) => s.body.availability_zone);
      expect(new Set(azs).size).toBeGreaterThanOrEqual(2);
      expect(azs).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
      expect(subnets.map((s: { body: Record<string, any> }) => s.body.tags.Tier)).toEqual(["public", "public", "public"]);
    });

    test("launches from the hardened template, with a public IP until the Elastic IP replaces it", () => {
      const asg = only(tf, "aws_autoscaling_group");
      const template = deref(tf, asg.launch_template.id).body;
      expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(template.block_device_mappings[0].ebs.encrypted).toBe("true");
      expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true" })]);
      const ingress = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule"));
      expect(ingress.map((r) => r.from_port)).toEqual([80]);
    });

    test("launches the newest AMI of the pipeline, through the SSM parameter the template resolves", () => {
      const template = only(tf, "aws_launch_template");
      expect(template.image_id).toBe(`resolve:ssm:${PARAMETER}`);

      // The parameter is this stack's, typed as an image, and exists before the template
      const [address, parameter] = Object.entries(resources(tf, "aws_ssm_parameter"))[0];
      expect(parameter).toMatchObject({ name: PARAMETER, data_type: "aws:ec2:image" });
      expect(template.depends_on).toEqual([`aws_ssm_parameter.${address}`]);
    });

    test("images exactly the group's instances, on the configured schedule", () => {
      const { tf: custom } = synthStack("multiaz", { multiaz: { amiPipeline: { intervalHours: 12, retainCount: 3 } } });
      const details = only(custom, "aws_dlm_lifecycle_policy").policy_details;
      expect(details.schedule[0]).toMatchObject({ create_rule: { interval: 12, interval_unit: "HOURS" }, retain_rule: { count: 3 } });

      // The target tag is on the instances the template launches, and the group's name is its value
      expect(details.target_tags).toEqual({ [SERVER_GROUP_TAG]: GROUP });
      const instanceTags = only(custom, "aws_launch_template").tag_specifications.find((t: { resource_type: string }) => t.resource_type === "instance").tags;
      expect(instanceTags).toMatchObject(details.target_tags);
    });

    test("lets the takeover function move only the stack's Elastic IP, and only onto instances and interfaces tagged with the group", () => {
      const policy = Object.values(resources(tf, "aws_iam_role_policy")).find((p) => p.name === "take-over-endpoint")!;
      const onto = statement(policy, "OntoThisGroupsInstancesOnly");
      expect(onto.Action).toBe("ec2:AssociateAddress");
      expect(onto.Resource).toEqual(["arn:aws:ec2:ap-northeast-2:*:instance/*", "arn:aws:ec2:ap-northeast-2:*:network-interface/*"]);
      expect(onto.Condition).toEqual({ StringEquals: { [`aws:ResourceTag/${SERVER_GROUP_TAG}`]: GROUP } });
      expect(deref(tf, statement(policy, "ThisElasticIp").Resource)).toMatchObject({ type: "aws_eip", attr: "arn" });

      // Both the instance and its network interface carry the tag the condition asks for
      const specs = only(tf, "aws_launch_template").tag_specifications;
      for (const type of ["instance", "network-interface"]) {
        expect(specs.find((t: { resource_type: string }) => t.resource_type === type).tags[SERVER_GROUP_TAG]).toBe(GROUP);
      }
    });

    test("moves the Elastic IP with the takeover function, off the instance: the servers' role may not associate addresses", () => {
      const policies = instancePolicies(tf);
      expect(JSON.stringify(policies)).not.toContain("ec2:AssociateAddress");
      // The server's role: SSM Session Manager only, no inline policy (nothing to complete without a warm pool).
      expect(policies).toEqual([]);
      const fn = Object.values(resources(tf, "aws_lambda_function")).find((f) => f.function_name === `${GROUP}-endpoint-takeover`)!;
      expect(fn.environment.variables).toMatchObject({ GROUP_NAME: GROUP, HOOK_NAME: `${GROUP}-launch`, MAX_REPLACEMENTS: "2" });
      // No agent on the instance without a warm pool: the launch into service is the function's to complete.
      expect(userData(tf)).not.toContain("lifecycle-agent");
      expect(Buffer.byteLength(userData(tf))).toBeLessThan(EC2_USER_DATA_MAX_BYTES);
    });

    test("apply waits for the server InService as long as the launch hook may hold it (the model's boot estimate) and Auto Scaling's pass after it", () => {
      const asg = only(tf, "aws_autoscaling_group");
      // The provider waits for min_size (1) InService and healthy instances; warm-pool instances do not count.
      expect(asg.min_size).toBe(1);
      expect(asg.wait_for_capacity_timeout).toBe(`${launchHookTimeoutSeconds() + autoScalingPassSeconds()}s`);
      expect(asg.wait_for_capacity_timeout).toBe("870s");
      expect(asg.initial_lifecycle_hook[0].heartbeat_timeout).toBeLessThan(parseInt(asg.wait_for_capacity_timeout, 10));
    });

    test("holds every launch at a hook that the function completes once the address is on, created after the function and its rules", () => {
      const asg = only(tf, "aws_autoscaling_group");
      expect(asg.initial_lifecycle_hook).toEqual([
        {
          name: `${GROUP}-launch`,
          lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          heartbeat_timeout: launchHookTimeoutSeconds(),
          default_result: "CONTINUE",
        },
      ]);
      const rule = Object.entries(resources(tf, "aws_cloudwatch_event_rule")).find(([, r]) => r.name === `${GROUP}-launch-into-service`)!;
      expect(JSON.parse(rule[1].event_pattern).detail).toEqual({
        AutoScalingGroupName: [GROUP],
        LifecycleHookName: [`${GROUP}-launch`],
        Destination: ["AutoScalingGroup"],
      });
      expect(asg.depends_on).toEqual(
        expect.arrayContaining([
          `aws_cloudwatch_event_rule.${rule[0]}`,
          expect.stringMatching(/^aws_lambda_function\.takeover/),
          expect.stringMatching(/^aws_lambda_permission\.takeover/),
        ]),
      );
    });

    test("records failed takeovers under the project's path, and tells the stack's topic", () => {
      const state = Object.values(resources(tf, "aws_ssm_parameter")).find((p) => p.name === "/multiaz-ref/multiaz/takeover-failures");
      expect(state).toBeDefined();
      const alarm = Object.values(resources(tf, "aws_cloudwatch_metric_alarm")).find((a) => a.alarm_name === `${GROUP}-endpoint`)!;
      expect(deref(tf, alarm.alarm_actions[0]).type).toBe("aws_sns_topic");
    });

    test("the user data holds no references: plain text, which Terraform and cdktf's HCL output take as is", () => {
      const template = only(tf, "aws_launch_template");
      expect(template.user_data).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(userData(tf)).not.toMatch(/\$\{[a-z_]+\./);
      expect((tf as { locals?: object }).locals).toBeUndefined();
      // The instances carry the group's tag (DLM, the function's permission), not the address.
      expect(Object.keys(instanceTags(tf)).sort()).toEqual(expect.arrayContaining([SERVER_GROUP_TAG]));
      expect(JSON.stringify(instanceTags(tf))).not.toContain("aws_eip");
    });

    test("points the configured name at the Elastic IP", () => {
      const record = only(tf, "aws_route53_record");
      expect(record).toMatchObject({ name: "multiaz.ha.example.com", type: "A", ttl: 60 });
      expect(deref(tf, record.records[0])).toMatchObject({ type: "aws_eip", attr: "public_ip" });
      expect(deref(tf, record.zone_id).type).toBe("aws_route53_zone");
    });

    test("notifies the stack's topic of launches, terminations and failures", () => {
      const notification = only(tf, "aws_autoscaling_notification");
      expect(notification.notifications).toHaveLength(4);
      expect(deref(tf, notification.topic_arn).type).toBe("aws_sns_topic");
    });

    test("has neither EFS nor a warm pool", () => {
      expect(resources(tf, "aws_efs_file_system")).toEqual({});
      expect(resources(tf, "aws_efs_mount_target")).toEqual({});
      expect(only(tf, "aws_autoscaling_group").warm_pool).toBeUndefined();
      expect(userData(tf)).not.toContain("amazon-efs-utils");
      expect(userData(tf)).not.toContain("complete-lifecycle-action");
    });

    test("outputs the group, the endpoint, the Elastic IP, the image parameter and the snapshot interval", () => {
      const outputs = tf.output!;
      expect(deref(tf, outputs.group_name.value as string)).toMatchObject({ type: "aws_autoscaling_group", attr: "name" });
      expect(outputs.endpoint_name.value).toBe("multiaz.ha.example.com");
      expect(deref(tf, outputs.elastic_ip.value as string)).toMatchObject({ type: "aws_eip", attr: "public_ip" });
      expect(outputs.ami_parameter_name.value).toBe(PARAMETER);
      expect(outputs.snapshot_interval_hours.value).toBe(24);
    });

    test("matches the snapshot", () => {
      expect(synthStack("multiaz").json).toMatchSnapshot();
    });
  });

  describe("with EFS and a warm pool", () => {
    const { tf } = synthStack("multiaz", WITH_EFS_AND_WARM_POOL);

    test("keeps the state on an encrypted file system with a mount target in the private subnet of every AZ", () => {
      expect(only(tf, "aws_efs_file_system").encrypted).toBe(true);
      const targets = Object.values(resources(tf, "aws_efs_mount_target"));
      const subnets = targets.map((t) => deref(tf, t.subnet_id).body);
      expect(subnets.map((s) => s.availability_zone).sort()).toEqual(["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
      expect(subnets.every((s) => s.tags.Tier === "private")).toBe(true);
    });

    test("admits NFS from the instances' security group only", () => {
      const nfs = Object.values(resources(tf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.from_port === 2049);
      expect(nfs).toHaveLength(1);
      const template = only(tf, "aws_launch_template");
      expect(nfs[0].referenced_security_group_id).toBe(template.network_interfaces[0].security_groups[0]);
      expect(nfs[0].cidr_ipv4).toBeUndefined();
    });

    test("mounts it at boot, read from the instance's tag, once the mount targets exist", () => {
      // GIVEN the instances are tagged with the file system's id
      const fsName = Object.keys(resources(tf, "aws_efs_file_system"))[0];
      expect(instanceTags(tf)[STATE_FILE_SYSTEM_TAG]).toBe(`\${aws_efs_file_system.${fsName}.id}`);

      // WHEN the user data's mount runs on such an instance
      const mount = bootCommands(tf).find((c) => c.includes(`tags/instance/${STATE_FILE_SYSTEM_TAG}`))!;
      const tags = launchedInstanceTags(tf, { id: "fs-0state" });
      const run = runOnFakeInstance(mount, { states: [], tags, sandboxedPaths: ["/etc/fstab", STATE_DIRECTORY] });

      // THEN fstab names that file system at the state directory, and it is mounted
      expect(run.files["/etc/fstab"]).toBe(`fs-0state:/ ${STATE_DIRECTORY} efs _netdev,nofail,tls,noresvport 0 0\n`);
      expect(run.systemCalls).toEqual([`mount ${STATE_DIRECTORY}`]);
      const targets = Object.keys(resources(tf, "aws_efs_mount_target")).map((name) => `aws_efs_mount_target.${name}`);
      expect(only(tf, "aws_launch_template").depends_on).toEqual(expect.arrayContaining(targets));
    });

    test("keeps a stopped instance in the warm pool, which completes its launch into the pool once its workload answers", () => {
      const asg = only(tf, "aws_autoscaling_group");
      expect(asg.warm_pool).toEqual({ pool_state: "Stopped", min_size: 1, instance_reuse_policy: { reuse_on_scale_in: true } });
      expect(asg.initial_lifecycle_hook).toEqual([
        expect.objectContaining({ name: `${GROUP}-launch`, lifecycle_transition: "autoscaling:EC2_INSTANCE_LAUNCHING" }),
      ]);
      const agent = installedAgent(tf);
      expect(agent).toContain(`--auto-scaling-group-name ${GROUP} --lifecycle-hook-name ${GROUP}-launch`);
      // The agent as installed: it completes the launch into the pool, and leaves the launch into service to the function.
      expect(runOnFakeInstance(agent, { states: ["Warmed:Stopped"] }).awsCalls).toEqual([expect.stringContaining("--lifecycle-action-result CONTINUE")]);
      expect(runOnFakeInstance(agent, { states: ["InService"] }).awsCalls).toEqual([]);
      expect(statement(policyNamed(instancePolicies(tf), "complete-launch-hook"), "CompleteThisGroupsLaunchHook").Resource).toBe(
        `arn:aws:autoscaling:ap-northeast-2:*:autoScalingGroup:*:autoScalingGroupName/${GROUP}`,
      );
    });

    test("user data stays within EC2's limit", () => {
      expect(Buffer.byteLength(userData(tf))).toBeLessThan(EC2_USER_DATA_MAX_BYTES);
    });
  });

  describe("without the AMI pipeline", () => {
    test("launches the base image, with no policy, publisher or image parameter", () => {
      const { tf } = synthStack("multiaz", { multiaz: { amiPipeline: { enabled: false } } });

      expect(only(tf, "aws_launch_template").image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
      for (const type of ["aws_dlm_lifecycle_policy", "aws_lambda_invocation"]) {
        expect(resources(tf, type)).toEqual({});
      }
      // What is left is the endpoint takeover's.
      expect(Object.values(resources(tf, "aws_lambda_function")).map((f) => f.function_name)).toEqual([`${GROUP}-endpoint-takeover`]);
      expect(Object.values(resources(tf, "aws_ssm_parameter")).map((p) => p.name)).toEqual(["/multiaz-ref/multiaz/takeover-failures"]);
      expect(tf.output!.ami_parameter_name.value).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
      expect(tf.output!.snapshot_interval_hours).toBeUndefined();
    });

    test("launches a fixed AMI when one is configured (the book's multiaz-ebs), also with EFS", () => {
      const { tf } = synthStack("multiaz", { multiaz: { ...(FIXED_AMI.multiaz as object), efs: { enabled: true } } });

      expect(only(tf, "aws_launch_template").image_id).toBe("ami-0123456789abcdef0");
      expect(resources(tf, "aws_dlm_lifecycle_policy")).toEqual({});
      expect(only(tf, "aws_efs_file_system").encrypted).toBe(true);
      expect(tf.output!.ami_parameter_name).toBeUndefined();
    });
  });

  test("uses the arm64 base image for a Graviton type", () => {
    const { tf } = synthStack("multiaz", { multiaz: { instanceType: "t4g.micro" } });

    expect(JSON.parse(only(tf, "aws_lambda_invocation").input).baseImageParameter).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
  });

  describe("validation", () => {
    test("fails when a fixed AMI is combined with the AMI pipeline", () => {
      expect(() => synthStack("multiaz", { multiaz: { fixedAmiId: "ami-0123456789abcdef0" } })).toThrow(
        /multiaz\.fixedAmiId \("ami-0123456789abcdef0"\): cannot be combined with the AMI pipeline.*set multiaz\.amiPipeline\.enabled to false/,
      );
    });

    test("fails when the fixed AMI is not an AMI id", () => {
      expect(() => synthStack("multiaz", { multiaz: { fixedAmiId: "ubuntu-22.04", amiPipeline: { enabled: false } } })).toThrow(
        /multiaz\.fixedAmiId \("ubuntu-22\.04"\): must be an AMI id/,
      );
    });

    test("fails when a warm pool would serve an older disk than the pipeline's newest AMI", () => {
      expect(() => synthStack("multiaz", { multiaz: { warmPool: { enabled: true } } })).toThrow(
        /multiaz\.warmPool\.enabled \(true\): cannot be combined with the AMI pipeline while the state is on the instance's disk.*set multiaz\.efs\.enabled to true/,
      );
    });

    test("reports every combination problem at once", () => {
      expect(() => synthStack("multiaz", { multiaz: { fixedAmiId: "ami-0123456789abcdef0", warmPool: { enabled: true } } })).toThrow(
        /2 problems[\s\S]*multiaz\.fixedAmiId[\s\S]*multiaz\.warmPool\.enabled/,
      );
    });

    test("fails when the snapshot interval is not one DLM accepts", () => {
      expect(() => synthStack("multiaz", { multiaz: { amiPipeline: { intervalHours: 5 } } })).toThrow(
        /multiaz\.amiPipeline\.intervalHours \(5\): must be one of 1, 2, 3, 4, 6, 8, 12, 24/,
      );
    });

    test("fails when no AMI would be kept", () => {
      expect(() => synthStack("multiaz", { multiaz: { amiPipeline: { retainCount: 0 } } })).toThrow(
        /multiaz\.amiPipeline\.retainCount \(0\): must be a whole number from 1 to 1000/,
      );
    });

    test("fails when the grace period is out of range", () => {
      expect(() => synthStack("multiaz", { multiaz: { healthCheckGracePeriodSeconds: 7201 } })).toThrow(
        /multiaz\.healthCheckGracePeriodSeconds \(7201\): must be a whole number from 0 to 7200/,
      );
    });

    test("fails when the warm pool holds more instances than there are AZs", () => {
      expect(() => synthStack("multiaz", { multiaz: { efs: { enabled: true }, warmPool: { enabled: true, minSize: 4 } } })).toThrow(
        /multiaz\.warmPool\.minSize \(4\): must be a whole number from 1 to 3/,
      );
    });

    test("fails when the warm pool would hibernate", () => {
      expect(() => synthStack("multiaz", { multiaz: { efs: { enabled: true }, warmPool: { enabled: true, poolState: "Hibernated" } } })).toThrow(
        /multiaz\.warmPool\.poolState \("Hibernated"\): must be "Stopped" or "Running"/,
      );
    });

    test("fails when a switch is not a boolean", () => {
      expect(() => synthStack("multiaz", { multiaz: { efs: { enabled: "yes" } } })).toThrow(/multiaz\.efs\.enabled \("yes"\): must be true or false/);
    });

    test("fails when the record name is outside the zone", () => {
      expect(() => synthStack("multiaz", { multiaz: { recordName: "server.example.org" } })).toThrow(/multiaz\.recordName \("server\.example\.org"\)/);
    });

    test("fails when a configured tag key cannot be read from the instance metadata", () => {
      // The group propagates the tags to the server, whose tags are in its metadata: EC2 would refuse to launch it.
      expect(() => synthStack("multiaz", { tags: { "cost center": "platform" } })).toThrow(
        /tags\.cost center \("platform"\): the multiaz server carries this tag .*rename the tag/,
      );
    });

    test("fails when the instance type is not one", () => {
      expect(() => synthStack("multiaz", { multiaz: { instanceType: "large" } })).toThrow(/multiaz\.instanceType \("large"\): must be an EC2 instance type/);
    });

    test("fails with fewer than two AZs", () => {
      expect(() => synthStack("multiaz", { azs: ["ap-northeast-2a"] })).toThrow(/azs \(\["ap-northeast-2a"\]\): list 2 to 6 availability zones/);
    });
  });
});
