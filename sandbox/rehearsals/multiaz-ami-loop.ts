/**
 * multiaz, AMI loop: an image of the server, as the pipeline's Data Lifecycle Manager policy
 * makes it, is published by our real AMI publisher (constructs/ami-pipeline/handler) into the
 * SSM parameter the launch template resolves; an image of another policy changes nothing; an
 * image whose event was lost is published by the catch-up; and when the published image is
 * deregistered (DLM retention), the parameter falls back to the newest image left.
 *
 * The emulator has no DLM (a store-only stand-in keeps the policy) and runs no Lambda code: the
 * rehearsal makes each image as the stored policy says (its target tags on the instance, its
 * tags to add, its variable tags, and the `aws:dlm:lifecycle-policy-id` tag DLM sets) and runs
 * the handler in this process, with SDK clients at the emulator and the environment the
 * function was deployed with, on the documented EventBridge events.
 */
import { AutoScaling } from "@aws-sdk/client-auto-scaling";
import { CloudWatch } from "@aws-sdk/client-cloudwatch";
import { DLM } from "@aws-sdk/client-dlm";
import { EC2, Tag } from "@aws-sdk/client-ec2";
import { SNS } from "@aws-sdk/client-sns";
import { SSM } from "@aws-sdk/client-ssm";
import { AGE_METRIC, METRIC_NAMESPACE } from "../../constructs/ami-pipeline/ami-pipeline";
import { EMULATOR_ACCOUNT_ID } from "../../lib/emulator";
import type { AppliedStack, Sandbox } from "../sandbox";
import { collectingLogs, functionEnvironment } from "./emulator-api";
import { amiStateChange, scheduledEvent } from "./events";
import { amiPublisherHandler, quickly } from "./handlers";
import { Checks, Rehearsal } from "./rehearsal";

export const NOT_SIMULATED = [
  "Data Lifecycle Manager: the emulator has no DLM (a stand-in only stores the policy), so the rehearsal makes each image (CreateImage) with the tags the stored policy gives it and the aws:dlm:lifecycle-policy-id tag DLM sets",
  "the image's snapshots: the emulator's image is available at once and holds no data",
  "EventBridge: no EC2 AMI State Change event is emitted or delivered, and the emulator's Lambda runs no code, so the publisher's real handler runs in this process on the documented events",
  "SSM's check that an aws:ec2:image parameter names an existing image: moto 5.2.5 does not make it, so the rehearsal asks DescribeImages itself",
  "a launch resolving the parameter (resolve:ssm:): the emulator's launches do not read it",
  "the image-age alarm: the emulator evaluates no alarm; the rehearsal reads the metric the catch-up put",
];

type TagList = { Key?: string; Value?: string }[] | undefined;
const tagMap = (tags: TagList): Record<string, string> => Object.fromEntries((tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));

