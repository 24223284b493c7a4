/**
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
  const lower = name.toLowerCase().replace(/\.$/, "");
  return RESERVED_DOMAINS.find((r) => lower === r.domain || lower.endsWith(`.${r.domain}`));
}
