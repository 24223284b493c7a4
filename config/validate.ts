/**
 * Validation of the settings no construct owns (project, region, stacks, backend, DNS,
 * notifications, tags). The constructs validate their own props, which carry the config's
 * key names, when the stacks are built; `main.ts` reports both kinds the same way.
 */
import { REGION_PATTERN, isDnsName } from "../lib/aws";
import { Problems } from "../lib/validation";
import { STACK_NAMES, StackConfig } from "./schema";

const PROJECT_PATTERN = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function validateConfig(config: StackConfig): void {
  const p = new Problems();

  if (typeof config.project !== "string" || !PROJECT_PATTERN.test(config.project)) {
    p.add("project", config.project, "must be 3-24 lowercase letters, digits or hyphens, starting with a letter (it prefixes resource names, some limited to 32 characters)");
  }
  if (typeof config.region !== "string" || !REGION_PATTERN.test(config.region)) {
    p.add("region", config.region, "must be an AWS region name such as ap-northeast-2");
  }
  if (!Array.isArray(config.stacks) || config.stacks.length === 0) {
    p.add("stacks", config.stacks, `must list at least one of ${STACK_NAMES.join(", ")}`);
  } else {
    for (const s of config.stacks) p.oneOf("stacks[]", s, STACK_NAMES);
  }
  if (typeof config.tags !== "object" || config.tags === null || Array.isArray(config.tags)) {
    p.add("tags", config.tags, "must be an object of string values");
  } else {
    for (const [k, v] of Object.entries(config.tags)) {
      if (typeof v !== "string" || k.length > 128 || v.length > 256 || k.startsWith("aws:")) {
        p.add(`tags.${k}`, v, "tag keys are at most 128 characters and may not start with aws:, values are strings of at most 256");
      }
    }
  }

  const b = config.backend;
  if (p.oneOf("backend.type", b?.type, ["local", "s3"]) && b.type === "s3") {
    if (typeof b.bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b.bucket)) {
      p.add("backend.bucket", b.bucket, "must be an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)");
    }
    if (b.region !== undefined && !REGION_PATTERN.test(b.region)) p.add("backend.region", b.region, "must be an AWS region name");
  }

  if (!isDnsName(config.dns.zoneName)) {
    p.add("dns.zoneName", config.dns.zoneName, "must be a DNS domain name such as ha.example.com (no trailing dot)");
  }
  if (config.dns.zoneId !== undefined && !/^Z[A-Z0-9]{1,31}$/.test(config.dns.zoneId)) {
    p.add("dns.zoneId", config.dns.zoneId, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, or unset to create the zone");
  }
  p.integerInRange("dns.ttlSeconds", config.dns.ttlSeconds, 0, 2147483647);

  if (typeof config.web.waf.enabled !== "boolean") p.add("web.waf.enabled", config.web.waf.enabled, "must be true or false");
  if (typeof config.encryption.customerManagedKey !== "boolean") {
    p.add("encryption.customerManagedKey", config.encryption.customerManagedKey, "must be true or false");
  }
  if (!Array.isArray(config.notifications.emails)) {
    p.add("notifications.emails", config.notifications.emails, "must be a list of e-mail addresses");
  } else {
    config.notifications.emails.forEach((e, i) => {
      if (typeof e !== "string" || !EMAIL_PATTERN.test(e)) p.add(`notifications.emails[${i}]`, e, "must be an e-mail address");
    });
  }
  p.throwIfAny();
}
