/**
 * Reading the instance metadata service (IMDSv2) from the shell scripts an instance runs,
 * including the instance's own tags. Values that only exist once Terraform has applied (a
 * file system's id) reach the boot scripts as instance tags read
 * here, never pasted into the user data: the user data stays plain text without Terraform
 * references, which is also what keeps `cdktf synth --hcl` output valid (cdktf 0.21 does not
 * escape a multi-line string with quotes inside a local or a function argument).
 */

/** The instance metadata service, as every instance sees it. */
const IMDS_URL = "http://169.254.169.254/latest";

/**
 * The shell function `metadata <path>`, which prints the metadata item at `meta-data/<path>`.
 * It asks for an IMDSv2 session token first (the launch templates require one, and the
 * metadata service answers nothing without it) and fails, printing nothing, when either
 * request fails.
 */
export const METADATA_FUNCTION: readonly string[] = [
  "metadata() {",
  "  local token",
  `  token=$(curl -sf -X PUT "${IMDS_URL}/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300") || return 1`,
  `  curl -sf -H "X-aws-ec2-metadata-token: $token" "${IMDS_URL}/meta-data/$1"`,
  "}",
];

/** The tag keys an instance may have while its tags are in its metadata, in words. */
export const METADATA_TAG_KEY_RULE = "1 to 128 letters, digits or + - = . , _ : @ (no spaces, no /), and not . or .. or _index";

/**
 * Whether `key` may be a tag of an instance whose tags are in its metadata. With tags in the
 * metadata, EC2 refuses to launch an instance one of whose tag keys has characters other
 * than letters, digits and `+ - = . , _ : @` (so no spaces and no `/`), or is `.`, `..` or
 * `_index`.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html (the note under "Enable access to tags in instance metadata")
 */
export function isMetadataTagKey(key: string): boolean {
  return /^[A-Za-z0-9+\-=.,_:@]{1,128}$/.test(key) && ![".", "..", "_index"].includes(key);
}

/**
 * The metadata path (for `metadata`) of the value of the instance's tag `key`:
 * `meta-data/tags/instance/<key>`, which the metadata serves only when the instance was
 * launched with `instance_metadata_tags = "enabled"` (`HardenedLaunchTemplate` prop
 * `metadataTags`); otherwise the read fails.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/work-with-tags-in-IMDS.html ("Retrieve tags from instance metadata")
 */
export function instanceTagPath(key: string): string {
  if (!isMetadataTagKey(key)) throw new Error(`${JSON.stringify(key)} is not a tag key the instance metadata serves: ${METADATA_TAG_KEY_RULE}`);
  return `tags/instance/${key}`;
}
