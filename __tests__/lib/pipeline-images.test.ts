import { PIPELINE_TAG } from "../../constructs/ami-pipeline/ami-pipeline";
import { DLM_POLICY_TAG, findPipelineImages, removePipelineImages } from "../../lib/pipeline-images";
import { FakeAwsAccount } from "./support/fake-aws-images";

const PIPELINE = "multiaz-ref-multiaz";
const ours = (policyId: string) => ({ [PIPELINE_TAG]: PIPELINE, Name: `${PIPELINE}-ami`, [DLM_POLICY_TAG]: policyId });

/** An account after `cdktf destroy multiaz`: the policy is gone, its images stay, with others around. */
function afterDestroy(): FakeAwsAccount {
  return (
    new FakeAwsAccount(2)
      .addImage({ imageId: "ami-01", tags: ours("policy-0gone"), snapshots: ["snap-01"] })
      .addImage({ imageId: "ami-02", tags: ours("policy-0gone"), snapshots: ["snap-02", "snap-02b"] })
      .addImage({ imageId: "ami-03", tags: ours("policy-0older"), snapshots: ["snap-03"] })
      // a copy someone made with the tags, but no DLM policy behind it
      .addImage({ imageId: "ami-0copy", tags: { [PIPELINE_TAG]: PIPELINE }, snapshots: ["snap-0copy"] })
      // the same tag on an image another live policy made
      .addImage({ imageId: "ami-0other", tags: ours("policy-0live-elsewhere"), snapshots: ["snap-0other"] })
      .addPolicy("policy-0live-elsewhere", { [PIPELINE_TAG]: "another-pipeline" })
      // another pipeline's image, and a shared image of another account with our tag
      .addImage({ imageId: "ami-0theirs", tags: { [PIPELINE_TAG]: "another-pipeline", [DLM_POLICY_TAG]: "policy-0x" }, snapshots: ["snap-0theirs"] })
      .addImage({ imageId: "ami-0foreign", owner: "999988887777", tags: ours("policy-0gone"), snapshots: [] })
  );
}

describe("the AMI pipeline's images after destroy", () => {
  test("found: exactly the images DLM made for this pipeline's policies, across pages, with their snapshots", async () => {
    const aws = afterDestroy();
    const found = await findPipelineImages(aws, aws, PIPELINE);
    expect(found.livePolicies).toEqual([]);
    expect(found.images.map((i) => [i.imageId, i.policyId, i.snapshots.map((s) => s.snapshotId)])).toEqual([
      ["ami-01", "policy-0gone", ["snap-01"]],
      ["ami-02", "policy-0gone", ["snap-02", "snap-02b"]],
      ["ami-03", "policy-0older", ["snap-03"]],
    ]);
    expect(found.skipped).toEqual([
      { imageId: "ami-0copy", reason: expect.stringMatching(/^not made by Data Lifecycle Manager/) },
      { imageId: "ami-0other", reason: "made by policy-0live-elsewhere, a policy of another pipeline that still exists" },
    ]);
    // three pages of two: every page was read
    expect(aws.calls.filter((c) => c.startsWith("ec2:DescribeImages"))).toEqual(["ec2:DescribeImages", "ec2:DescribeImages(2)", "ec2:DescribeImages(4)"]);
  });

  test("an image the configuration launches (fixedAmiId) is kept", async () => {
    const aws = afterDestroy();
    const found = await findPipelineImages(aws, aws, PIPELINE, ["ami-02"]);
    expect(found.images.map((i) => i.imageId)).toEqual(["ami-01", "ami-03"]);
    expect(found.skipped).toContainEqual({ imageId: "ami-02", reason: "the configuration launches it (multiaz.fixedAmiId)" });
  });

  test("removed: each image deregistered, then its snapshots deleted; nothing else touched", async () => {
    const aws = afterDestroy();
    const result = await removePipelineImages(aws, await findPipelineImages(aws, aws, PIPELINE));
    expect(result).toEqual({ removed: ["ami-01", "snap-01", "ami-02", "snap-02", "snap-02b", "ami-03", "snap-03"], failed: [] });
    expect([...aws.images.keys()].sort()).toEqual(["ami-0copy", "ami-0foreign", "ami-0other", "ami-0theirs"]);
    expect([...aws.snapshots].sort()).toEqual(["snap-0copy", "snap-0other", "snap-0theirs"]);
  });

  test("failures are reported per resource and the rest goes on; a snapshot still in use stays", async () => {
    const aws = afterDestroy();
    const found = await findPipelineImages(aws, aws, PIPELINE);
    // ami-01 disappeared meanwhile; ami-03's snapshot also backs a registered image
    aws.images.delete("ami-01");
    aws.addImage({ imageId: "ami-0sharing", tags: {}, snapshots: ["snap-03"] });
    const result = await removePipelineImages(aws, found);
    expect(result.removed).toEqual(["ami-02", "snap-02", "snap-02b", "ami-03"]);
    expect(result.failed).toEqual([
      { id: "ami-01", error: "InvalidAMIID.NotFound: The image id '[ami-01]' does not exist" },
      { id: "snap-03", error: "InvalidSnapshot.InUse: The snapshot snap-03 is currently in use by ami-0sharing" },
    ]);
    // the snapshot of the image that could not be deregistered was not attempted
    expect(aws.calls).not.toContain("ec2:DeleteSnapshot(snap-01)");
  });

  test("while a policy of the pipeline exists (the stack is deployed) removal is refused", async () => {
    const aws = afterDestroy().addPolicy("policy-0current", { [PIPELINE_TAG]: PIPELINE, Name: PIPELINE });
    const found = await findPipelineImages(aws, aws, PIPELINE);
    expect(found.livePolicies).toEqual(["policy-0current"]);
    await expect(removePipelineImages(aws, found)).rejects.toThrow(/is deployed \(DLM policy policy-0current\); nothing removed/);
    expect(aws.calls.some((c) => c.startsWith("ec2:Deregister") || c.startsWith("ec2:DeleteSnapshot"))).toBe(false);
  });
});

describe("without Data Lifecycle Manager to ask", () => {
  test("a failing policy lookup stops the search with a line that says why and what to do", async () => {
    const aws = afterDestroy();
    const broken = { getLifecyclePolicies: async () => Promise.reject(Object.assign(new Error("Unexpected token '<'\nmore"), { name: "SyntaxError" })) };
    await expect(findPipelineImages(aws, broken, PIPELINE)).rejects.toThrow(
      /^cannot list the Data Lifecycle Manager policies \(SyntaxError: Unexpected token '<'\), so cannot tell whether the pipeline is still deployed; nothing was removed \(against an AWS emulator without DLM, add --skip-policy-check\)$/,
    );
  });

  test("skipping the lookup takes every policy as gone: all of the pipeline's DLM images count", async () => {
    const aws = afterDestroy().addPolicy("policy-0current", { [PIPELINE_TAG]: PIPELINE });
    const found = await findPipelineImages(aws, undefined, PIPELINE);
    expect(found.livePolicies).toEqual([]);
    expect(found.images.map((i) => i.imageId)).toEqual(["ami-01", "ami-02", "ami-03", "ami-0other"]);
    expect(aws.calls).not.toContain("dlm:GetLifecyclePolicies");
  });
});
