/**
 * multiaz, IAM: the roles' policies as deployed, evaluated by the emulator's IAM enforcement.
 * Enforcement is on for the whole moto server, so this rehearsal starts a second, small emulator
 * of its own (stopped at its end): it copies the two roles from the stack's emulator, verbatim
 * (trust policy, inline policies, managed policy attachments: the takeover function's and the
 * server's), assumes each through STS, turns enforcement on (moto's `/moto-api/reset-auth`) and
 * calls AWS with each role's credentials.
 *
 * What moto 5.2.5 can evaluate: whether a policy allows an action at all (statements whose
 * Resource is `*` included). What it cannot: EC2's resource-level permissions (moto authorizes
 * every EC2 call against the resource `*`, moto/core/responses.py call_action, so a statement
 * naming the Elastic IP's ARN never matches and AssociateAddress is refused for every address,
 * the function's own included) and `aws:ResourceTag` conditions (moto passes no context values,
 * and a condition without values holds, moto/iam/policy_conditions.py). So "may associate its
 * own allocation, is denied another" is checked on the deployed document, not by enforcement.
 */
import { AutoScaling } from "@aws-sdk/client-auto-scaling";
import { EC2 } from "@aws-sdk/client-ec2";
import { IAM } from "@aws-sdk/client-iam";
import { SSM } from "@aws-sdk/client-ssm";
import { STS } from "@aws-sdk/client-sts";
import { SERVER_GROUP_TAG } from "../../modules/multiaz-stack";
import { Emulator, startEmulator } from "../../lib/emulator";
import type { AppliedStack, Sandbox } from "../sandbox";
import { functionRole } from "./emulator-api";
import { Checks, Rehearsal } from "./rehearsal";

export const NOT_SIMULATED = [
  "EC2 resource-level permissions: moto 5.2.5 authorizes every EC2 call against the resource *, so it refuses AssociateAddress to the takeover function for every address (its own included) and cannot tell its own allocation from another; that part is checked on the deployed policy document",
  "aws:ResourceTag conditions: moto passes no context values and treats a condition without values as met, so the policy's group-tag condition is not evaluated",
  "IAM's eventual consistency: the copied policies are in force at once",
];

/** Error names AWS services give a caller whose policy does not allow the call. */
const DENIED = /^(AccessDenied|AccessDeniedException|UnauthorizedOperation|AuthorizationError)$/;

interface RoleCopy {
  readonly name: string;
  readonly trust: string;
  readonly inline: { name: string; document: string }[];
  readonly managed: string[];
}

/** A role as the stack's emulator holds it: trust policy, inline policies, managed attachments. */
async function readRole(iam: IAM, name: string): Promise<RoleCopy> {
  const { Role } = await iam.getRole({ RoleName: name });
  const { PolicyNames = [] } = await iam.listRolePolicies({ RoleName: name });
  const inline = [];
  for (const policy of PolicyNames) {
    const { PolicyDocument = "{}" } = await iam.getRolePolicy({ RoleName: name, PolicyName: policy });
    inline.push({ name: policy, document: decodeURIComponent(PolicyDocument) });
  }
  const { AttachedPolicies = [] } = await iam.listAttachedRolePolicies({ RoleName: name });
  return { name, trust: decodeURIComponent(Role?.AssumeRolePolicyDocument ?? "{}"), inline, managed: AttachedPolicies.map((p) => p.PolicyArn ?? "") };
}

async function writeRole(iam: IAM, role: RoleCopy): Promise<string> {
  const { Role } = await iam.createRole({ RoleName: role.name, AssumeRolePolicyDocument: role.trust });
  for (const p of role.inline) await iam.putRolePolicy({ RoleName: role.name, PolicyName: p.name, PolicyDocument: p.document });
  for (const arn of role.managed) await iam.attachRolePolicy({ RoleName: role.name, PolicyArn: arn });
  return Role?.Arn ?? "";
}

/** Error names AWS services give a caller whose credentials they do not know. */
const UNKNOWN_CALLER = /^(AuthFailure|InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch)$/;

/** The outcome of a call: "denied", "unknown caller", or "allowed" (with the error it then gave, if any). */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "allowed";
  } catch (e) {
    const name = (e as Error).name;
    if (DENIED.test(name)) return "denied";
    return UNKNOWN_CALLER.test(name) ? `unknown caller (${name})` : `allowed (then ${name})`;
  }
}

type Statement = { Effect?: string; Action?: string | string[]; Resource?: string | string[]; Condition?: Record<string, Record<string, string>> };
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** ARNs of the resources an address is associated with (AssociateAddress authorizes against these and the address). */
const ONTO = /:instance\/|:network-interface\//;

/**
 * What policy documents allow `ec2:AssociateAddress` on (an action wildcard counts): every
 * resource but instances and network interfaces, so the addresses (`*` included), and the
 * statements for instances and network interfaces (the other two resources the call is
 * authorized against, or `*`), with their conditions.
 */
export function associateAddressScope(documents: readonly string[]): {
  addresses: string[];
  onto: { resources: string[]; condition?: Statement["Condition"] }[];
} {
  const statements = documents.flatMap((d) => list((JSON.parse(d) as { Statement?: Statement | Statement[] }).Statement));
  const allowing = statements.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => a === "ec2:AssociateAddress" || a === "ec2:*" || a === "*"));
  return {
    addresses: allowing.flatMap((s) => list(s.Resource)).filter((r) => !ONTO.test(r)),
    onto: allowing.filter((s) => list(s.Resource).some((r) => ONTO.test(r) || r === "*")).map((s) => ({ resources: list(s.Resource), condition: s.Condition })),
  };
}

