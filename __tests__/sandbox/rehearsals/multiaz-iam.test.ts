/**
 * The IAM rehearsal's reading of a policy document (what it allows ec2:AssociateAddress on),
 * on the multiaz stack's synthesized takeover policy and on documents that must fail its checks.
 */
import { associateAddressScope } from "../../../sandbox/rehearsals/multiaz-iam";
import { policyJson, resources, synthStack } from "../../helpers";

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("associateAddressScope", () => {
  test("the synthesized takeover policy: the stack's one Elastic IP, and instances and network interfaces under the group tag", () => {
    const { tf } = synthStack("multiaz");
    const policies = Object.values(resources(tf, "aws_iam_role_policy")).map((p) => JSON.stringify(policyJson(p.policy)));
    const eip = Object.keys(resources(tf, "aws_eip"));
    expect(eip).toHaveLength(1);
    const scope = associateAddressScope(policies);
    expect(scope.addresses).toEqual([`\${aws_eip.${eip[0]}.arn}`]);
    expect(scope.onto).toEqual([
      {
        resources: [expect.stringMatching(/:instance\/\*$/), expect.stringMatching(/:network-interface\/\*$/)],
        condition: { StringEquals: { "aws:ResourceTag/ServerGroup": "multiaz-ref-multiaz" } },
      },
    ]);
  });

  test("wildcards are seen: Resource * and ec2:* count, Deny and other actions do not", () => {
    const scope = associateAddressScope([
      doc({ Effect: "Allow", Action: "ec2:*", Resource: "*" }),
      doc({ Effect: "Allow", Action: ["ec2:AssociateAddress"], Resource: "arn:aws:ec2:eu-west-1:1:elastic-ip/*" }),
      doc({ Effect: "Deny", Action: "ec2:AssociateAddress", Resource: "arn:aws:ec2:eu-west-1:1:elastic-ip/eipalloc-9" }),
      doc({ Effect: "Allow", Action: "ec2:DescribeAddresses", Resource: "arn:aws:ec2:eu-west-1:1:elastic-ip/eipalloc-8" }),
    ]);
    expect(scope.addresses).toEqual(["*", "arn:aws:ec2:eu-west-1:1:elastic-ip/*"]);
    expect(scope.onto).toEqual([{ resources: ["*"], condition: undefined }]);
  });

  test("a single statement (not a list) is read too", () => {
    expect(
      associateAddressScope([JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "arn:aws:ec2:r:1:elastic-ip/e" } })]).addresses,
    ).toEqual(["arn:aws:ec2:r:1:elastic-ip/e"]);
  });
});
