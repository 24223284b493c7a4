"use strict";
/**
 * Lambda handler of the AMI pipeline (on the Node.js runtime of lib/lambda-runtime.ts, which
 * ships the AWS SDK v3). It keeps the SSM parameter that the launch template resolves at every
 * launch at the newest usable image of the pipeline's Data Lifecycle Manager policy. Callers:
 *
 * - EventBridge, on `EC2 AMI State Change`. `available`: an image of this policy, newer than
 *   the one published, is published. `deregistered` or `disabled`: if it is the published
 *   image (DLM retention deleted it, or someone did), the catch-up below runs at once, or the
 *   next launch would fail. EventBridge cannot match AMI tags, so the rule passes every AMI of
 *   the account and the handler reads the image's tags (DescribeImages): the policy is
 *   recognised by `aws:dlm:lifecycle-policy-id`, which only DLM can set (`aws:` is reserved).
 *   An image of an instance waiting in the warm pool is skipped: it holds no more than the
 *   image that instance was launched from.
 * - EventBridge, on its schedule (`Scheduled Event`): the catch-up. AMI events are best
 *   effort; one missed event would leave the parameter on an older image for good. It looks up
 *   the newest available image of this policy and publishes it if newer; if the published
 *   image is gone and the policy has none, it publishes the base image and says so on the
 *   topic. Every catch-up puts the age of the published image (the data a replacement would
 *   lose) as a CloudWatch metric, which the stack's alarm watches: a live RPO monitor.
 * - Terraform, through `aws_lambda_invocation` at apply time, with `{ baseImageParameter }`:
 *   answer the image id in that public parameter, which seeds the SSM parameter before the
 *   first launch (no AMI lookup at plan time).
 *
 * Every AWS call is retried while IAM still denies it (the seed runs seconds after Terraform
 * creates the role's policies), bounded: see handler-support/aws-calls.js.
 *
 * The clients are injected (`createHandler`) so tests run it with fakes; `handler` builds the
 * SDK clients on first use (they honour AWS_ENDPOINT_URL, so the same code runs against an
 * emulator).
 */
const { awsCaller } = require("../../compute/handler-support/aws-calls");
const { log, notify, putMetric, required } = require("../../compute/handler-support/reporting");

/** Tag Data Lifecycle Manager puts on the images it makes: the policy's id. */
const DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id";
/** Variable tag the policy puts on its images: the id of the imaged instance. */
const SOURCE_INSTANCE_TAG = "SourceInstanceId";
/** The metric of the published image's age, in seconds. */
const AGE_METRIC = "PublishedImageAgeSeconds";

/**
 * @param {object} deps
 * @param {{ describeImages(input: object): Promise<any> }} deps.ec2
 * @param {{ getParameter(input: object): Promise<any>, putParameter(input: object): Promise<any> }} deps.ssm
 * @param {{ describeAutoScalingInstances(input: object): Promise<any> }} deps.autoscaling
 * @param {{ publish(input: object): Promise<any> }} deps.sns
 * @param {{ putMetricData(input: object): Promise<any> }} deps.cloudwatch
 * @param {Record<string, string | undefined>} deps.env PARAMETER_NAME, DLM_POLICY_ID, BASE_IMAGE_PARAMETER, TOPIC_ARN, METRIC_NAMESPACE, PIPELINE_NAME
 * @param {(ms: number) => Promise<void>} [deps.sleep] how to wait between retries
 * @param {number[]} [deps.retryDelaysMs] pauses between retries of a denied call
 * @param {() => Date} [deps.now] the clock
 */
