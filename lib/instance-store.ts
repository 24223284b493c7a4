/**
 * Which EC2 instance types come with instance store volumes: disks of the host computer, whose
 * data survives a reboot but not a stop, a hibernation, a termination or a failure of the
 * underlying disk or host (EC2 recovery moves the instance to other hardware).
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/InstanceStorage.html
 */

/** Storage optimized families (d3, h1, i4i, im4gn, is4gen): every size comes with instance store volumes. */
const STORAGE_OPTIMIZED_PREFIXES = ["d", "h", "i", "im", "is"];

/**
 * Whether every instance of `instanceType` has instance store volumes: a storage optimized
 * family, or `d` among the attribute letters after the generation (m5d, c6gd, r5dn, x2idn: local
 * NVMe instance store). Older families (m3, c3) get them only from a block device mapping.
 */
export function comesWithInstanceStore(instanceType: string): boolean {
  const family = instanceType.toLowerCase().split(".")[0] ?? "";
  const parts = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family);
  return parts !== null && (STORAGE_OPTIMIZED_PREFIXES.includes(parts[1]) || parts[3].replace(/-flex$/, "").includes("d"));
}

/** Whether a block device mapping's `virtual_name` names an instance store volume (`ephemeral0` to `ephemeral23`). */
export function isInstanceStoreMapping(virtualName: unknown): boolean {
  return typeof virtualName === "string" && /^ephemeral\d+$/.test(virtualName);
}
