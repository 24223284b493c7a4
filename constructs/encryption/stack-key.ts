/**
 * The stack's customer-managed KMS key, which its log groups, its SNS topic and its file
 * system are encrypted with (checkov CKV_AWS_158, CKV_AWS_26, CKV_AWS_184): rotated yearly
 * (CKV_AWS_7), with a key policy (CKV2_AWS_64) that lets
 *
 * - the account administer and use it through IAM (the key policy's default statement;
 *   without it nobody could manage the key),
 * - CloudWatch Logs encrypt this region's log groups of the account, only under the
 *   encryption context of a log group ARN (CloudWatch Logs User Guide, "Encrypt log data in
 *   CloudWatch Logs using AWS KMS", step 2),
 * - the publishers of the stack's topic use it: CloudWatch alarms and EventBridge (service
 *   principals), and Auto Scaling notifications, sent as the account's service-linked role
 *   `AWSServiceRoleForAutoScaling` (matched by condition, not named as principal: KMS
 *   rejects a principal that does not exist yet, and an account's first Auto Scaling group
 *   creates that role after this key), only through SNS.
 *
 * The account id is taken from the key's own ARN at apply (no plan-time lookup), so the
 * policy is a separate resource; every user of the key depends on it ({@link StackKey.use}),
 * so nothing is encrypted before the services may use the key.
 *
 * Constructs encrypt with the key of their stack through {@link StackKey.encrypt}: a stack
 * that has one encrypts every log group, topic and file system by construction. Going without
 * is a relaxation ({@link CUSTOMER_MANAGED_KEY}, `encryption.customerManagedKey`): only with
 * a reason, which {@link withStackKey} records for the stack and {@link StackKey.encrypt}
 * as the suppression of each resource's rule (CKV_AWS_158, CKV_AWS_26, CKV_AWS_184).
 */
import { Construct, IConstruct } from "constructs";
import { Fn, TerraformResource, TerraformStack, dependable } from "cdktf";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { policyDocument } from "../../lib/iam";
import { awsContext } from "../../lib/stack-context";
import { Relaxation, RelaxationRule, checkedRelaxationReason } from "../../policy/relaxation";
import { suppress } from "../../policy/suppress";

/**
 * The customer-managed key, a relaxation: on by default; without it (only with a reason) the
 * log groups, the topic and the file system break these rules, each suppressed on them.
 */
export const CUSTOMER_MANAGED_KEY: RelaxationRule<boolean> = {
  ruleIds: ["CKV_AWS_158", "CKV_AWS_26", "CKV_AWS_184"],
  strict: true,
  what: "the customer-managed KMS key",
  risk: "the log groups and the file system are then under AWS-owned or AWS-managed keys, whose use no key policy of yours limits, and the topic is unencrypted",
  why: "why the stack does without it",
};

export interface StackKeyProps {
  /** Alias (`alias/<name>`) and description. */
  readonly name: string;
  /** Days a deleted key can still be restored (7-30). @default 30 */
  readonly deletionWindowDays?: number;
}

const KEYS = new WeakMap<TerraformStack, StackKey>();
/** Stacks without a key, with the reason. */
const WITHOUT = new WeakMap<TerraformStack, string>();

export class StackKey extends Construct {
  readonly key: KmsKey;
  readonly policy: KmsKeyPolicy;
  readonly alias: KmsAlias;

  /** The key of `scope`'s stack, if it has one. */
  static of(scope: IConstruct): StackKey | undefined {
    return KEYS.get(TerraformStack.of(scope));
  }

  constructor(scope: Construct, id: string, props: StackKeyProps) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    if (KEYS.has(stack)) throw new Error(`${this.node.path}: the stack already has a key (${KEYS.get(stack)!.node.path})`);
    KEYS.set(stack, this);

    this.key = new KmsKey(this, "key", {
      description: `Encrypts the logs, notifications and file systems of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
    });
    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.name}`, targetKeyId: this.key.keyId });

    const account = Fn.element(Fn.split(":", this.key.arn), 4);
    const { region, partition: p, dnsSuffix } = awsContext(this);
    const publish = ["kms:Decrypt", "kms:GenerateDataKey*"];
    this.policy = new KmsKeyPolicy(this, "policy", {
      keyId: this.key.id,
      policy: policyDocument([
        { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${p}:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
        {
          Sid: "CloudWatchLogsEncryptsLogGroups",
          Effect: "Allow",
          Principal: { Service: `logs.${region}.${dnsSuffix}` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${p}:logs:${region}:${account}:log-group:*` } },
        },
        {
          Sid: "AlarmsAndEventsPublishToTopics",
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
          Action: publish,
          Resource: "*",
        },
        {
          Sid: "AutoScalingNotificationsThroughSns",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: publish,
          Resource: "*",
          Condition: {
            StringEquals: { "kms:CallerAccount": account, "kms:ViaService": `sns.${region}.${dnsSuffix}` },
            ArnEquals: { "aws:PrincipalArn": `arn:${p}:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` },
          },
        },
      ]),
    });
  }

  /**
   * The ARN of the stack's key for `resource` (which then waits for the key policy), or, in a
   * stack that goes without one ({@link withStackKey}), undefined, with the reason recorded as
   * `resource`'s `ruleId` suppression (the rule its lack of a key breaks).
   */
  static encrypt(resource: TerraformResource, ruleId: string): string | undefined {
    const key = StackKey.of(resource);
    if (key) return key.use(resource);
    const reason = WITHOUT.get(TerraformStack.of(resource));
    if (reason !== undefined) suppress(resource, ruleId, reason);
    return undefined;
  }

  /** The key's ARN for `resource`, which from now on waits for the key policy. */
  use(resource: TerraformResource): string {
    resource.dependsOn = [...(resource.dependsOn ?? []), dependable(this.policy)];
    return this.key.arn;
  }
}

/**
 * The stack's key as `customerManagedKey` says: a {@link StackKey} (`{ value: true }`, the
 * default), or none, the reason kept for {@link StackKey.encrypt} to record on every resource
 * that would have used it.
 */
export function withStackKey(scope: Construct, id: string, props: StackKeyProps & { readonly customerManagedKey?: Relaxation<boolean> }): StackKey | undefined {
  const reason = checkedRelaxationReason(scope, "customerManagedKey", CUSTOMER_MANAGED_KEY, props.customerManagedKey);
  if (reason === undefined) return new StackKey(scope, id, props);
  WITHOUT.set(TerraformStack.of(scope), reason);
  return undefined;
}