async function run(sandbox: Sandbox, applied: AppliedStack): Promise<Checks["list"]> {
  // Started now, while the roles are read; stopped on every path.
  const starting = startEmulator();
  try {
    return await rehearseIn(sandbox, applied, starting);
  } finally {
    await (await starting.catch(() => undefined))?.stop();
  }
}

async function rehearseIn(sandbox: Sandbox, applied: AppliedStack, starting: Promise<Emulator>): Promise<Checks["list"]> {
  const c = new Checks();
  const config = sandbox.clientConfig();
  const group = String(applied.outputs.group_name);
  const iam = new IAM(config);

  // The two roles as deployed: the takeover function's, and the server's (its instance profile's).
  const takeover = await functionRole(sandbox, `${group}-endpoint-takeover`);
  const { AutoScalingGroups = [] } = await new AutoScaling(config).describeAutoScalingGroups({ AutoScalingGroupNames: [group] });
  const template = AutoScalingGroups[0]?.LaunchTemplate;
  const { LaunchTemplateVersions = [] } = await new EC2(config).describeLaunchTemplateVersions({
    LaunchTemplateId: template?.LaunchTemplateId,
    Versions: [template?.Version ?? "$Default"],
  });
  const profile = LaunchTemplateVersions[0]?.LaunchTemplateData?.IamInstanceProfile;
  const profileName = profile?.Name ?? profile?.Arn?.split("/").pop();
  if (!c.check("the group's launch template gives its instances an instance profile", !!profileName, { template, profile })) return c.list;
  const { InstanceProfile } = await iam.getInstanceProfile({ InstanceProfileName: profileName });
  const serverRoleName = InstanceProfile?.Roles?.[0]?.RoleName ?? "";
  const roles = { takeover: await readRole(iam, takeover.roleName), server: await readRole(iam, serverRoleName) };

  // On the deployed document (the emulator cannot enforce this part): the address is the function's own only.
  const scope = associateAddressScope(roles.takeover.inline.map((p) => p.document));
  const addressResources = scope.addresses;
  c.check(
    "deployed policy: the takeover function may associate only its own Elastic IP (the one allocation it is given, by ARN, no wildcard)",
    addressResources.length === 1 && addressResources[0].endsWith(`:elastic-ip/${takeover.environment.ALLOCATION_ID}`),
    addressResources,
  );
  c.check(
    `deployed policy: onto instances and network interfaces tagged ${SERVER_GROUP_TAG}=${group} only`,
    scope.onto.length > 0 && scope.onto.every((s) => s.condition?.StringEquals?.[`aws:ResourceTag/${SERVER_GROUP_TAG}`] === group),
    scope.onto,
  );

  // The roles copied into an emulator of their own, with IAM enforcement on.
  const emulator = await starting;
  const local = { endpoint: emulator.endpoint, region: sandbox.config.region, credentials: config.credentials };
  const localIam = new IAM(local);
  const arns = { takeover: await writeRole(localIam, roles.takeover), server: await writeRole(localIam, roles.server) };
  const localEc2 = new EC2(local);
  const own = await localEc2.allocateAddress({ Domain: "vpc" });
  await new SSM(local).putParameter({ Name: "/rehearsal/iam/probe", Value: "x", Type: "String" });
  const sts = new STS(local);
  const credentialsOf = async (arn: string) => {
    const { Credentials } = await sts.assumeRole({ RoleArn: arn, RoleSessionName: "rehearsal" });
    return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! };
  };
  const as = {
    takeover: { ...local, credentials: await credentialsOf(arns.takeover) },
    server: { ...local, credentials: await credentialsOf(arns.server) },
  };
  const on = await fetch(`${emulator.endpoint}/moto-api/reset-auth`, { method: "POST", body: "0" });
  if (!c.check("IAM enforcement is turned on in the rehearsal's emulator", on.ok, on.status)) return c.list;

  const stranger = await outcome(() => new EC2(local).describeAddresses({}));
  c.check("enforcement is on: a caller with no IAM identity is refused", stranger.startsWith("unknown caller"), stranger);

  const fn = new EC2(as.takeover);
  const seen = {
    describe: await outcome(() => fn.describeAddresses({ AllocationIds: [own.AllocationId!] })),
    group: await outcome(() => new AutoScaling(as.takeover).describeAutoScalingGroups({})),
    release: await outcome(() => fn.releaseAddress({ AllocationId: own.AllocationId! })),
    disassociate: await outcome(() => fn.disassociateAddress({ AssociationId: "eipassoc-0123456789abcdef0" })),
    terminate: await outcome(() => fn.terminateInstances({ InstanceIds: ["i-0123456789abcdef0"] })),
  };
  c.check(
    "the takeover function's role may describe the addresses, instances and group it acts on",
    seen.describe === "allowed" && seen.group === "allowed",
    seen,
  );
  c.check(
    "the takeover function's role may not release or disassociate an address, nor terminate an instance",
    seen.release === "denied" && seen.disassociate === "denied" && seen.terminate === "denied",
    seen,
  );

  const srv = {
    associate: await outcome(() => new EC2(as.server).associateAddress({ AllocationId: own.AllocationId!, InstanceId: "i-0123456789abcdef0" })),
    parameter: await outcome(() => new SSM(as.server).getParameter({ Name: "/rehearsal/iam/probe" })),
  };
  c.check("the server's own role may use Systems Manager (its managed policy is in force)", srv.parameter === "allowed", srv);
  c.check("the server's own role may not associate any Elastic IP: the takeover is the function's, not the instance's", srv.associate === "denied", srv);
  return c.list;
}

export const MULTIAZ_IAM: Rehearsal = {
  name: "multiaz: IAM",
  stack: "multiaz",
  notSimulated: NOT_SIMULATED,
  run,
};
