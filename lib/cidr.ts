/**
 * IPv4 CIDR arithmetic for carving subnets out of a VPC block. Parsing and validation come
 * from ipaddr.js; the carving (aligned blocks at an offset) is the small part no
 * well-kept library offers in the shape needed here.
 */
import * as ipaddr from "ipaddr.js";

export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`, requiring the address to be the network address of the block. */
export function parseIpv4Cidr(cidr: string): Ipv4Block | string {
  // ipaddr.js also accepts classful shorthand (10.0.0/16); a VPC block is written in full.
  if (typeof cidr !== "string" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || !ipaddr.IPv4.isValidCIDR(cidr)) {
    return "must be an IPv4 CIDR block such as 10.0.0.0/16";
  }
  const [addr, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const base = toInt(addr);
  if (base % blockSize(prefix) !== 0) {
    return `host bits are set: the block is ${formatIpv4Cidr({ base: base - (base % blockSize(prefix)), prefix })}`;
  }
  return { base, prefix };
}

export function formatIpv4Cidr(block: Ipv4Block): string {
  const b = block.base;
  return `${[b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join(".")}/${block.prefix}`;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The `index`-th block of length `prefix` inside `within` (like Terraform's cidrsubnet). */
export function subBlock(within: Ipv4Block, prefix: number, index: number): Ipv4Block {
  const base = within.base + index * blockSize(prefix);
  if (prefix < within.prefix || base + blockSize(prefix) > within.base + blockSize(within.prefix)) {
    throw new RangeError(`block ${index} of /${prefix} does not fit in ${formatIpv4Cidr(within)}`);
  }
  return { base, prefix };
}

function toInt(addr: ipaddr.IPv4): number {
  return addr.octets.reduce((acc, o) => acc * 256 + o, 0);
}
