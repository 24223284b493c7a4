import { resolveConfig } from "../../config/load";

describe("configuration validation", () => {
  test.each([
    ["the project name is invalid", { project: "My Project" }, /project \("My Project"\): must be 3-24 lowercase/],
    ["the region is not a region", { region: "korea" }, /region \("korea"\): must be an AWS region name/],
    ["a stack is unknown", { stacks: ["recovery", "database"] }, /stacks\[1\] \("database"\): must be one of "recovery", "multiaz", "web"/],
    ["no stack is selected", { stacks: [] }, /stacks \(\[\]\): must list at least one/],
    ["a tag uses the aws: prefix", { tags: { "aws:owner": "me" } }, /tags.aws:owner \("me"\): tag keys/],
    ["the backend type is unknown", { backend: { type: "gcs" } }, /backend.type \("gcs"\): must be one of "local", "s3"/],
    ["the S3 backend has no valid bucket", { backend: { type: "s3", bucket: "Bad_Bucket" } }, /backend.bucket \("Bad_Bucket"\): must be an S3 bucket name/],
    ["the zone name is not a domain", { dns: { zoneName: "example..com" } }, /dns.zoneName \("example..com"\): must be a DNS domain name/],
    ["the zone id is malformed", { dns: { zoneId: "zone-1" } }, /dns.zoneId \("zone-1"\): must be a Route 53 hosted zone id/],
    ["the TTL is negative", { dns: { ttlSeconds: -1 } }, /dns.ttlSeconds \(-1\): must be a whole number/],
    ["an e-mail address is invalid", { notifications: { emails: ["ops"] } }, /notifications.emails\[0\] \("ops"\): must be an e-mail address/],
  ])("fails when %s", (_name, overrides, message) => {
    expect(() => resolveConfig(overrides)).toThrow(message);
  });

  test("reports every problem, one line each", () => {
    let error: Error | undefined;
    try {
      resolveConfig({ project: "X", region: "nowhere" });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/2 problems/);
    expect(error?.message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(2);
  });

  test("an S3 backend with a valid bucket is accepted", () => {
    expect(resolveConfig({ backend: { type: "s3", bucket: "my-state-bucket" } }).backend).toEqual({
      type: "s3",
      bucket: "my-state-bucket",
      encrypt: true,
      useLockfile: true,
    });
  });
});
