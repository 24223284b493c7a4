/**
 * A fake AWS account for the image cleanup: EC2 images and snapshots and DLM policies held in
 * memory, with the behaviour the cleanup relies on: DescribeImages filtered by owner and tag
 * and paginated, DeregisterImage keeping the snapshots, DeleteSnapshot refusing a snapshot a
 * registered image still uses, and errors named as EC2 names them.
 */
import type { DescribeImagesRequest, DescribeImagesResult, Image } from "@aws-sdk/client-ec2";
import type { GetLifecyclePoliciesResponse } from "@aws-sdk/client-dlm";
import type { DlmApi, Ec2Api } from "../../../lib/pipeline-images";

export interface FakeImage {
  readonly imageId: string;
  readonly owner?: string;
  readonly tags: Record<string, string>;
  readonly snapshots: string[];
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

export class FakeAwsAccount implements Ec2Api, DlmApi {
  static readonly SELF = "111122223333";
  readonly images = new Map<string, FakeImage>();
  readonly snapshots = new Set<string>();
  readonly policies = new Map<string, Record<string, string>>();
  readonly calls: string[] = [];

  constructor(private readonly pageSize = 2) {}

  addImage(image: FakeImage): this {
    this.images.set(image.imageId, image);
    for (const s of image.snapshots) this.snapshots.add(s);
    return this;
  }

  addPolicy(policyId: string, tags: Record<string, string>): this {
    this.policies.set(policyId, tags);
    return this;
  }

  async getLifecyclePolicies(): Promise<GetLifecyclePoliciesResponse> {
    this.calls.push("dlm:GetLifecyclePolicies");
    return { Policies: [...this.policies].map(([PolicyId, Tags]) => ({ PolicyId, Tags, State: "ENABLED", PolicyType: "IMAGE_MANAGEMENT" })) };
  }

  async describeImages(input: DescribeImagesRequest): Promise<DescribeImagesResult> {
    this.calls.push(`ec2:DescribeImages${input.NextToken ? `(${input.NextToken})` : ""}`);
    const owners = input.Owners ?? [];
    const matching = [...this.images.values()].filter((i) => {
      const owner = i.owner ?? FakeAwsAccount.SELF;
      if (owners.length > 0 && !owners.some((o) => (o === "self" ? owner === FakeAwsAccount.SELF : o === owner))) return false;
      return (input.Filters ?? []).every((f) => {
        if (f.Name?.startsWith("tag:")) return f.Values?.includes(i.tags[f.Name.slice(4)]);
        if (f.Name === "tag-key") return f.Values?.some((k) => k in i.tags);
        throw new Error(`the fake does not know filter ${f.Name}`);
      });
    });
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const page = matching.slice(start, start + this.pageSize);
    const Images: Image[] = page.map((i) => ({
      ImageId: i.imageId,
      Name: `${i.imageId}-name`,
      CreationDate: "2026-11-30T03:00:00.000Z",
      Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
      BlockDeviceMappings: i.snapshots.map((SnapshotId, n) => ({ DeviceName: `/dev/xvd${"abcdef"[n]}`, Ebs: { SnapshotId, VolumeSize: 16 } })),
    }));
    return { Images, NextToken: start + this.pageSize < matching.length ? String(start + this.pageSize) : undefined };
  }

  async deregisterImage({ ImageId }: { ImageId: string }): Promise<unknown> {
    this.calls.push(`ec2:DeregisterImage(${ImageId})`);
    if (!this.images.delete(ImageId)) throw awsError("InvalidAMIID.NotFound", `The image id '[${ImageId}]' does not exist`);
    return {};
  }

  async deleteSnapshot({ SnapshotId }: { SnapshotId: string }): Promise<unknown> {
    this.calls.push(`ec2:DeleteSnapshot(${SnapshotId})`);
    if (!this.snapshots.has(SnapshotId)) throw awsError("InvalidSnapshot.NotFound", `The snapshot '${SnapshotId}' does not exist.`);
    const user = [...this.images.values()].find((i) => i.snapshots.includes(SnapshotId));
    if (user) throw awsError("InvalidSnapshot.InUse", `The snapshot ${SnapshotId} is currently in use by ${user.imageId}`);
    this.snapshots.delete(SnapshotId);
    return {};
  }
}
