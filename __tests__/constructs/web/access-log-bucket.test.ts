import { Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AccessLogBucket, AccessLogBucketProps, ELB_LOG_DELIVERY_ACCOUNTS, LOG_DELIVERY_SERVICE } from "../../../constructs/web/access-log-bucket";
import { TerraformJson, only, policyJson } from "../../helpers";

function synthBucket(region: string, props: Partial<AccessLogBucketProps> = {}): TerraformJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      new AwsProvider(scope, "aws", { region });
      new AccessLogBucket(scope, "logs", { namePrefix: "multiaz-ref-web", logPrefix: "multiaz-ref-web", ...props });
    }),
  ) as TerraformJson;
}

describe("AccessLogBucket", () => {
  describe("in a region available before August 2022 (the default ap-northeast-2)", () => {
    const tf = synthBucket("ap-northeast-2");
    const policy = policyJson(only(tf, "aws_s3_bucket_policy").policy);

    test("lets the region's Elastic Load Balancing account write under the load balancer's prefix only", () => {
      const allow = policy.Statement.find((s: any) => s.Effect === "Allow");
      expect(allow.Principal).toEqual({ AWS: "arn:aws:iam::600734575887:root" });
      expect(allow.Action).toBe("s3:PutObject");
      expect(allow.Resource).toMatch(/^\$\{aws_s3_bucket\.[^.]+\.arn\}\/multiaz-ref-web\/AWSLogs\/\*$/);
    });

    test("refuses requests without TLS", () => {
      const deny = policy.Statement.find((s: any) => s.Effect === "Deny");
      expect(deny).toMatchObject({ Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    test("SSE-S3 (the only encryption access logs support), public access blocked, no ACLs", () => {
      expect(only(tf, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
      ]);
      expect(only(tf, "aws_s3_bucket_public_access_block")).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(only(tf, "aws_s3_bucket_ownership_controls").rule).toEqual({ object_ownership: "BucketOwnerEnforced" });
    });

    test("expires the logs after 90 days by default, and abandoned uploads after a day", () => {
      const [rule] = only(tf, "aws_s3_bucket_lifecycle_configuration").rule;
      expect(rule).toMatchObject({ status: "Enabled", expiration: [{ days: 90 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] });
    });

    test("a unique name from the prefix (bucket names are global)", () => {
      expect(only(tf, "aws_s3_bucket")).toMatchObject({ bucket_prefix: "multiaz-ref-web-" });
    });
  });

  test("in a region available as of August 2022 the log delivery service principal writes", () => {
    // ap-south-2 (Hyderabad) opened in November 2022.
    expect(ELB_LOG_DELIVERY_ACCOUNTS["ap-south-2"]).toBeUndefined();
    const policy = policyJson(only(synthBucket("ap-south-2"), "aws_s3_bucket_policy").policy);
    expect(policy.Statement.find((s: any) => s.Effect === "Allow").Principal).toEqual({ Service: LOG_DELIVERY_SERVICE });
  });

  test("an older region of another partition names its own partition's account", () => {
    const policy = policyJson(only(synthBucket("us-gov-west-1"), "aws_s3_bucket_policy").policy);
    expect(policy.Statement.find((s: any) => s.Effect === "Allow").Principal).toEqual({ AWS: "arn:aws-us-gov:iam::048591011584:root" });
  });

  test("takes the expiry, and keeps a long prefix within S3's 37 characters", () => {
    const tf = synthBucket("ap-northeast-2", { expirationDays: 400, namePrefix: "a-very-long-project-name-web-step-scaling" });
    expect(only(tf, "aws_s3_bucket_lifecycle_configuration").rule[0].expiration).toEqual([{ days: 400 }]);
    expect(only(tf, "aws_s3_bucket").bucket_prefix.length).toBeLessThanOrEqual(37);
    expect(only(tf, "aws_s3_bucket").bucket_prefix).toBe("a-very-long-project-name-web-step-sc-");
  });

  test.each([
    ["a zero expiry", { expirationDays: 0 }, /expirationDays must be a whole number of days, 1 or more/],
    ["an uppercase name", { namePrefix: "Web" }, /namePrefix Web is not the start of an S3 bucket name/],
  ])("fails with %s (programmer errors: the schema reports them to users)", (_name, props, message) => {
    expect(() => synthBucket("ap-northeast-2", props)).toThrow(message);
  });
});
