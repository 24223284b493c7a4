/**
 * The IAM role and instance profile of a stack's EC2 instances. It always allows SSM
 * Session Manager (the way in, instead of SSH from the internet); stacks add the few
 * statements their workload needs with {@link InstanceRole.allow}.
 */
import { Construct } from "constructs";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { PolicyStatement, policyDocument, regionalIamName } from "../../lib/iam";

export interface InstanceRoleProps {
  /** Base of the role and profile name; the region is appended (IAM names are account-wide). */
  readonly name: string;
  /** Region of the stack, part of the IAM names. */
  readonly region: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const name = regionalIamName(props.name, props.region);
    this.role = new IamRole(this, "role", {
      name,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    this.profile = new IamInstanceProfile(this, "profile", { name, role: this.role.name });
  }

  /** Adds an inline policy named `name` with these statements. */
  allow(name: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, name, {
      name,
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }
}
