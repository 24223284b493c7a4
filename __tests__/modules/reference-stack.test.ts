import { App, Testing } from "cdktf";
import { ReferenceStack } from "../../modules/reference-stack";
import { config, resources, synthStack, withTempDir } from "../helpers";

function synth(overrides: Record<string, unknown>, offline = false) {
  return withTempDir((outdir) => JSON.parse(Testing.synth(new ReferenceStack(new App({ outdir }), "recovery", config(overrides), { offline }))));
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
