/**
 * A small stateful fake of the AWS calls the AMI publisher makes: EC2 images (by id, or by
 * owner, tag and state filters, answering InvalidAMIID.NotFound for an unknown id as EC2
 * does), Auto Scaling lifecycle states, SSM parameters (with their last change), and what the
 * handler told SNS and CloudWatch. Tests change the account between invocations (an image
 * appears, retention deletes one) and read the end state.
 */

export interface FakeImage {
  readonly tags: Readonly<Record<string, string>>;
  /** ISO creation time. */
  readonly created: string;
  /** @default "available" */
  readonly state?: string;
}

export interface AccountSetup {
  readonly images?: Record<string, FakeImage>;
  readonly lifecycle?: Record<string, string>;
  readonly parameters?: Record<string, { value: string; modified?: string }>;
}

export function fakeAccount(setup: AccountSetup = {}) {
  const images = new Map(Object.entries(setup.images ?? {}));
  const parameters = new Map(Object.entries(setup.parameters ?? {}).map(([k, v]) => [k, { value: v.value, modified: v.modified ?? "2026-11-01T00:00:00Z" }]));
  const puts: any[] = [];
  const notifications: { subject: string; message: string; topic: string }[] = [];
  const metrics: { namespace: string; name: string; dimensions: Record<string, string>; value: number; unit: string }[] = [];
  const calls: string[] = [];

  const describe = (id: string, image: FakeImage) => ({
    ImageId: id,
    CreationDate: image.created,
    State: image.state ?? "available",
    Tags: Object.entries(image.tags).map(([Key, Value]) => ({ Key, Value })),
  });

  const ec2 = {
    async describeImages(input: { ImageIds?: string[]; Owners?: string[]; Filters?: { Name: string; Values: string[] }[] }) {
      calls.push(`ec2:DescribeImages ${JSON.stringify(input)}`);
      if (input.ImageIds) {
        const missing = input.ImageIds.filter((id) => !images.has(id));
        if (missing.length > 0) throw Object.assign(new Error(`The image id '[${missing.join(", ")}]' does not exist`), { name: "InvalidAMIID.NotFound" });
        return { Images: input.ImageIds.map((id) => describe(id, images.get(id)!)) };
      }
      const matches = [...images.entries()].filter(([, image]) =>
        (input.Filters ?? []).every((f) => {
          if (f.Name === "state") return f.Values.includes(image.state ?? "available");
          if (f.Name.startsWith("tag:")) return f.Values.includes(image.tags[f.Name.slice(4)]);
          throw new Error(`fake: filter ${f.Name} not supported`);
        }),
      );
      return { Images: matches.map(([id, image]) => describe(id, image)) };
    },
  };
  const autoscaling = {
    async describeAutoScalingInstances({ InstanceIds }: { InstanceIds: string[] }) {
      const state = setup.lifecycle?.[InstanceIds[0]];
      return { AutoScalingInstances: state ? [{ InstanceId: InstanceIds[0], LifecycleState: state }] : [] };
    },
  };
  const ssm = {
    async getParameter({ Name }: { Name: string }) {
      const p = parameters.get(Name);
      if (!p) throw Object.assign(new Error(`ParameterNotFound: ${Name}`), { name: "ParameterNotFound" });
      return { Parameter: { Name, Value: p.value, LastModifiedDate: new Date(p.modified) } };
    },
    async putParameter(input: any) {
      puts.push(input);
      parameters.set(input.Name, { value: input.Value, modified: new Date().toISOString() });
      return { Version: puts.length };
    },
  };
  const sns = {
    async publish(input: { TopicArn: string; Subject: string; Message: string }) {
      notifications.push({ topic: input.TopicArn, subject: input.Subject, message: input.Message });
      return { MessageId: `m-${notifications.length}` };
    },
  };
  const cloudwatch = {
    async putMetricData(input: { Namespace: string; MetricData: any[] }) {
      for (const d of input.MetricData) {
        metrics.push({
          namespace: input.Namespace,
          name: d.MetricName,
          dimensions: Object.fromEntries(d.Dimensions.map((x: any) => [x.Name, x.Value])),
          value: d.Value,
          unit: d.Unit,
        });
      }
      return {};
    },
  };
  return {
    clients: { ec2, ssm, autoscaling, sns, cloudwatch },
    images,
    parameters,
    puts,
    notifications,
    metrics,
    calls,
    /** The value of a parameter now. */
    parameter: (name: string) => parameters.get(name)?.value,
  };
}