function createHandler({ ec2, ssm, autoscaling, sns, cloudwatch, env, sleep, retryDelaysMs, now = () => new Date() }) {
  const parameterName = required(env, "PARAMETER_NAME");
  const policyId = required(env, "DLM_POLICY_ID");
  const baseImageParameter = required(env, "BASE_IMAGE_PARAMETER");
  const topicArn = required(env, "TOPIC_ARN");
  const namespace = required(env, "METRIC_NAMESPACE");
  const pipeline = required(env, "PIPELINE_NAME");

  const tagsOf = (image) => Object.fromEntries((image.Tags || []).map((t) => [t.Key, t.Value]));
  const isPolicyImage = (image) => Boolean(image) && tagsOf(image)[DLM_POLICY_TAG] === policyId;
  const created = (image) => Date.parse(image.CreationDate);

  /** The image, or undefined when EC2 no longer has it (deregistered) or it is not usable. */
  async function usableImage(call, imageId) {
    let images;
    try {
      ({ Images: images = [] } = await call("ec2:DescribeImages", () => ec2.describeImages({ ImageIds: [imageId] })));
    } catch (error) {
      if (/^InvalidAMIID\./.test(error.name || "")) return undefined;
      throw error;
    }
    const image = images[0];
    return image && (image.State === undefined || image.State === "available") ? image : undefined;
  }

  /** Why the image should not be published although it is the policy's, or undefined. */
  async function warmPoolReason(call, image) {
    const source = tagsOf(image)[SOURCE_INSTANCE_TAG];
    if (!source) return undefined;
    const { AutoScalingInstances = [] } = await call("autoscaling:DescribeAutoScalingInstances", () =>
      autoscaling.describeAutoScalingInstances({ InstanceIds: [source] }),
    );
    const state = (AutoScalingInstances[0] && AutoScalingInstances[0].LifecycleState) || "";
    return state.startsWith("Warmed:") ? `made of ${source}, which waits in the warm pool (${state})` : undefined;
  }

  async function published(call) {
    const { Parameter } = await call(`ssm:GetParameter on ${parameterName}`, () => ssm.getParameter({ Name: parameterName }));
    return { imageId: Parameter.Value, since: Parameter.LastModifiedDate ? new Date(Parameter.LastModifiedDate) : now() };
  }

  async function publish(call, imageId) {
    await call(`ssm:PutParameter on ${parameterName}`, () =>
      ssm.putParameter({ Name: parameterName, Value: imageId, Type: "String", DataType: "aws:ec2:image", Overwrite: true }),
    );
    log({ published: imageId, parameter: parameterName });
  }

  /** The age of what a replacement would start from: the image's creation, or (base image) its publication. */
  async function reportAge(call, since) {
    const seconds = Math.max(0, Math.round((now().getTime() - since.getTime()) / 1000));
    await putMetric(call, cloudwatch, namespace, AGE_METRIC, { Pipeline: pipeline }, seconds, "Seconds", now());
    return seconds;
  }

  /** The newest available image of the policy that may be published, or undefined. */
  async function newestPolicyImage(call) {
    const { Images = [] } = await call("ec2:DescribeImages", () =>
      ec2.describeImages({
        Owners: ["self"],
        Filters: [
          { Name: `tag:${DLM_POLICY_TAG}`, Values: [policyId] },
          { Name: "state", Values: ["available"] },
        ],
      }),
    );
    const newestFirst = Images.filter(isPolicyImage).sort((a, b) => created(b) - created(a));
    for (const image of newestFirst) {
      const reason = await warmPoolReason(call, image);
      if (!reason) return image;
      log({ skipped: image.ImageId, reason });
    }
    return undefined;
  }

  async function onAvailable(call, imageId) {
    const image = await usableImage(call, imageId);
    if (!image) return skipped(imageId, "not found");
    if (!isPolicyImage(image)) return skipped(imageId, "not made by this pipeline's policy");
    const warm = await warmPoolReason(call, image);
    if (warm) return skipped(imageId, warm);

    const current = await published(call);
    if (current.imageId === imageId) return skipped(imageId, "already published");
    const currentImage = await usableImage(call, current.imageId);
    if (isPolicyImage(currentImage) && created(currentImage) >= created(image)) {
      return skipped(imageId, `older than the published ${current.imageId}`);
    }
    await publish(call, imageId);
    const ageSeconds = await reportAge(call, new Date(created(image)));
    return { published: true, imageId, parameterName, ageSeconds };
  }

  async function onGone(call, imageId, state) {
    const current = await published(call);
    if (current.imageId !== imageId) return skipped(imageId, `${state}, but not the published image (${current.imageId})`);
    return catchUp(call, `the published image ${imageId} was ${state}`);
  }

  async function catchUp(call, trigger) {
    const current = await published(call);
    const currentImage = await usableImage(call, current.imageId);
    const newest = await newestPolicyImage(call);

    if (newest && (!isPolicyImage(currentImage) || created(newest) > created(currentImage))) {
      await publish(call, newest.ImageId);
      if (!currentImage) {
        await notify(
          call,
          sns,
          topicArn,
          `${pipeline}: launch image replaced, ${current.imageId} is gone`,
          `The launch parameter ${parameterName} named ${current.imageId}, which no longer exists (${trigger}); ` +
            `a launch from it would have failed. It now names ${newest.ImageId}, the newest image of DLM policy ${policyId} (created ${newest.CreationDate}).`,
        );
      }
      const ageSeconds = await reportAge(call, new Date(created(newest)));
      log({ caughtUp: newest.ImageId, previous: current.imageId, trigger });
      return { published: true, imageId: newest.ImageId, parameterName, previous: current.imageId, ageSeconds };
    }

    if (!currentImage) {
      const { imageId: baseImageId } = await baseImage(call, baseImageParameter);
      await publish(call, baseImageId);
      await notify(
        call,
        sns,
        topicArn,
        `${pipeline}: no server image left, launching the base image`,
        `The launch parameter ${parameterName} named ${current.imageId}, which no longer exists (${trigger}), and DLM policy ${policyId} ` +
          `has no available image. The parameter now names the base image ${baseImageId} (${baseImageParameter}): a replacement starts ` +
          "without the server's data. Check the DLM policy (its state and its target tags) and the image count it retains.",
      );
      const ageSeconds = await reportAge(call, now());
      return { published: true, imageId: baseImageId, parameterName, previous: current.imageId, ageSeconds };
    }

    const ageSeconds = await reportAge(call, isPolicyImage(currentImage) ? new Date(created(currentImage)) : current.since);
    log({ upToDate: current.imageId, trigger, ageSeconds });
    return { published: false, imageId: current.imageId, parameterName, reason: "the published image is the newest", ageSeconds };
  }

  async function baseImage(call, name) {
    if (!name.startsWith("/aws/service/")) throw new Error(`baseImageParameter must be a public AWS parameter (/aws/service/...), got ${name}`);
    const { Parameter } = await call(`ssm:GetParameter on ${name}`, () => ssm.getParameter({ Name: name }));
    if (!Parameter || !/^ami-[0-9a-f]+$/.test(Parameter.Value)) throw new Error(`${name} holds no AMI id`);
    return { imageId: Parameter.Value };
  }

  return async function handle(event, context) {
    const call = awsCaller({ sleep, delaysMs: retryDelaysMs, remainingMs: context && (() => context.getRemainingTimeInMillis()) });
    if (event && event["detail-type"] === "EC2 AMI State Change") {
      const { ImageId: imageId, State: state } = event.detail || {};
      if (typeof imageId !== "string") return skipped(imageId, "no image id in the event");
      if (state === "available") return onAvailable(call, imageId);
      if (state === "deregistered" || state === "disabled") return onGone(call, imageId, state);
      return skipped(imageId, `state ${state}`);
    }
    if (event && event.source === "aws.events" && event["detail-type"] === "Scheduled Event") return catchUp(call, "scheduled catch-up");
    if (event && typeof event.baseImageParameter === "string") return baseImage(call, event.baseImageParameter);
    throw new Error(`unexpected event: ${JSON.stringify(event).slice(0, 200)}`);
  };
}

function skipped(imageId, reason) {
  log({ skipped: imageId, reason });
  return { published: false, imageId, reason };
}

let sdkHandler;

/** The Lambda entry point, with the SDK clients of the runtime. */
async function handler(event, context) {
  if (!sdkHandler) {
    const { EC2 } = require("@aws-sdk/client-ec2");
    const { SSM } = require("@aws-sdk/client-ssm");
    const { AutoScaling } = require("@aws-sdk/client-auto-scaling");
    const { SNS } = require("@aws-sdk/client-sns");
    const { CloudWatch } = require("@aws-sdk/client-cloudwatch");
    sdkHandler = createHandler({
      ec2: new EC2({}),
      ssm: new SSM({}),
      autoscaling: new AutoScaling({}),
      sns: new SNS({}),
      cloudwatch: new CloudWatch({}),
      env: process.env,
    });
  }
  return sdkHandler(event, context);
}

module.exports = { createHandler, handler, DLM_POLICY_TAG, SOURCE_INSTANCE_TAG, AGE_METRIC };