async function run(sandbox: Sandbox, applied: AppliedStack): Promise<Checks["list"]> {
  const c = new Checks();
  const config = sandbox.clientConfig();
  const ec2 = new EC2(config);
  const ssm = new SSM(config);
  const group = String(applied.outputs.group_name);
  const env = await functionEnvironment(sandbox, `${group}-image-publisher`);
  const publisher = amiPublisherHandler();
  const where = { account: EMULATOR_ACCOUNT_ID, region: sandbox.config.region };

  // The policy as applied, and the server it images.
  const { Policy } = await new DLM(config).getLifecyclePolicy({ PolicyId: env.DLM_POLICY_ID });
  const targetTags = tagMap(Policy?.PolicyDetails?.TargetTags);
  const schedule = Policy?.PolicyDetails?.Schedules?.[0];
  if (
    !c.check("the publisher is deployed with the pipeline's DLM policy, which targets tagged instances", Object.keys(targetTags).length > 0 && !!schedule, {
      policy: env.DLM_POLICY_ID,
      targetTags,
    })
  ) {
    return c.list;
  }
  const { AutoScalingGroups = [] } = await new AutoScaling(config).describeAutoScalingGroups({ AutoScalingGroupNames: [group] });
  const server = AutoScalingGroups[0]?.Instances?.find((i) => i.LifecycleState === "InService")?.InstanceId;
  if (!c.check("the group has an instance in service to image", server !== undefined)) return c.list;
  const { Reservations = [] } = await ec2.describeInstances({ InstanceIds: [server!] });
  const instanceTags = tagMap(Reservations[0]?.Instances?.[0]?.Tags);
  c.check(
    "the server carries every target tag of the DLM policy (so DLM images it)",
    Object.entries(targetTags).every(([k, v]) => instanceTags[k] === v),
    { targetTags, instance: server },
  );

  /** An image of the server as the policy makes it (policyId: the policy DLM names in its tag). */
  const made: string[] = [];
  async function image(name: string, policyId: string): Promise<{ id: string; created: number }> {
    const variable = (schedule?.VariableTags ?? []).map((t) => ({ Key: t.Key, Value: (t.Value ?? "").replace("$(instance-id)", server!) }));
    const tags: Tag[] = [...(schedule?.TagsToAdd ?? []), ...variable, { Key: publisher.DLM_POLICY_TAG, Value: policyId }];
    const { ImageId } = await ec2.createImage({
      InstanceId: server!,
      Name: `${group}-${name}-${Date.now()}`,
      TagSpecifications: [{ ResourceType: "image", Tags: tags }],
    });
    made.push(ImageId!);
    const { Images = [] } = await ec2.describeImages({ ImageIds: [ImageId!] });
    return { id: ImageId!, created: Date.parse(Images[0]?.CreationDate ?? "") };
  }
  const handle = publisher.createHandler({
    ec2,
    ssm,
    autoscaling: new AutoScaling(config),
    sns: new SNS(config),
    cloudwatch: new CloudWatch(config),
    env,
    sleep: quickly,
    retryDelaysMs: [100],
  });
  const deliver = async (event: unknown) => (await collectingLogs(() => handle(event, undefined))).value;
  const publishedImage = async (): Promise<{ value?: string; dataType?: string; exists: boolean }> => {
    const { Parameter } = await ssm.getParameter({ Name: env.PARAMETER_NAME });
    const { Images = [] } = Parameter?.Value ? await ec2.describeImages({ ImageIds: [Parameter.Value] }).catch(() => ({ Images: [] })) : { Images: [] };
    return { value: Parameter?.Value, dataType: Parameter?.DataType, exists: Images[0]?.State === "available" };
  };

  try {
    const base = await publishedImage();
    c.check("before: the parameter names the base image the apply seeded (an existing image)", base.exists && base.dataType === "aws:ec2:image", base);

    const first = await image("first", env.DLM_POLICY_ID);
    const onFirst = await deliver(amiStateChange(where, first.id));
    const afterFirst = await publishedImage();
    c.check(
      "an available image of the policy is published: the aws:ec2:image parameter names it",
      onFirst.published === true && afterFirst.value === first.id && afterFirst.dataType === "aws:ec2:image",
      {
        result: onFirst,
        parameter: afterFirst,
      },
    );
    c.check("the published image exists in EC2, available", afterFirst.exists, afterFirst);

    const other = await image("other-policy", "policy-0f0f0f0f0f0f0f0f0");
    const onOther = await deliver(amiStateChange(where, other.id));
    c.check("an image of another policy changes nothing", onOther.published === false && (await publishedImage()).value === first.id, onOther);

    // A newer image whose event was lost (EC2's image times are in whole seconds).
    while (Date.now() < first.created + 1000) await new Promise((r) => setTimeout(r, 100));
    const lost = await image("event-lost", env.DLM_POLICY_ID);
    c.check("no event, nothing published: the parameter still names the first image", (await publishedImage()).value === first.id);
    const rule = `arn:aws:events:${where.region}:${where.account}:rule/${group}-image-catch-up`;
    const caughtUp = await deliver(scheduledEvent(where, rule));
    c.check(
      "the catch-up publishes the newer image whose event was lost",
      caughtUp.published === true && caughtUp.imageId === lost.id && (await publishedImage()).value === lost.id,
      caughtUp,
    );
    const { Metrics = [] } = await new CloudWatch(config).listMetrics({ Namespace: METRIC_NAMESPACE, MetricName: AGE_METRIC });
    c.check(
      "the catch-up puts the published image's age (the live RPO metric)",
      Metrics.some((m) => tagMap(m.Dimensions?.map((d) => ({ Key: d.Name, Value: d.Value }))).Pipeline === env.PIPELINE_NAME),
      Metrics,
    );

    // DLM retention deregisters the published image: the next launch must not name it.
    await ec2.deregisterImage({ ImageId: lost.id });
    const onGone = await deliver(amiStateChange(where, lost.id, "deregistered"));
    const afterGone = await publishedImage();
    c.check(
      "the published image deregistered: the parameter falls back to the newest image of the policy left",
      afterGone.value === first.id && afterGone.exists,
      { result: onGone, parameter: afterGone },
    );
  } finally {
    for (const id of made) await ec2.deregisterImage({ ImageId: id }).catch(() => undefined);
  }
  return c.list;
}

export const MULTIAZ_AMI_LOOP: Rehearsal = {
  name: "multiaz: AMI loop",
  stack: "multiaz",
  notSimulated: NOT_SIMULATED,
  run,
};
