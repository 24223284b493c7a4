/**
 * The AMIs and snapshots an AMI pipeline's Data Lifecycle Manager policy made, which outlive
 * `cdktf destroy`: deleting a policy keeps its AMIs and their snapshots, and they cost until
 * someone deregisters them (see the EBS User Guide, "Delete Amazon Data Lifecycle Manager
 * policies"). Found by the tag the pipeline puts on its policy and, through the policy's
 * tags-to-add, on every image ({@link PIPELINE_TAG}), and by the policy id that DLM itself
 * tags each image with; so an image is this pipeline's only when DLM made it for a policy of
 * this pipeline. Nothing is removed while one of the pipeline's policies still exists: the
 * stack is deployed and its images back the next replacement.
 *
 * The AWS calls go through the narrow interfaces below: the SDK v3 clients (`EC2`, `DLM`,
 * which honour `AWS_ENDPOINT_URL`) in `npm run cleanup`, fakes in the tests.
 */
import type { DescribeImagesRequest, DescribeImagesResult, Image } from "@aws-sdk/client-ec2";
import type { GetLifecyclePoliciesRequest, GetLifecyclePoliciesResponse } from "@aws-sdk/client-dlm";
import { PIPELINE_TAG } from "../constructs/ami-pipeline/ami-pipeline";

/** The tag Data Lifecycle Manager puts on what it creates: the policy's id (reserved prefix: only DLM sets it). */
export const DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id";

export interface Ec2Api {
  describeImages(input: DescribeImagesRequest): Promise<DescribeImagesResult>;
  deregisterImage(input: { ImageId: string }): Promise<unknown>;
  deleteSnapshot(input: { SnapshotId: string }): Promise<unknown>;
}

export interface DlmApi {
  getLifecyclePolicies(input: GetLifecyclePoliciesRequest): Promise<GetLifecyclePoliciesResponse>;
}

export interface LeftoverImage {
  readonly imageId: string;
  readonly name?: string;
  readonly created?: string;
  /** The DLM policy that made it. */
  readonly policyId: string;
  readonly snapshots: readonly { readonly snapshotId: string; readonly sizeGb?: number }[];
}

export interface PipelineImages {
  /** The pipeline's name: the value of {@link PIPELINE_TAG}. */
  readonly pipeline: string;
  /** The pipeline's DLM policies that still exist: while there is one, nothing is removed. */
  readonly livePolicies: readonly string[];
  /** Images DLM made for a policy of this pipeline that no longer exists. */
  readonly images: readonly LeftoverImage[];
  /** Images carrying the pipeline's tag that are not removed, and why. */
  readonly skipped: readonly { readonly imageId: string; readonly reason: string }[];
}

const tagsOf = (image: Image): Record<string, string> => Object.fromEntries((image.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));

async function listPolicies(dlm: DlmApi): Promise<NonNullable<GetLifecyclePoliciesResponse["Policies"]>> {
  try {
    return (await dlm.getLifecyclePolicies({})).Policies ?? [];
  } catch (e) {
    throw new Error(
      `cannot list the Data Lifecycle Manager policies (${(e as Error).name}: ${(e as Error).message.split("\n")[0]}), so cannot tell whether the pipeline is still deployed; nothing was removed (against an AWS emulator without DLM, add --skip-policy-check)`,
      { cause: e },
    );
  }
}

/**
 * The pipeline's images in the client's region. Without `dlm` (an emulator that has no Data
 * Lifecycle Manager) no policy is taken to exist: every image DLM made for the pipeline counts. `keep` lists image ids that must stay whatever
 * made them (e.g. `multiaz.fixedAmiId`, which launches one of them).
 */
export async function findPipelineImages(ec2: Ec2Api, dlm: DlmApi | undefined, pipeline: string, keep: readonly string[] = []): Promise<PipelineImages> {
  const Policies = dlm ? await listPolicies(dlm) : [];
  const existing = new Map(Policies.map((p) => [p.PolicyId ?? "", p]));
  const livePolicies = Policies.filter((p) => p.Tags?.[PIPELINE_TAG] === pipeline).map((p) => p.PolicyId ?? "");

  const images: LeftoverImage[] = [];
  const skipped: { imageId: string; reason: string }[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.describeImages({ Owners: ["self"], Filters: [{ Name: `tag:${PIPELINE_TAG}`, Values: [pipeline] }], NextToken });
    for (const image of page.Images ?? []) {
      const imageId = image.ImageId ?? "";
      const policyId = tagsOf(image)[DLM_POLICY_TAG];
      const other = policyId ? existing.get(policyId) : undefined;
      if (!policyId) skipped.push({ imageId, reason: `not made by Data Lifecycle Manager (no ${DLM_POLICY_TAG} tag): a copy or an image made by hand` });
      else if (keep.includes(imageId)) skipped.push({ imageId, reason: "the configuration launches it (multiaz.fixedAmiId)" });
      else if (other && other.Tags?.[PIPELINE_TAG] !== pipeline)
        skipped.push({ imageId, reason: `made by ${policyId}, a policy of another pipeline that still exists` });
      else {
        images.push({
          imageId,
          name: image.Name,
          created: image.CreationDate,
          policyId,
          snapshots: (image.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [{ snapshotId: m.Ebs.SnapshotId, sizeGb: m.Ebs.VolumeSize }] : [])),
        });
      }
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return { pipeline, livePolicies, images, skipped };
}

export interface Removal {
  readonly removed: readonly string[];
  readonly failed: readonly { readonly id: string; readonly error: string }[];
}

/**
 * Deregisters the images and then deletes their snapshots (deregistering keeps them); an
 * image that cannot be deregistered keeps its snapshots. Refuses while a policy of the
 * pipeline exists.
 */
export async function removePipelineImages(ec2: Ec2Api, found: PipelineImages): Promise<Removal> {
  if (found.livePolicies.length > 0)
    throw new Error(`the AMI pipeline ${found.pipeline} is deployed (DLM policy ${found.livePolicies.join(", ")}); nothing removed`);
  const removed: string[] = [];
  const failed: { id: string; error: string }[] = [];
  const attempt = async (id: string, call: () => Promise<unknown>) => {
    try {
      await call();
      removed.push(id);
      return true;
    } catch (e) {
      failed.push({ id, error: `${(e as Error).name}: ${(e as Error).message}` });
      return false;
    }
  };
  for (const image of found.images) {
    if (!(await attempt(image.imageId, () => ec2.deregisterImage({ ImageId: image.imageId })))) continue;
    for (const { snapshotId } of image.snapshots) await attempt(snapshotId, () => ec2.deleteSnapshot({ SnapshotId: snapshotId }));
  }
  return { removed, failed };
}
