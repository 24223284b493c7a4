/**
 * An S3 bucket an Application Load Balancer of the stack's region can deliver its access logs
 * to, made as AWS documents it: in the load balancer's region, encrypted with S3-managed keys
 * (the only server-side encryption access logs support), public access blocked, objects owned
 * by the bucket owner (no ACLs), TLS required, the logs expiring after a set number of days, and
 * the bucket policy that lets Elastic Load Balancing write under the load balancer's prefix: to
 * the region's Elastic Load Balancing account in regions available before August 2022, to the
 * log delivery service principal in the newer ones.
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
import { Construct } from "constructs";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { PolicyStatement, policyDocument } from "../../lib/iam";
import { awsContext } from "../../lib/stack-context";

/**
 * The Elastic Load Balancing account of each region available before August 2022, whose root
 * the bucket policy there names; every other region delivers as the service principal
 * {@link LOG_DELIVERY_SERVICE}. The table of AWS's "Step 2: Attach a policy to your S3 bucket"
 * (the provider's `aws_elb_service_account` data source holds the same ids).
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

/** The principal that delivers access logs in regions available as of August 2022. */
export const LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Days access logs are kept: a quarter of requests to investigate. */
export const DEFAULT_ACCESS_LOG_EXPIRATION_DAYS = 90;

/** S3's limit on `bucket_prefix` (a bucket name is at most 63 characters; Terraform appends 26). */
const BUCKET_PREFIX_MAX = 37;

export interface AccessLogBucketProps {
  /** Start of the bucket's name (Terraform appends a unique suffix: bucket names are global), lowercase; cut to 36 characters. */
  readonly namePrefix: string;
  /** The key prefix the load balancer writes under (its `access_logs.prefix`). */
  readonly logPrefix: string;
  /** Days after which a log object expires, 1 or more. @default - {@link DEFAULT_ACCESS_LOG_EXPIRATION_DAYS}: 90 */
  readonly expirationDays?: number;
}

export class AccessLogBucket extends Construct {
  readonly bucket: S3Bucket;
  /** The bucket's name, for the load balancer's `access_logs.bucket`. */
  readonly bucketName: string;
  /** The policy letting Elastic Load Balancing write; the load balancer must depend on it (AWS checks the permission when logging is enabled). */
  readonly policy: S3BucketPolicy;
  /** Who delivers the logs in the stack's region: `{ AWS: <ELB account root ARN> }` or `{ Service: LOG_DELIVERY_SERVICE }`. */
  readonly deliveryPrincipal: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: AccessLogBucketProps) {
    super(scope, id);
    const expirationDays = props.expirationDays ?? DEFAULT_ACCESS_LOG_EXPIRATION_DAYS;
    if (!Number.isInteger(expirationDays) || expirationDays < 1) throw new Error(`${this.node.path}: expirationDays must be a whole number of days, 1 or more`);
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(props.namePrefix))
      throw new Error(`${this.node.path}: namePrefix ${props.namePrefix} is not the start of an S3 bucket name`);
    const { region, partition } = awsContext(this);

    this.bucket = new S3Bucket(this, "bucket", {
      bucketPrefix: `${props.namePrefix.slice(0, BUCKET_PREFIX_MAX - 1).replace(/[.-]+$/, "")}-`,
      tags: { Name: `${props.namePrefix}-access-logs` },
    });
    this.bucketName = this.bucket.bucket;
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    // SSE-S3: "The only server-side encryption option that's supported is Amazon S3-managed keys (SSE-S3)".
    // @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: expirationDays }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
        },
      ],
    });

    const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
    this.deliveryPrincipal = account ? { AWS: `arn:${partition}:iam::${account}:root` } : { Service: LOG_DELIVERY_SERVICE };
    const statements: PolicyStatement[] = [
      {
        Sid: "ElbLogDelivery",
        Effect: "Allow",
        Principal: { ...this.deliveryPrincipal },
        Action: "s3:PutObject",
        // The account is not known at synth (no plan-time lookup): any account's log folder under the prefix.
        Resource: `${this.bucket.arn}/${props.logPrefix}/AWSLogs/*`,
      },
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ];
    this.policy = new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: policyDocument(statements) });
  }
}
