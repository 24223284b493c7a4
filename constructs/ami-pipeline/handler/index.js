"use strict";
/**
 * Lambda handler of the AMI pipeline (on the Node.js runtime of lib/lambda-runtime.ts, which ships the AWS SDK v3). Two callers:
 *
 * - EventBridge, on `EC2 AMI State Change` with state `available`: when the image was made by
 *   the pipeline's Data Lifecycle Manager policy, write its id to the SSM parameter that the
 *   launch template resolves at every launch, so the next replacement starts from it. The
 *   policy is recognised by the `aws:dlm:lifecycle-policy-id` tag, which only DLM can set
 *   (the `aws:` prefix is reserved). An image of an instance waiting in the warm pool is
 *   skipped: it holds no more than the image that instance was launched from.
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

/** Tag Data Lifecycle Manager puts on the images it makes: the policy's id. */
const DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id";
/** Variable tag the policy puts on its images: the id of the imaged instance. */
const SOURCE_INSTANCE_TAG = "SourceInstanceId";

/**
 * @param {object} deps
 * @param {{ describeImages(input: object): Promise<any> }} deps.ec2
 * @param {{ getParameter(input: object): Promise<any>, putParameter(input: object): Promise<any> }} deps.ssm
 * @param {{ describeAutoScalingInstances(input: object): Promise<any> }} deps.autoscaling
 * @param {{ PARAMETER_NAME?: string, DLM_POLICY_ID?: string }} deps.env
 * @param {(ms: number) => Promise<void>} [deps.sleep] how to wait between retries
 * @param {number[]} [deps.retryDelaysMs] pauses between retries of a denied call
 */
function createHandler({ ec2, ssm, autoscaling, env, sleep, retryDelaysMs }) {
  const parameterName = required(env, "PARAMETER_NAME");
  const policyId = required(env, "DLM_POLICY_ID");

  async function publish(call, detail) {
    const imageId = detail && detail.ImageId;
    if (!detail || detail.State !== "available" || typeof imageId !== "string") {
      return skipped(imageId, `state ${detail && detail.State}, not available`);
    }
    const { Images = [] } = await call("ec2:DescribeImages", () => ec2.describeImages({ ImageIds: [imageId] }));
    const image = Images[0];
    if (!image) return skipped(imageId, "not found");
    const tags = Object.fromEntries((image.Tags || []).map((t) => [t.Key, t.Value]));
    if (tags[DLM_POLICY_TAG] !== policyId) return skipped(imageId, "not made by this pipeline's policy");

    const source = tags[SOURCE_INSTANCE_TAG];
    if (source) {
      const { AutoScalingInstances = [] } = await call("autoscaling:DescribeAutoScalingInstances", () =>
        autoscaling.describeAutoScalingInstances({ InstanceIds: [source] }),
      );
      const state = (AutoScalingInstances[0] && AutoScalingInstances[0].LifecycleState) || "";
      if (state.startsWith("Warmed:")) return skipped(imageId, `made of ${source}, which waits in the warm pool (${state})`);
    }

    await call(`ssm:PutParameter on ${parameterName}`, () =>
      ssm.putParameter({ Name: parameterName, Value: imageId, Type: "String", DataType: "aws:ec2:image", Overwrite: true }),
    );
    log({ published: imageId, parameter: parameterName, source });
    return { published: true, imageId, parameterName };
  }

  async function baseImage(call, name) {
    if (!name.startsWith("/aws/service/")) throw new Error(`baseImageParameter must be a public AWS parameter (/aws/service/...), got ${name}`);
    const { Parameter } = await call(`ssm:GetParameter on ${name}`, () => ssm.getParameter({ Name: name }));
    if (!Parameter || !/^ami-[0-9a-f]+$/.test(Parameter.Value)) throw new Error(`${name} holds no AMI id`);
    return { imageId: Parameter.Value };
  }

  return async function handle(event, context) {
    const call = awsCaller({ sleep, delaysMs: retryDelaysMs, remainingMs: context && (() => context.getRemainingTimeInMillis()) });
    if (event && event["detail-type"] === "EC2 AMI State Change") return publish(call, event.detail);
    if (event && typeof event.baseImageParameter === "string") return baseImage(call, event.baseImageParameter);
    throw new Error(`unexpected event: ${JSON.stringify(event).slice(0, 200)}`);
  };
}

function required(env, name) {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

function skipped(imageId, reason) {
  log({ skipped: imageId, reason });
  return { published: false, imageId, reason };
}

function log(fields) {
  console.log(JSON.stringify(fields));
}

let sdkHandler;

/** The Lambda entry point, with the SDK clients of the runtime. */
async function handler(event, context) {
  if (!sdkHandler) {
    const { EC2 } = require("@aws-sdk/client-ec2");
    const { SSM } = require("@aws-sdk/client-ssm");
    const { AutoScaling } = require("@aws-sdk/client-auto-scaling");
    sdkHandler = createHandler({ ec2: new EC2({}), ssm: new SSM({}), autoscaling: new AutoScaling({}), env: process.env });
  }
  return sdkHandler(event, context);
}

module.exports = { createHandler, handler, DLM_POLICY_TAG, SOURCE_INSTANCE_TAG };
