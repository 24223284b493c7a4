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
import { PolicyStatement, assumeRolePolicy, policyDocument, regionalIamName } from "../../lib/iam";
import { awsContext } from "../../lib/stack-context";

export interface InstanceRoleProps {
  /** Base of the role and profile name; the stack's region is appended (IAM names are account-wide). */
  readonly name: string;
}

export class InstanceRole extends Construct {
  readonly role: IamRole;
  readonly profile: IamInstanceProfile;

  constructor(scope: Construct, id: string, props: InstanceRoleProps) {
    super(scope, id);
    const { region, partition } = awsContext(this);
    const name = regionalIamName(props.name, region);
    this.role = new IamRole(this, "role", { name, assumeRolePolicy: assumeRolePolicy("ec2.amazonaws.com") });
    new IamRolePolicyAttachment(this, "ssm-core", {
      role: this.role.name,
      policyArn: `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
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
