import { AGE_METRIC, METRIC_NAMESPACE, SOURCE_INSTANCE_TAG } from "../../../constructs/ami-pipeline/ami-pipeline";
import { AccountSetup, fakeAccount } from "./support/fake-account";

// The handler is plain JavaScript for the Lambda runtime; typed here for the tests.
interface HandlerModule {
  createHandler(deps: Record<string, unknown>): (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<any>;
  SOURCE_INSTANCE_TAG: string;
  DLM_POLICY_TAG: string;
  AGE_METRIC: string;
}
const handlerModule = require("../../../constructs/ami-pipeline/handler") as HandlerModule;

const PARAMETER = "/demo/multiaz/image-id";
const BASE = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
const TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:demo";
const ENV = {
  PARAMETER_NAME: PARAMETER,
  DLM_POLICY_ID: "policy-0abc",
  BASE_IMAGE_PARAMETER: BASE,
  TOPIC_ARN: TOPIC,
  METRIC_NAMESPACE,
  PIPELINE_NAME: "demo",
};
const NOW = new Date("2026-12-01T12:00:00Z");
const HOUR = 3600;

const POLICY = { "aws:dlm:lifecycle-policy-id": "policy-0abc", [SOURCE_INSTANCE_TAG]: "i-0serving" };
/** A DLM image of the serving instance, `hoursAgo` old. */
const policyImage = (hoursAgo: number, tags: Record<string, string> = POLICY) => ({
  tags,
  created: new Date(NOW.getTime() - hoursAgo * HOUR * 1000).toISOString(),
});
/** The base image, published by the seed `hoursAgo`. */
const BASE_IMAGE = { "ami-0ba5e0": { tags: { Name: "al2023-ami" }, created: "2026-10-01T00:00:00Z" } };

/** An account with the given images, the parameter naming `published` since `publishedHoursAgo`, and the base image parameter. */
function account(setup: AccountSetup & { published?: string; publishedHoursAgo?: number } = {}) {
  const modified = new Date(NOW.getTime() - (setup.publishedHoursAgo ?? 30) * HOUR * 1000).toISOString();
  const aws = fakeAccount({
    lifecycle: { "i-0serving": "InService" },
    ...setup,
    images: { ...BASE_IMAGE, ...setup.images },
    parameters: { [BASE]: { value: "ami-0ba5e0" }, [PARAMETER]: { value: setup.published ?? "ami-0ba5e0", modified } },
  });
  const handle = handlerModule.createHandler({ ...aws.clients, env: ENV, now: () => NOW, sleep: async () => undefined });
  return { ...aws, handle };
}

function amiEvent(imageId: string, state = "available") {
  return { source: "aws.ec2", "detail-type": "EC2 AMI State Change", detail: { RequestId: "r-1", ImageId: imageId, State: state, ErrorMessage: "" } };
}
const SCHEDULE = { source: "aws.events", "detail-type": "Scheduled Event", detail: {} };

describe("AMI pipeline handler", () => {
  beforeEach(() => jest.spyOn(console, "log").mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  describe("on AMI events", () => {
    test("publishes an AMI the pipeline's policy made of the serving instance, and its age", async () => {
      // GIVEN the seed's base image is published and DLM has just made an image of the instance in service
      const aws = account({ images: { "ami-0new": policyImage(0.5) } });

      // WHEN it becomes available
      const result = await aws.handle(amiEvent("ami-0new"));

      // THEN the parameter the launch template reads points at it, validated as an image
      expect(result).toEqual({ published: true, imageId: "ami-0new", parameterName: PARAMETER, ageSeconds: 1800 });
      expect(aws.puts).toEqual([{ Name: PARAMETER, Value: "ami-0new", Type: "String", DataType: "aws:ec2:image", Overwrite: true }]);
      // AND the age of what a replacement would start from is a metric
      expect(aws.metrics).toEqual([{ namespace: METRIC_NAMESPACE, name: AGE_METRIC, dimensions: { Pipeline: "demo" }, value: 1800, unit: "Seconds" }]);
    });

    test("publishes the AMI of a server that has been terminated since", async () => {
      // GIVEN the imaged instance failed while DLM finished the image
      const aws = account({ images: { "ami-0last": policyImage(1) }, lifecycle: {} });

      await aws.handle(amiEvent("ami-0last"));

      // THEN its last image is exactly what the replacement needs
      expect(aws.parameter(PARAMETER)).toBe("ami-0last");
    });

    test("skips AMIs that another policy or a person made", async () => {
      const aws = account({
        images: { "ami-0other": policyImage(1, { "aws:dlm:lifecycle-policy-id": "policy-0zzz" }), "ami-0manual": policyImage(1, { Name: "by hand" }) },
      });

      expect(await aws.handle(amiEvent("ami-0other"))).toMatchObject({ published: false, reason: "not made by this pipeline's policy" });
      expect(await aws.handle(amiEvent("ami-0manual"))).toMatchObject({ published: false });
      expect(aws.puts).toEqual([]);
    });

    test("skips an AMI of an instance waiting in the warm pool", async () => {
      // GIVEN DLM imaged a warm-pool instance (it carries the group's tag too)
      const aws = account({
        images: { "ami-0warm": policyImage(1, { ...POLICY, [SOURCE_INSTANCE_TAG]: "i-0warm" }) },
        lifecycle: { "i-0warm": "Warmed:Stopped" },
      });

      const result = await aws.handle(amiEvent("ami-0warm"));

      // THEN the parameter keeps the serving instance's image
      expect(result).toMatchObject({ published: false, reason: expect.stringContaining("waits in the warm pool (Warmed:Stopped)") });
      expect(aws.puts).toEqual([]);
    });

    test("skips an event that arrives after a newer image was published (events come in any order)", async () => {
      // GIVEN the catch-up already published a newer image
      const aws = account({ images: { "ami-0old": policyImage(25), "ami-0new": policyImage(1) }, published: "ami-0new" });

      // WHEN the older image's late event arrives
      const result = await aws.handle(amiEvent("ami-0old"));

      // THEN the parameter keeps the newer one
      expect(result).toMatchObject({ published: false, reason: "older than the published ami-0new" });
      expect(aws.parameter(PARAMETER)).toBe("ami-0new");
    });

    test("skips events of images that failed, or are gone", async () => {
      const aws = account();

      expect(await aws.handle(amiEvent("ami-0x", "failed"))).toMatchObject({ published: false, reason: "state failed" });
      expect(await aws.handle(amiEvent("ami-0gone"))).toMatchObject({ published: false, reason: "not found" });
      expect(aws.puts).toEqual([]);
    });
  });

  describe("when the published image is deleted", () => {
    test("DLM retention deleting the published image publishes the newest image at once and tells the topic", async () => {
      // GIVEN missed events left the parameter on an old image, which DLM retention now deregisters
      const aws = account({ images: { "ami-0newest": policyImage(2), "ami-0newer": policyImage(26) }, published: "ami-0old" });

      // WHEN its deregistered event arrives
      const result = await aws.handle(amiEvent("ami-0old", "deregistered"));

      // THEN the next launch will not fail: the parameter names the newest image of the policy
      expect(result).toMatchObject({ published: true, imageId: "ami-0newest", previous: "ami-0old", ageSeconds: 2 * HOUR });
      expect(aws.parameter(PARAMETER)).toBe("ami-0newest");
      expect(aws.notifications).toEqual([
        {
          topic: TOPIC,
          subject: "demo: launch image replaced, ami-0old is gone",
          message: expect.stringContaining(
            "named ami-0old, which no longer exists (the published image ami-0old was deregistered); a launch from it would have failed. It now names ami-0newest",
          ),
        },
      ]);
    });

    test("a deregistered image that is not the published one changes nothing", async () => {
      const aws = account({ images: { "ami-0new": policyImage(1) }, published: "ami-0new" });

      expect(await aws.handle(amiEvent("ami-0expired", "deregistered"))).toMatchObject({
        published: false,
        reason: "deregistered, but not the published image (ami-0new)",
      });
      expect(aws.puts).toEqual([]);
    });

    test("with no image of the policy left, publishes the base image and says what that means", async () => {
      // GIVEN the published image is gone, and so is every image of the policy
      const aws = account({ published: "ami-0gone" });

      const result = await aws.handle(SCHEDULE);

      // THEN a launch still works, from the base image, and the topic hears that it carries no data
      expect(result).toMatchObject({ published: true, imageId: "ami-0ba5e0", previous: "ami-0gone" });
      expect(aws.parameter(PARAMETER)).toBe("ami-0ba5e0");
      expect(aws.notifications.map((n) => n.subject)).toEqual(["demo: no server image left, launching the base image"]);
      expect(aws.notifications[0].message).toMatch(/a replacement starts without the server's data\. Check the DLM policy/);
    });
  });

  describe("on the catch-up schedule", () => {
    test("publishes the newest image of the policy when its event was lost", async () => {
      // GIVEN DLM made a new image an hour ago, but its event never reached the function
      const aws = account({
        images: {
          "ami-0yesterday": policyImage(25),
          "ami-0today": policyImage(1),
          "ami-0other": policyImage(0.1, { "aws:dlm:lifecycle-policy-id": "policy-0zzz" }),
        },
        published: "ami-0yesterday",
      });

      // WHEN the catch-up runs
      const result = await aws.handle(SCHEDULE);

      // THEN the parameter names the newest image of this policy (not another policy's newer one), quietly
      expect(result).toMatchObject({ published: true, imageId: "ami-0today", previous: "ami-0yesterday", ageSeconds: HOUR });
      expect(aws.parameter(PARAMETER)).toBe("ami-0today");
      expect(aws.notifications).toEqual([]);
      // AND it asked EC2 for this policy's available images only
      expect(aws.calls).toContain(
        `ec2:DescribeImages ${JSON.stringify({
          Owners: ["self"],
          Filters: [
            { Name: "tag:aws:dlm:lifecycle-policy-id", Values: ["policy-0abc"] },
            { Name: "state", Values: ["available"] },
          ],
        })}`,
      );
    });

    test("passes over the newest image when it was made of a warm-pool instance", async () => {
      const aws = account({
        images: { "ami-0warm": policyImage(1, { ...POLICY, [SOURCE_INSTANCE_TAG]: "i-0warm" }), "ami-0serving": policyImage(2) },
        lifecycle: { "i-0serving": "InService", "i-0warm": "Warmed:Stopped" },
      });

      expect(await aws.handle(SCHEDULE)).toMatchObject({ published: true, imageId: "ami-0serving" });
    });

    test("when up to date, publishes nothing and reports the published image's age", async () => {
      const aws = account({ images: { "ami-0today": policyImage(3) }, published: "ami-0today" });

      expect(await aws.handle(SCHEDULE)).toMatchObject({ published: false, imageId: "ami-0today", ageSeconds: 3 * HOUR });
      expect(aws.puts).toEqual([]);
      expect(aws.metrics.map((m) => m.value)).toEqual([3 * HOUR]);
    });

    test("before the first image, the age runs from the seed: the server's data is in no image yet", async () => {
      // GIVEN the stack was applied 20 hours ago and DLM has not made an image yet
      const aws = account({ published: "ami-0ba5e0", publishedHoursAgo: 20 });

      // THEN the age is the time since the base image was published, not the base image's own (months)
      expect(await aws.handle(SCHEDULE)).toMatchObject({ published: false, ageSeconds: 20 * HOUR });
    });
  });

  test("answers the base image for Terraform's apply-time seed", async () => {
    // GIVEN the public AL2023 parameter
    const aws = account();

    // WHEN aws_lambda_invocation calls it
    const result = await aws.handle({ baseImageParameter: BASE });

    // THEN it answers the id and writes nothing (Terraform creates the parameter from the answer)
    expect(result).toEqual({ imageId: "ami-0ba5e0" });
    expect(aws.puts).toEqual([]);
  });

  describe("while IAM propagates the role's new policy", () => {
    const denied = () =>
      Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/demo is not authorized to perform: ssm:GetParameter"), {
        name: "AccessDeniedException",
      });

    /** SSM that denies the first `denials` reads (Infinity: always), then answers; pauses recorded, not waited. */
    function propagating(denials: number) {
      const aws = fakeAccount({ parameters: { [BASE]: { value: "ami-0b5a5e0c1d2e3f4a5" } } });
      const reads: number[] = [];
      const getParameter = aws.clients.ssm.getParameter;
      aws.clients.ssm.getParameter = async (input: { Name: string }) => {
        reads.push(reads.length + 1);
        if (reads.length <= denials) throw denied();
        return getParameter(input);
      };
      const slept: number[] = [];
      const handle = handlerModule.createHandler({ ...aws.clients, env: ENV, sleep: async (ms: number) => void slept.push(ms) });
      return { handle, reads, slept };
    }

    test("the seed retries access denied with growing pauses and succeeds once the policy applies", async () => {
      // GIVEN IAM denies the first two reads of the base image, then allows
      const fake = propagating(2);

      // WHEN Terraform's aws_lambda_invocation runs the seed
      const result = await fake.handle({ baseImageParameter: BASE });

      // THEN the apply gets the image id, after two pauses, the second longer than the first
      expect(result).toEqual({ imageId: "ami-0b5a5e0c1d2e3f4a5" });
      expect(fake.reads).toEqual([1, 2, 3]);
      expect(fake.slept).toHaveLength(2);
      expect(fake.slept[1]).toBeGreaterThan(fake.slept[0]);
    });

    test("a denial that never ends fails after a bounded number of attempts, saying what was denied and what to do", async () => {
      // GIVEN a role that lacks the permission for good
      const fake = propagating(Infinity);

      // WHEN the seed runs, THEN it gives up with a message naming the action, the count and the fix
      const failure = fake.handle({ baseImageParameter: BASE });
      await expect(failure).rejects.toThrow(`ssm:GetParameter on ${BASE} was denied 12 time(s) over 120 s (AccessDeniedException: User:`);
      await expect(failure).rejects.toThrow(
        /If Terraform has just created this function's role policy, IAM had not caught up yet: run the apply \(or the invocation\) again\. Otherwise the function's role lacks this permission/,
      );
      // AND it waited the 2 minutes Terraform's provider allows IAM to propagate, no more
      expect(fake.reads).toHaveLength(12);
      expect(fake.slept.reduce((a, b) => a + b, 0)).toBe(120_000);
    });

    test("never retries past the invocation's deadline", async () => {
      // GIVEN an invocation with 20 s left, and a clock that the pauses advance
      const fake = propagating(Infinity);
      const context = { getRemainingTimeInMillis: () => 20_000 - fake.slept.reduce((a, b) => a + b, 0) };

      // WHEN every read is denied
      await expect(fake.handle({ baseImageParameter: BASE }, context)).rejects.toThrow(/was denied 5 time\(s\) over 15 s/);

      // THEN it stopped with 5 s left to report the failure (1 + 2 + 4 + 8 s slept; the next 15 s would overrun)
      expect(fake.slept).toEqual([1000, 2000, 4000, 8000]);
    });

    test("errors other than access denied are not retried", async () => {
      const fake = propagating(0);
      await expect(fake.handle({ baseImageParameter: "/aws/service/missing" })).rejects.toThrow(/ParameterNotFound/);
      expect(fake.slept).toEqual([]);
    });

    test("an event's calls are retried too (the first image can come right after the apply)", async () => {
      // GIVEN PutParameter is denied once
      const aws = account({ images: { "ami-0new": policyImage(1) } });
      const putParameter = aws.clients.ssm.putParameter;
      let denials = 1;
      aws.clients.ssm.putParameter = async (input: any) => {
        if (denials-- > 0) throw Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
        return putParameter(input);
      };
      const slept: number[] = [];

      const result = await handlerModule.createHandler({ ...aws.clients, env: ENV, now: () => NOW, sleep: async (ms: number) => void slept.push(ms) })(
        amiEvent("ami-0new"),
      );

      expect(result).toMatchObject({ published: true, imageId: "ami-0new" });
      expect(slept).toHaveLength(1);
    });
  });

  test("fails when asked to read a parameter that is not a public AWS one", async () => {
    await expect(account().handle({ baseImageParameter: "/demo/secret" })).rejects.toThrow(/baseImageParameter must be a public AWS parameter/);
  });

  test("fails on an event it does not know", async () => {
    await expect(account().handle({ hello: 1 })).rejects.toThrow(/unexpected event: \{"hello":1\}/);
  });

  test("fails when its environment is incomplete", () => {
    expect(() => handlerModule.createHandler({ ...fakeAccount().clients, env: { ...ENV, TOPIC_ARN: undefined } })).toThrow(/TOPIC_ARN is not set/);
  });

  test("reads the tags the DLM policy writes and puts the metric the alarm watches", () => {
    // The construct (TypeScript) and the handler (JavaScript) must name the same tag and metric.
    expect(handlerModule.SOURCE_INSTANCE_TAG).toBe(SOURCE_INSTANCE_TAG);
    expect(handlerModule.DLM_POLICY_TAG).toBe("aws:dlm:lifecycle-policy-id");
    expect(handlerModule.AGE_METRIC).toBe(AGE_METRIC);
  });
});
