import { SOURCE_INSTANCE_TAG } from "../../../constructs/ami-pipeline/ami-pipeline";

// The handler is plain JavaScript for the Lambda runtime; typed here for the tests.
interface HandlerModule {
  createHandler(deps: {
    ec2: unknown;
    ssm: unknown;
    autoscaling: unknown;
    env: Record<string, string | undefined>;
    sleep?: (ms: number) => Promise<void>;
  }): (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<any>;
  SOURCE_INSTANCE_TAG: string;
  DLM_POLICY_TAG: string;
}
const handlerModule = require("../../../constructs/ami-pipeline/handler") as HandlerModule;

const ENV = { PARAMETER_NAME: "/demo/multiaz/image-id", DLM_POLICY_ID: "policy-0abc" };

/** Fake AWS clients: images by id, Auto Scaling states by instance id, and the SSM calls made. */
function fakeAws(options: { images?: Record<string, Record<string, string>>; lifecycle?: Record<string, string>; parameters?: Record<string, string> } = {}) {
  const puts: any[] = [];
  const ec2 = {
    async describeImages({ ImageIds }: { ImageIds: string[] }) {
      const tags = options.images?.[ImageIds[0]];
      return { Images: tags ? [{ ImageId: ImageIds[0], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }] : [] };
    },
  };
  const autoscaling = {
    async describeAutoScalingInstances({ InstanceIds }: { InstanceIds: string[] }) {
      const state = options.lifecycle?.[InstanceIds[0]];
      return { AutoScalingInstances: state ? [{ InstanceId: InstanceIds[0], LifecycleState: state }] : [] };
    },
  };
  const ssm = {
    async getParameter({ Name }: { Name: string }) {
      const value = options.parameters?.[Name];
      if (value === undefined) throw Object.assign(new Error(`ParameterNotFound: ${Name}`), { name: "ParameterNotFound" });
      return { Parameter: { Name, Value: value } };
    },
    async putParameter(input: any) {
      puts.push(input);
      return { Version: puts.length };
    },
  };
  return { deps: { ec2, ssm, autoscaling, env: ENV }, puts };
}

function amiAvailable(imageId: string, state = "available") {
  return { source: "aws.ec2", "detail-type": "EC2 AMI State Change", detail: { RequestId: "r-1", ImageId: imageId, State: state, ErrorMessage: "" } };
}

const POLICY_IMAGE = { "aws:dlm:lifecycle-policy-id": "policy-0abc", [SOURCE_INSTANCE_TAG]: "i-0serving" };

describe("AMI pipeline handler", () => {
  beforeEach(() => jest.spyOn(console, "log").mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  test("publishes an AMI the pipeline's policy made of the serving instance", async () => {
    // GIVEN a DLM image of the instance in service
    const aws = fakeAws({ images: { "ami-0new": POLICY_IMAGE }, lifecycle: { "i-0serving": "InService" } });

    // WHEN it becomes available
    const result = await handlerModule.createHandler(aws.deps)(amiAvailable("ami-0new"));

    // THEN the parameter the launch template reads points at it, validated as an image
    expect(result).toEqual({ published: true, imageId: "ami-0new", parameterName: ENV.PARAMETER_NAME });
    expect(aws.puts).toEqual([{ Name: ENV.PARAMETER_NAME, Value: "ami-0new", Type: "String", DataType: "aws:ec2:image", Overwrite: true }]);
  });

  test("publishes the AMI of a server that has been terminated since", async () => {
    // GIVEN the imaged instance failed while DLM finished the image
    const aws = fakeAws({ images: { "ami-0last": POLICY_IMAGE }, lifecycle: {} });

    await handlerModule.createHandler(aws.deps)(amiAvailable("ami-0last"));

    // THEN its last image is exactly what the replacement needs
    expect(aws.puts.map((p) => p.Value)).toEqual(["ami-0last"]);
  });

  test("skips AMIs that another policy or a person made", async () => {
    const aws = fakeAws({
      images: { "ami-0other": { "aws:dlm:lifecycle-policy-id": "policy-0zzz" }, "ami-0manual": { Name: "by hand" } },
    });
    const handle = handlerModule.createHandler(aws.deps);

    expect(await handle(amiAvailable("ami-0other"))).toMatchObject({ published: false, reason: "not made by this pipeline's policy" });
    expect(await handle(amiAvailable("ami-0manual"))).toMatchObject({ published: false });
    expect(aws.puts).toEqual([]);
  });

  test("skips an AMI of an instance waiting in the warm pool", async () => {
    // GIVEN DLM imaged a warm-pool instance (it carries the group's tag too)
    const aws = fakeAws({ images: { "ami-0warm": { ...POLICY_IMAGE, [SOURCE_INSTANCE_TAG]: "i-0warm" } }, lifecycle: { "i-0warm": "Warmed:Stopped" } });

    const result = await handlerModule.createHandler(aws.deps)(amiAvailable("ami-0warm"));

    // THEN the parameter keeps the serving instance's image
    expect(result).toMatchObject({ published: false, reason: expect.stringContaining("waits in the warm pool (Warmed:Stopped)") });
    expect(aws.puts).toEqual([]);
  });

  test("skips events of images that are not available, or gone", async () => {
    const aws = fakeAws({ images: {} });
    const handle = handlerModule.createHandler(aws.deps);

    expect(await handle(amiAvailable("ami-0x", "failed"))).toMatchObject({ published: false });
    expect(await handle(amiAvailable("ami-0gone"))).toMatchObject({ published: false, reason: "not found" });
    expect(aws.puts).toEqual([]);
  });

  test("answers the base image for Terraform's apply-time seed", async () => {
    // GIVEN the public AL2023 parameter
    const base = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    const aws = fakeAws({ parameters: { [base]: "ami-0b5a5e0c1d2e3f4a5" } });

    // WHEN aws_lambda_invocation calls it
    const result = await handlerModule.createHandler(aws.deps)({ baseImageParameter: base });

    // THEN it answers the id and writes nothing (Terraform creates the parameter from the answer)
    expect(result).toEqual({ imageId: "ami-0b5a5e0c1d2e3f4a5" });
    expect(aws.puts).toEqual([]);
  });

  describe("while IAM propagates the role's new policy", () => {
    const base = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    const denied = () =>
      Object.assign(new Error("User: arn:aws:sts::123456789012:assumed-role/demo is not authorized to perform: ssm:GetParameter"), { name: "AccessDeniedException" });

    /** SSM that denies the first `denials` reads (Infinity: always), then answers; pauses recorded, not waited. */
    function propagating(denials: number) {
      const aws = fakeAws({ parameters: { [base]: "ami-0b5a5e0c1d2e3f4a5" } });
      const reads: number[] = [];
      const getParameter = aws.deps.ssm.getParameter;
      aws.deps.ssm.getParameter = async (input: { Name: string }) => {
        reads.push(reads.length + 1);
        if (reads.length <= denials) throw denied();
        return getParameter(input);
      };
      const slept: number[] = [];
      const handle = handlerModule.createHandler({ ...aws.deps, sleep: async (ms: number) => void slept.push(ms) });
      return { handle, reads, slept };
    }

    test("the seed retries access denied with growing pauses and succeeds once the policy applies", async () => {
      // GIVEN IAM denies the first two reads of the base image, then allows
      const fake = propagating(2);

      // WHEN Terraform's aws_lambda_invocation runs the seed
      const result = await fake.handle({ baseImageParameter: base });

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
      const failure = fake.handle({ baseImageParameter: base });
      await expect(failure).rejects.toThrow(`ssm:GetParameter on ${base} was denied 12 time(s) over 120 s (AccessDeniedException: User:`);
      await expect(failure).rejects.toThrow(/If Terraform has just created this function's role policy, IAM had not caught up yet: run the apply \(or the invocation\) again\. Otherwise the function's role lacks this permission/);
      // AND it waited the 2 minutes Terraform's provider allows IAM to propagate, no more
      expect(fake.reads).toHaveLength(12);
      expect(fake.slept.reduce((a, b) => a + b, 0)).toBe(120_000);
    });

    test("never retries past the invocation's deadline", async () => {
      // GIVEN an invocation with 20 s left, and a clock that the pauses advance
      const fake = propagating(Infinity);
      const context = { getRemainingTimeInMillis: () => 20_000 - fake.slept.reduce((a, b) => a + b, 0) };

      // WHEN every read is denied
      await expect(fake.handle({ baseImageParameter: base }, context)).rejects.toThrow(/was denied 5 time\(s\) over 15 s/);

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
      const aws = fakeAws({ images: { "ami-0new": POLICY_IMAGE }, lifecycle: { "i-0serving": "InService" } });
      const putParameter = aws.deps.ssm.putParameter;
      let denials = 1;
      aws.deps.ssm.putParameter = async (input: any) => {
        if (denials-- > 0) throw Object.assign(new Error("not authorized"), { name: "AccessDeniedException" });
        return putParameter(input);
      };
      const slept: number[] = [];

      const result = await handlerModule.createHandler({ ...aws.deps, sleep: async (ms) => void slept.push(ms) })(amiAvailable("ami-0new"));

      expect(result).toMatchObject({ published: true, imageId: "ami-0new" });
      expect(slept).toHaveLength(1);
    });
  });

  test("fails when asked to read a parameter that is not a public AWS one", async () => {
    const aws = fakeAws({ parameters: { "/demo/secret": "ami-0x" } });

    await expect(handlerModule.createHandler(aws.deps)({ baseImageParameter: "/demo/secret" })).rejects.toThrow(/baseImageParameter must be a public AWS parameter/);
  });

  test("fails on an event it does not know", async () => {
    await expect(handlerModule.createHandler(fakeAws().deps)({ hello: 1 })).rejects.toThrow(/unexpected event: \{"hello":1\}/);
  });

  test("fails when its environment is incomplete", () => {
    expect(() => handlerModule.createHandler({ ...fakeAws().deps, env: { PARAMETER_NAME: "/x" } })).toThrow(/DLM_POLICY_ID is not set/);
  });

  test("reads the tags the DLM policy writes", () => {
    // The policy (TypeScript) and the handler (JavaScript) must name the same tag.
    expect(handlerModule.SOURCE_INSTANCE_TAG).toBe(SOURCE_INSTANCE_TAG);
    expect(handlerModule.DLM_POLICY_TAG).toBe("aws:dlm:lifecycle-policy-id");
  });
});
