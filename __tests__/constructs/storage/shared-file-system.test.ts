import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { NFS_PORT, SharedFileSystem, SharedFileSystemProps } from "../../../constructs/storage/shared-file-system";
import { deref, only, policyJson, resources, synthConstruct, testVpc } from "../../helpers";
import { SESSION_TOKEN, runOnFakeInstance } from "../../workload/support/fake-instance";

const AZS = ["ap-northeast-2a", "ap-northeast-2c"];

function fileSystem(scope: Construct, props: Partial<SharedFileSystemProps> = {}): SharedFileSystem {
  return new SharedFileSystem(scope, "state", { name: "demo", vpc: testVpc(scope, { azs: AZS, natGateways: "none" }), ...props });
}

/** The mount commands for /srv/state, run as one boot script on a fake instance that writes /etc/fstab and /srv/state in a sandbox. */
function mountOnFakeInstance(commands: string[], instance: { tags?: Record<string, string>; issuesTokens?: boolean }) {
  return runOnFakeInstance(commands.join("\n"), { states: [], sandboxedPaths: ["/etc/fstab", "/srv/state"], ...instance });
}

describe("SharedFileSystem", () => {
  test("is an encrypted, regional file system with backups", () => {
    const tf = synthConstruct((scope) => fileSystem(scope));

    const fs = only(tf, "aws_efs_file_system");
    expect(fs).toMatchObject({ encrypted: true, creation_token: "demo" });
    // Regional: no availability_zone_name (One Zone file systems die with their AZ).
    expect(fs.availability_zone_name).toBeUndefined();
    expect(only(tf, "aws_efs_backup_policy").backup_policy).toEqual({ status: "ENABLED" });
  });

  test("has a mount target in every AZ, in that AZ's subnet", () => {
    const tf = synthConstruct((scope) => fileSystem(scope));

    const targets = Object.values(resources(tf, "aws_efs_mount_target"));
    expect(targets.map((t) => deref(tf, t.subnet_id).body.availability_zone).sort()).toEqual(AZS);
    // The private tier by default: the file system is reachable from inside the VPC only.
    for (const t of targets) expect(deref(tf, t.subnet_id).body.tags.Tier).toBe("private");
    for (const t of targets) expect(deref(tf, t.file_system_id).type).toBe("aws_efs_file_system");
    // Addressed by AZ name, so that adding an AZ never renumbers the others.
    expect(Object.keys(resources(tf, "aws_efs_mount_target")).join(" ")).toMatch(/mount-target-ap-northeast-2a.*mount-target-ap-northeast-2c/);
  });

  test("admits NFS only from the client security group it is given", () => {
    // GIVEN no client yet, then one
    const closed = synthConstruct((scope) => fileSystem(scope));
    const open = synthConstruct((scope) => {
      const clients = new SecurityGroup(scope, "clients", { name: "clients" });
      clients.overrideLogicalId("clients");
      fileSystem(scope).allowClients("nfs", clients, "NFS from the server");
    });

    // THEN without clients nothing is admitted; with one, port 2049 from that group alone
    expect(resources(closed, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(only(closed, "aws_security_group").ingress).toBeUndefined();
    const rule = only(open, "aws_vpc_security_group_ingress_rule");
    expect(rule).toMatchObject({
      ip_protocol: "tcp",
      from_port: NFS_PORT,
      to_port: NFS_PORT,
      referenced_security_group_id: "${aws_security_group.clients.id}",
      description: "NFS from the server",
    });
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(deref(open, rule.security_group_id).type).toBe("aws_security_group");
  });

  test("refuses clients that do not use TLS", () => {
    const tf = synthConstruct((scope) => fileSystem(scope));

    const policy = policyJson(only(tf, "aws_efs_file_system_policy").policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: "Deny", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }));
  });

  test("gives the client instances its id as a tag, for the mount to read", () => {
    // GIVEN the default tag key, and one of the caller's
    const byDefault = synthConstruct((scope) => void new TerraformOutput(scope, "instance-tags", { value: fileSystem(scope).instanceTags }));
    const named = synthConstruct(
      (scope) => void new TerraformOutput(scope, "instance-tags", { value: fileSystem(scope, { idTagKey: "StateFileSystemId" }).instanceTags }),
    );

    // THEN the tag holds the file system's id
    const tags = byDefault.output!["instance-tags"].value as Record<string, string>;
    expect(Object.keys(tags)).toEqual(["FileSystemId"]);
    expect(deref(byDefault, tags.FileSystemId)).toMatchObject({ type: "aws_efs_file_system", attr: "id" });
    expect(Object.keys(named.output!["instance-tags"].value as object)).toEqual(["StateFileSystemId"]);
  });

  describe("mount commands, run at first boot", () => {
    let commands: string[] = [];
    synthConstruct((scope) => {
      commands = fileSystem(scope).mountCommands("/srv/state");
    });

    test("mount over TLS the file system named by the instance's tag, now and after every reboot", () => {
      // GIVEN an instance tagged with the file system's id
      const run = mountOnFakeInstance(commands, { tags: { FileSystemId: "fs-0abc1234" } });

      // THEN the utilities are installed, fstab names the file system from the tag, and it is mounted
      expect(run.systemCalls).toEqual(["dnf install -y amazon-efs-utils", "mount /srv/state"]);
      // nofail: a file system out of reach at a later boot must not hold the instance in emergency mode
      expect(run.files["/etc/fstab"]).toBe("fs-0abc1234:/ /srv/state efs _netdev,nofail,tls,noresvport 0 0\n");
      // ...having read the tag from the instance metadata, with the IMDSv2 token
      expect(run.metadataRequests).toContain(`GET meta-data/tags/instance/FileSystemId token=${SESSION_TOKEN}`);
    });

    test("replace the mount point's line an AMI of the server brings (older options, a replaced file system), keeping the others", () => {
      const fstab = [
        "UUID=0b1c / xfs defaults,noatime 1 1",
        "fs-0old0000:/ /srv/state efs _netdev,tls,noresvport 0 0",
        "fs-0other00:/ /srv/other efs _netdev,tls 0 0",
      ];
      const script = [`printf '%s\\n' ${fstab.map((l) => `'${l}'`).join(" ")} > /etc/fstab`, ...commands, ...commands];
      const run = mountOnFakeInstance(script, { tags: { FileSystemId: "fs-0abc1234" } });

      // Run twice (a reboot re-running the script): still one line for the mount point.
      expect(run.files["/etc/fstab"]).toBe(
        [
          "UUID=0b1c / xfs defaults,noatime 1 1",
          "fs-0other00:/ /srv/other efs _netdev,tls 0 0",
          "fs-0abc1234:/ /srv/state efs _netdev,nofail,tls,noresvport 0 0",
          "",
        ].join("\n"),
      );
      expect(run.systemCalls).toContain("mount /srv/state");
    });

    test("mount nothing, and say why, when the tag is not in the instance metadata", () => {
      // GIVEN an instance launched without instance_metadata_tags
      const run = mountOnFakeInstance(commands, {});

      // THEN no broken fstab line is written and nothing is mounted
      expect(run.files["/etc/fstab"]).toBeUndefined();
      expect(run.systemCalls).toEqual(["dnf install -y amazon-efs-utils"]);
      expect(run.stderr).toContain("no FileSystemId tag in the instance metadata");
    });

    test("mount nothing when the metadata service gives no session token", () => {
      const run = mountOnFakeInstance(commands, { tags: { FileSystemId: "fs-0abc1234" }, issuesTokens: false });

      expect(run.files["/etc/fstab"]).toBeUndefined();
      expect(run.systemCalls).not.toContain("mount /srv/state");
      expect(run.metadataRequests.every((r) => r.startsWith("PUT api/token"))).toBe(true);
    });
  });

  test("fails when the VPC has no subnets of the tier asked for", () => {
    expect(() => synthConstruct((scope) => fileSystem(scope, { subnetTier: "isolated" }))).toThrow(
      /state: subnetTier \("isolated"\): the VPC has no subnets of this tier for the mount targets/,
    );
  });

  test("fails when the id's tag key cannot be read from the instance metadata", () => {
    expect(() => synthConstruct((scope) => fileSystem(scope, { idTagKey: "state/file-system" }))).toThrow(
      /idTagKey \("state\/file-system"\): must be a tag key the instance metadata serves/,
    );
  });

  test("fails when the mount point is not an absolute path", () => {
    expect(() => synthConstruct((scope) => fileSystem(scope).mountCommands("srv/state"))).toThrow(/"srv\/state" is not an absolute path/);
  });
});
