import { PIPELINE_TAG } from "../../constructs/ami-pipeline/ami-pipeline";
import { DLM_POLICY_TAG } from "../../lib/pipeline-images";
import { cleanup, parseArgs } from "../../scripts/cleanup";
import { FakeAwsAccount } from "../lib/support/fake-aws-images";
import { config } from "../helpers";

/** The default project's multiaz pipeline after destroy: two images of its (deleted) policy. */
function account(): FakeAwsAccount {
  const tags = { [PIPELINE_TAG]: "multiaz-ref-multiaz", [DLM_POLICY_TAG]: "policy-0gone" };
  return new FakeAwsAccount().addImage({ imageId: "ami-0a", tags, snapshots: ["snap-0a"] }).addImage({ imageId: "ami-0b", tags, snapshots: ["snap-0b"] });
}

async function run(args: string[], aws: FakeAwsAccount, overrides = {}) {
  const lines: string[] = [];
  const code = await cleanup(parseArgs(args), { config: config(overrides), aws: async () => ({ ec2: aws, dlm: aws }), print: (l) => lines.push(l) });
  return { code, lines };
}

describe("npm run cleanup", () => {
  test("lists by default and removes nothing", async () => {
    const aws = account();
    const { code, lines } = await run(["--stack", "multiaz"], aws);
    expect(code).toBe(0);
    expect(lines[0]).toBe("multiaz: the AMI pipeline multiaz-ref-multiaz left 2 image(s) with 2 snapshot(s) in ap-northeast-2:");
    expect(lines[1]).toMatch(/^ {2}ami-0a .* made by policy-0gone {2}snapshots: snap-0a \(16 GiB\)$/);
    expect(lines.at(-1)).toBe("dry run: nothing was removed; run again with --yes to deregister these 2 image(s) and delete their 2 snapshot(s).");
    expect(aws.images.size).toBe(2);
  });

  test("--yes deregisters the images and deletes their snapshots", async () => {
    const aws = account();
    const { code, lines } = await run(["--stack", "multiaz", "--yes"], aws);
    expect(code).toBe(0);
    expect(lines.slice(-5)).toEqual(["deregistered ami-0a", "deleted snap-0a", "deregistered ami-0b", "deleted snap-0b", "multiaz: 4 removed, 0 failed."]);
    expect(aws.images.size + aws.snapshots.size).toBe(0);
  });

  test("--skip-policy-check (an emulator without DLM) lists without asking DLM, and says so", async () => {
    const aws = account();
    const { code, lines } = await run(["--stack", "multiaz", "--skip-policy-check"], aws);
    expect(code).toBe(0);
    expect(lines[0]).toBe("--skip-policy-check: Data Lifecycle Manager is not asked whether the pipeline is still deployed.");
    expect(aws.calls).not.toContain("dlm:GetLifecyclePolicies");
  });

  test("refuses while the stack is deployed, even with --yes", async () => {
    const aws = account().addPolicy("policy-0live", { [PIPELINE_TAG]: "multiaz-ref-multiaz" });
    const { code, lines } = await run(["--stack", "multiaz", "--yes"], aws);
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^refused: the pipeline's DLM policy policy-0live still exists, .*destroy it first \(npx cdktf destroy multiaz\).*Nothing was removed\.$/,
    );
    expect(aws.images.size).toBe(2);
  });

  test("the pipeline is named from the configuration's project; with EFS the backups are a note", async () => {
    const aws = account();
    const { lines } = await run(["--stack", "multiaz"], aws, { project: "shop", multiaz: { efs: { enabled: true } } });
    expect(lines[0]).toMatch(/^multiaz: the AMI pipeline shop-multiaz left 0 image\(s\)/);
    expect(lines).toContainEqual(
      expect.stringMatching(/note: the state file system's automatic backups .* aws\/efs\/automatic-backup-vault, which EFS owns: cleanup leaves them/),
    );
  });

  test("a multiaz variant is cleaned up as deployed: its own pipeline, its own settings (the state on EFS)", async () => {
    const tags = { [PIPELINE_TAG]: "multiaz-ref-multiaz-efs", [DLM_POLICY_TAG]: "policy-0gone" };
    const aws = account().addImage({ imageId: "ami-0c", tags, snapshots: ["snap-0c"] });
    const { code, lines } = await run(["--stack", "multiaz-efs", "--yes"], aws);
    expect(code).toBe(0);
    expect(lines[0]).toBe("multiaz-efs: the AMI pipeline multiaz-ref-multiaz-efs left 1 image(s) with 1 snapshot(s) in ap-northeast-2:");
    expect(lines).toContainEqual(expect.stringMatching(/note: the state file system's automatic backups/));
    expect(lines.at(-1)).toBe("multiaz-efs: 2 removed, 0 failed.");
    // The base stack's images stay.
    expect([...aws.images.keys()].sort()).toEqual(["ami-0a", "ami-0b"]);
  });

  test("other stacks leave nothing cleanup knows of; bad arguments say the usage", async () => {
    const aws = account();
    expect(await run(["--stack", "web"], aws)).toEqual({
      code: 0,
      lines: ["web: cleanup knows of nothing that web leaves behind after npx cdktf destroy web."],
    });
    expect((await run(["--stack", "web-step-scaling"], aws)).lines).toEqual([
      "web-step-scaling: cleanup knows of nothing that web-step-scaling leaves behind after npx cdktf destroy web-step-scaling.",
    ]);
    expect(aws.calls).toEqual([]);
    expect(() => parseArgs([])).toThrow(/--stack is required\nusage: npm run cleanup -- --stack <recovery\|multiaz\|web\|multiaz-efs\|.*> \[--yes\]/);
    expect(() => parseArgs(["--stack", "database"])).toThrow(/--stack "database" is not a stack of this project \(recovery, multiaz, web, multiaz-efs, .*\)\n/);
    expect(() => parseArgs(["--stack", "multiaz-ef"])).toThrow(/--stack "multiaz-ef" is not a stack of this project .*; did you mean multiaz-efs\b/);
    expect(() => parseArgs(["--stack", "multiaz", "--force"])).toThrow(/unexpected argument "--force"/);
    expect(parseArgs(["--skip-policy-check", "--stack", "multiaz"])).toEqual({ stack: "multiaz", yes: false, skipPolicyCheck: true });
  });
});
