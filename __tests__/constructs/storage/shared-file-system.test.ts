import { Construct } from "constructs";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { NFS_PORT, SharedFileSystem } from "../../../constructs/storage/shared-file-system";
import { deref, only, policyJson, resources, synthConstruct } from "../../helpers";

const AZS = ["ap-northeast-2a", "ap-northeast-2c"];

function fileSystem(scope: Construct, azs: readonly string[] = AZS): SharedFileSystem {
  const subnets = azs.map((az, i) => new Subnet(scope, `private-${az}`, { vpcId: "vpc-0demo", availabilityZone: az, cidrBlock: `10.0.${i}.0/24` }));
  return new SharedFileSystem(scope, "state", {
    name: "demo",
    vpcId: "vpc-0demo",
    subnetIdsByAz: Object.fromEntries(azs.map((az, i) => [az, subnets[i].id])),
  });
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
    for (const t of targets) expect(deref(tf, t.file_system_id).type).toBe("aws_efs_file_system");
    // Addressed by AZ name, so that adding an AZ never renumbers the others.
    expect(Object.keys(resources(tf, "aws_efs_mount_target")).join(" ")).toMatch(/mount-target-ap-northeast-2a.*mount-target-ap-northeast-2c/);
  });

  test("admits NFS only from the client security group it is given", () => {
    // GIVEN no client yet, then one
    const closed = synthConstruct((scope) => fileSystem(scope));
    const open = synthConstruct((scope) => fileSystem(scope).allowClients("nfs", "sg-0clients", "NFS from the server"));

    // THEN without clients nothing is admitted; with one, port 2049 from that group alone
    expect(resources(closed, "aws_vpc_security_group_ingress_rule")).toEqual({});
    expect(only(closed, "aws_security_group").ingress).toBeUndefined();
    const rule = only(open, "aws_vpc_security_group_ingress_rule");
    expect(rule).toMatchObject({ ip_protocol: "tcp", from_port: NFS_PORT, to_port: NFS_PORT, referenced_security_group_id: "sg-0clients", description: "NFS from the server" });
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(deref(open, rule.security_group_id).type).toBe("aws_security_group");
  });

  test("refuses clients that do not use TLS", () => {
    const tf = synthConstruct((scope) => fileSystem(scope));

    const policy = policyJson(only(tf, "aws_efs_file_system_policy").policy);
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
  });

  test("mounts at boot over TLS, now and after every reboot", () => {
    let commands: string[] = [];
    let fileSystemId = "";
    synthConstruct((scope) => {
      const efs = fileSystem(scope);
      fileSystemId = efs.fileSystemId;
      commands = efs.mountCommands("/srv/state");
    });

    expect(commands[0]).toBe("dnf install -y amazon-efs-utils");
    expect(commands.join("\n")).toContain(`echo '${fileSystemId}:/ /srv/state efs _netdev,tls,noresvport 0 0' >> /etc/fstab`);
    // Idempotent: an AMI of the server already holds the fstab line.
    expect(commands.join("\n")).toContain("grep -q ' /srv/state efs ' /etc/fstab ||");
    expect(commands.join("\n")).toContain("mountpoint -q /srv/state");
  });

  test("fails when the mount targets would be in one AZ only", () => {
    expect(() => synthConstruct((scope) => fileSystem(scope, ["ap-northeast-2a"]))).toThrow(/subnetIdsByAz \(\["ap-northeast-2a"\]\): give a subnet in each of at least two AZs/);
  });

  test("fails when the mount point is not an absolute path", () => {
    expect(() => synthConstruct((scope) => fileSystem(scope).mountCommands("srv/state"))).toThrow(/"srv\/state" is not an absolute path/);
  });
});
