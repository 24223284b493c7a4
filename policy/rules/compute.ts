/**
 * Rules for what an EC2 instance starts with, whether it is declared directly
 * (`aws_instance`) or through a launch template an Auto Scaling group launches from.
 */
import { ResourceGraph, ResourceNode, blocks, num } from "../../lib/resource-graph";
import { SECRET_FIX, findSecret } from "../../lib/user-data-secrets";
import { Rule, flag, unknownUntilApply, unresolved } from "../rule";

const INSTANCE_TYPES = ["aws_instance", "aws_launch_template"] as const;

/** The launch templates an instance is launched from; EC2 applies their settings the instance leaves out. */
function templatesOf(r: ResourceNode, graph: ResourceGraph): ResourceNode[] {
  return r.type === "aws_instance" ? graph.referenced(r, "launch_template", "aws_launch_template") : [];
}

/**
 * The resource's own metadata options. An instance launched from a template gets the template's
 * at launch, but checkov and trivy read the `aws_instance` alone, so it must carry them itself.
 */
function metadataOptions(r: ResourceNode): Record<string, unknown> | undefined {
  return blocks(r.values.metadata_options)[0];
}

/** Says, for an instance without options of its own, that its template's do not count for scanners. */
function ownOptionsHint(r: ResourceNode, graph: ResourceGraph): string {
  return r.type === "aws_instance" && !metadataOptions(r) && templatesOf(r, graph).length > 0
    ? " on the instance itself (scanners do not read its launch template's)"
    : "";
}

export const imdsV2Required: Rule = {
  id: "CKV_AWS_79",
  trivy: ["AWS-0028", "AWS-0130"],
  severity: "error",
  title: "Instances require IMDSv2 session tokens (http_tokens = required).",
  resourceTypes: INSTANCE_TYPES,
  check(r, graph) {
    const options = metadataOptions(r);
    if (options?.http_endpoint === "disabled" || options?.http_tokens === "required") return undefined;
    if (unresolved(options?.http_tokens) || unresolved(options?.http_endpoint)) return unknownUntilApply("metadata_options.http_tokens");
    return `IMDSv1 stays available (metadata_options.http_tokens is ${JSON.stringify(options?.http_tokens ?? "unset")}); set http_tokens = "required"${ownOptionsHint(r, graph)} so a request forgery cannot read the instance credentials`;
  },
};

export const metadataHopLimit: Rule = {
  id: "CKV_AWS_341",
  severity: "error",
  title: "The metadata response hop limit is 1, so containers and forwarded requests cannot reach IMDS.",
  resourceTypes: INSTANCE_TYPES,
  check(r, graph) {
    const options = metadataOptions(r);
    if (options?.http_endpoint === "disabled") return undefined;
    const hops = num(options?.http_put_response_hop_limit);
    if (hops === 1) return undefined;
    if (unresolved(options?.http_put_response_hop_limit)) return unknownUntilApply("metadata_options.http_put_response_hop_limit");
    // Unset is a finding too: Amazon Linux 2023 images default to 2.
    return (
      `metadata_options.http_put_response_hop_limit is ${hops ?? "unset (the AMI's default, 2 on Amazon Linux 2023)"}; set it to 1${ownOptionsHint(r, graph)}, ` +
      "or, where containers on the host need more, give the limit with its reason (<stack section>.metadataHopLimit, HardenedLaunchTemplate's metadataHopLimit), which records this rule's suppression"
    );
  },
};

export const noPublicIp: Rule = {
  id: "CKV_AWS_88",
  trivy: ["AWS-0009"],
  severity: "error",
  title: "Instances get no public IP address; they are reached through a load balancer or an Elastic IP.",
  resourceTypes: INSTANCE_TYPES,
  check(r) {
    const interfaces = r.type === "aws_instance" ? [r.values] : blocks(r.values.network_interfaces);
    if (!interfaces.some((i) => flag(i.associate_public_ip_address) === true)) {
      return interfaces.some((i) => unresolved(i.associate_public_ip_address)) ? unknownUntilApply("associate_public_ip_address") : undefined;
    }
    return "the primary network interface gets a public IP (associate_public_ip_address = true); put the instance in a private subnet behind a load balancer, or suppress with the reason it must be public";
  },
};

interface Volume {
  readonly name: string;
  readonly encrypted: unknown;
}

/** The EBS volumes a resource declares itself. */
function volumesOf(r: ResourceNode, graph: ResourceGraph): Volume[] {
  switch (r.type) {
    case "aws_ebs_volume":
      return [{ name: "the volume", encrypted: r.values.encrypted }];
    case "aws_launch_template":
      return blocks(r.values.block_device_mappings).flatMap((m) =>
        blocks(m.ebs).map((e) => ({ name: `block_device_mappings ${String(m.device_name)}`, encrypted: e.encrypted })),
      );
    default: {
      const own = [
        ...blocks(r.values.root_block_device).map((d) => ({ name: "root_block_device", encrypted: d.encrypted })),
        ...blocks(r.values.ebs_block_device).map((d) => ({ name: `ebs_block_device ${String(d.device_name)}`, encrypted: d.encrypted })),
      ];
      // As checkov and trivy read it: an instance's own blocks, not its template's.
      return own.length > 0
        ? own
        : [
            {
              name: `root_block_device${templatesOf(r, graph).length > 0 ? " on the instance itself (scanners do not read its launch template's)" : ""}`,
              encrypted: undefined,
            },
          ];
    }
  }
}

export const ebsEncrypted: Rule = {
  id: "CKV_AWS_8",
  checkov: ["CKV_AWS_3"],
  trivy: ["AWS-0131", "AWS-0008"],
  severity: "error",
  title: "Every EBS volume an instance starts with, and every standalone volume, is encrypted.",
  resourceTypes: [...INSTANCE_TYPES, "aws_ebs_volume"],
  check(r, graph) {
    const volumes = volumesOf(r, graph);
    if (volumes.length === 0) {
      return "no block_device_mappings: the volumes come unencrypted from the AMI unless the account encrypts by default; map the root device with ebs.encrypted = true";
    }
    const plain = volumes.filter((v) => flag(v.encrypted) !== true);
    if (plain.length > 0 && plain.every((v) => unresolved(v.encrypted))) return unknownUntilApply(`encrypted of ${plain.map((v) => v.name).join(", ")}`);
    if (plain.length === 0) return undefined;
    return `${plain.map((v) => v.name).join(", ")} not encrypted; set encrypted = true`;
  },
};

/** User data as text: decoded when it is base64 (a plan holds the encoded form). */
function userDataText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0) {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    if (!decoded.includes("\uFFFD")) return decoded;
  }
  return value;
}

export const noSecretsInUserData: Rule = {
  id: "CKV_AWS_46",
  trivy: ["AWS-0029", "AWS-0129"],
  severity: "error",
  title: "User data holds no credentials (anyone who can read instance attributes can read it).",
  resourceTypes: INSTANCE_TYPES,
  check(r) {
    const text = [r.values.user_data, r.values.user_data_base64]
      .map(userDataText)
      .filter((t): t is string => t !== undefined)
      .join("\n");
    const secret = findSecret(text);
    return secret ? `line ${secret.line} of the user data looks like it holds a secret (${secret.kind}); ${SECRET_FIX}` : undefined;
  },
};

export const COMPUTE_RULES: readonly Rule[] = [imdsV2Required, metadataHopLimit, noPublicIp, ebsEncrypted, noSecretsInUserData];
