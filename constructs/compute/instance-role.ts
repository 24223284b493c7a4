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
import { PolicyStatement, policyDocument } from "../../lib/iam";

export interface InstanceRoleProps {
  /** Role and profile name. */
  readonly name: string;
  /** ARN partition (`aws`, `aws-cn`, `aws-us-gov`). */
  readonly partition: string;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, "role", {
      name: props.name,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    });
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: `arn:${props.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    });
    this.profile = new IamInstanceProfile(this, "profile", { name: props.name, role: this.role.name });
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
