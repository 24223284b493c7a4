import * as fs from "fs";
import * as path from "path";
import { App, Testing } from "cdktf";
import { ValidationError } from "../../lib/validation";
import { MultiAzStack } from "../../modules/multiaz-stack";
import { ReferenceStack, sharedSettings } from "../../modules/reference-stack";
import { config, resources, synthStack, withTempDir } from "../helpers";

function synth(overrides: Record<string, unknown>, offline = false) {
  return withTempDir((outdir) =>
    JSON.parse(Testing.synth(new ReferenceStack(new App({ outdir }), "recovery", { ...sharedSettings(config(overrides)), offline }))),
  );
}

describe("ReferenceStack", () => {
  test("common tags reach every resource through the provider's default_tags", () => {
    const tf = synth({ tags: { Team: "platform" } });
    expect(tf.provider.aws[0].default_tags[0].tags).toEqual({ Team: "platform", Project: "multiaz-ref", Stack: "recovery", ManagedBy: "cdktf" });
    expect(tf.provider.aws[0].region).toBe("ap-northeast-2");
  });

  test("local state beside cdktf.json by default", () => {
    expect(synth({}).terraform.backend).toEqual({ local: { path: "../../../terraform.recovery.tfstate" } });
  });

  test("an S3 backend with encryption and S3-native locking when configured", () => {
    const tf = synth({ backend: { type: "s3", bucket: "state-bucket", region: "eu-west-1" } });
    expect(tf.terraform.backend).toEqual({
      s3: { bucket: "state-bucket", key: "multiaz-ref/recovery.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
    });
  });

  test("the offline mode plans from a scratch local state, whatever the configured backend", () => {
    for (const backend of [{ type: "local" }, { type: "s3", bucket: "state-bucket" }]) {
      expect(synth({ backend }, true).terraform.backend).toEqual({ local: { path: "../../offline-state/recovery.tfstate" } });
    }
  });

  test("the offline mode sets fake credentials and the skip flags, and only when asked", () => {
    expect(synth({}).provider.aws[0].skip_credentials_validation).toBeUndefined();
    expect(synth({}, true).provider.aws[0]).toMatchObject({
      access_key: "offline-plan-not-a-key",
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: "true",
      skip_region_validation: true,
    });
  });
});

describe("the stacks' network", () => {
  test("NAT gateways only where servers run in private subnets, unless configured", () => {
    // GIVEN the default configuration WHEN each stack is built
    // THEN web (servers in private subnets) has one NAT per AZ; recovery and multiaz (servers
    // in public subnets) have none, which would sit idle
    expect(Object.keys(resources(synthStack("web").tf, "aws_nat_gateway"))).toHaveLength(3);
    expect(resources(synthStack("recovery").tf, "aws_nat_gateway")).toEqual({});
    expect(resources(synthStack("multiaz").tf, "aws_nat_gateway")).toEqual({});
  });

  test("an explicit network.natGateways applies to every stack", () => {
    const overrides = { network: { natGateways: "single" } };
    expect(Object.keys(resources(synthStack("recovery", overrides).tf, "aws_nat_gateway"))).toHaveLength(1);
    expect(Object.keys(resources(synthStack("web", overrides).tf, "aws_nat_gateway"))).toHaveLength(1);
  });
});

describe("stacks with ids", () => {
  const props = (overrides: Record<string, unknown> = {}) => {
    const cfg = config(overrides);
    return { ...sharedSettings(cfg), multiaz: cfg.multiaz, offline: false };
  };

  test("two stacks of one class with different ids synthesize in one app, each named, tagged and stored by its id", () => {
    withTempDir((outdir) => {
      const app = new App({ outdir, stackTraces: false });
      const first = new MultiAzStack(app, "multiaz-a", props());
      const second = new MultiAzStack(app, "multiaz-b", props({ multiaz: { efs: { enabled: true } } }));
      app.synth();
      const read = (id: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
      const [a, b] = [read("multiaz-a"), read("multiaz-b")];
      expect([first.namePrefix, second.namePrefix]).toEqual(["multiaz-ref-multiaz-a", "multiaz-ref-multiaz-b"]);
      expect(a.provider.aws[0].default_tags[0].tags.Stack).toBe("multiaz-a");
      expect(b.provider.aws[0].default_tags[0].tags.Stack).toBe("multiaz-b");
      expect(a.terraform.backend).toEqual({ local: { path: "../../../terraform.multiaz-a.tfstate" } });
      expect(b.terraform.backend).toEqual({ local: { path: "../../../terraform.multiaz-b.tfstate" } });
      expect(Object.values(a.resource.aws_autoscaling_group).map((g: any) => g.name)).toEqual(["multiaz-ref-multiaz-a"]);
      // Each got its own section: only the second keeps its state on EFS.
      expect(a.resource.aws_efs_file_system).toBeUndefined();
      expect(Object.keys(b.resource.aws_efs_file_system)).toHaveLength(1);
    });
  });

  test("a construct's problem is reported under the stack's section, whatever its id", () => {
    withTempDir((outdir) => {
      const build = () => new MultiAzStack(new App({ outdir, stackTraces: false }), "elsewhere", props({ multiaz: { recordName: "not a name" } }));
      expect(build).toThrow(ValidationError);
      try {
        build();
      } catch (e) {
        expect((e as ValidationError).problems.map((p) => p.key)).toEqual(["multiaz.recordName"]);
      }
    });
  });
});
