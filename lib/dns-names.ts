/**
 * DNS names, checked here once: what a name is (labels of letters, digits and inner hyphens),
 * the full name a record name gives inside a zone, and the domains nobody can own. The schema
 * checks the configured names with these (config/schema.ts); the DNS zone and the workload
 * renderer keep them as programmer errors.
 */

/** Route 53's and the DNS's longest name, without the trailing dot. @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html */
const MAX_NAME_LENGTH = 253;

/** A label: 1-63 letters, digits or hyphens, no hyphen at either end (RFC 1035's host names, RFC 1123's leading digit allowed). */
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/** A DNS name of labels (letters, digits, hyphens), at most 253 characters, no trailing dot. */
export function isDnsName(name: string): boolean {
  if (typeof name !== "string" || name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  return name.split(".").every((l) => LABEL.test(l));
}

/** A name as DNS compares it: case does not matter, nor a trailing dot. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/**
 * The full name of a record name in the zone `zoneName`: a label (`www`) becomes `www.<zone>`,
 * a full name must lie in the zone (or be its apex); undefined when it is neither.
 */
export function nameInZone(recordName: string, zoneName: string): string | undefined {
  if (typeof recordName !== "string") return undefined;
  const zone = canonicalName(zoneName);
  const name = canonicalName(recordName);
  const full = name === zone || name.endsWith(`.${zone}`) ? name : `${name}.${zone}`;
  return isDnsName(full) && (!name.includes(".") || full === name) ? full : undefined;
}

/** What a record name must be, for the zone `zoneName`. */
export function recordNameFix(zoneName: string): string {
  const zone = canonicalName(zoneName);
  return `must be a DNS label (e.g. "www") or a name inside the zone ${zone} (e.g. "www.${zone}")`;
}

/*
 * Domain names nobody can own: a public hosted zone for one (or inside one) is never
 * delegated from the DNS root, so its records do not resolve on the internet, and Route 53
 * refuses some of them outright.
 */

/** A reserved domain and the document that reserves it. */
export interface ReservedDomain {
  /** The reserved name; every name inside it is reserved too. */
  readonly domain: string;
  readonly source: string;
}

/**
 * IANA's Special-Use Domain Names registry (RFC 6761, which confirms RFC 2606's reservations:
 * the TLDs test, example, invalid, localhost and the second-level example.com, example.net,
 * example.org), and the names reserved for local use since: local (multicast DNS, RFC 6762),
 * onion (RFC 7686), home.arpa (RFC 8375), alt (RFC 9476); and internal, the top-level domain
 * ICANN chose in 2024 for private use, never to be delegated (SSAC's SAC113).
 * https://www.iana.org/assignments/special-use-domain-names/
 */
export const RESERVED_DOMAINS: readonly ReservedDomain[] = [
  { domain: "example", source: "RFC 2606/6761" },
  { domain: "example.com", source: "RFC 2606/6761" },
  { domain: "example.net", source: "RFC 2606/6761" },
  { domain: "example.org", source: "RFC 2606/6761" },
  { domain: "test", source: "RFC 2606/6761" },
  { domain: "invalid", source: "RFC 2606/6761" },
  { domain: "localhost", source: "RFC 2606/6761" },
  { domain: "local", source: "RFC 6762" },
  { domain: "onion", source: "RFC 7686" },
  { domain: "home.arpa", source: "RFC 8375" },
  { domain: "alt", source: "RFC 9476" },
  { domain: "internal", source: "ICANN (SAC113), private use" },
];

/** The reservation `name` falls under (itself or a parent domain), if any. Case and a trailing dot do not matter. */
export function reservedDomainOf(name: string): ReservedDomain | undefined {
  const lower = canonicalName(name);
  return RESERVED_DOMAINS.find((r) => lower === r.domain || lower.endsWith(`.${r.domain}`));
}
