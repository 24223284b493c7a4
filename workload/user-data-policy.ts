/**
 * What EC2 and the project's security rules require of user data, checked on the rendered
 * text so that whatever a caller adds (boot commands) is checked too.
 */

/**
 * EC2 rejects user data larger than 16 KB in raw form, before base64 encoding.
 * @see https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html
 */
export const EC2_USER_DATA_MAX_BYTES = 16 * 1024;

/** Fails when the user data would be refused by EC2 at launch. */
export function assertUserDataSize(userData: string): void {
  const bytes = Buffer.byteLength(userData, "utf8");
  if (bytes > EC2_USER_DATA_MAX_BYTES) {
    throw new Error(
      `user data is ${bytes} bytes, over the EC2 limit of ${EC2_USER_DATA_MAX_BYTES}: ` +
        "move large files to an AMI, S3 or a package, and keep boot commands short"
    );
  }
}

// Patterns after the secret detectors checkov runs for CKV_AWS_46, kept to ones that do not
// fire on ordinary boot scripts: an IMDSv2 session token request passes, and so does an
// assignment from a variable or a command (`PASSWORD=$(aws ssm get-parameter ...)`), which is
// the way to fetch a secret at boot.
const SECRET_PATTERNS: ReadonlyArray<{ readonly kind: string; readonly pattern: RegExp }> = [
  { kind: "AWS access key ID", pattern: /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { kind: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  {
    kind: "password or key assignment",
    pattern:
      /\b[A-Za-z0-9_]*(password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_]*["']?\s*[:=]\s*["']?[^\s"'$]/i,
  },
  { kind: "credentials in a URL", pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

/**
 * Fails when user data looks like it carries a secret: user data is plain text in the launch
 * template, readable by anyone who may describe it and by any process on the instance through
 * the metadata service. (checkov CKV_AWS_46, trivy AWS-0129)
 */
export function assertNoSecrets(userData: string): void {
  const lines = userData.split("\n");
  lines.forEach((line, index) => {
    for (const { kind, pattern } of SECRET_PATTERNS) {
      if (pattern.test(line)) {
        // The line number, not the line: an error message must not spread the secret further.
        throw new Error(
          `user data line ${index + 1} looks like it holds a secret (${kind}); user data is ` +
            "plain text in the launch template (CKV_AWS_46, AWS-0129): fetch secrets at boot " +
            "from SSM Parameter Store or Secrets Manager with the instance role instead"
        );
      }
    }
  });
}
