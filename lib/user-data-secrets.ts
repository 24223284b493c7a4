/**
 * Finds what looks like a credential in user data, which is plain text in the launch
 * template, readable by anyone who may describe it and by any process on the instance through
 * the metadata service (checkov CKV_AWS_46, trivy AWS-0029 / AWS-0129). One detector for the
 * workload, the launch template and the security checks.
 *
 * Patterns after the secret detectors checkov runs for CKV_AWS_46, kept to ones that do not
 * fire on ordinary boot scripts: an IMDSv2 session token request passes, and so does an
 * assignment from a variable or a command (`PASSWORD=$(aws ssm get-parameter ...)`), which is
 * the way to fetch a secret at boot.
 */
const SECRET_PATTERNS: ReadonlyArray<{ readonly kind: string; readonly pattern: RegExp }> = [
  { kind: "AWS access key ID", pattern: /\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/ },
  { kind: "private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  {
    kind: "password or key assignment",
    pattern: /\b[A-Za-z0-9_]*(password|passwd|pwd|secret|api[_-]?key|access[_-]?key|private[_-]?key)[A-Za-z0-9_]*["']?\s*[:=]\s*["']?[^\s"'$]/i,
  },
  { kind: "credentials in a URL", pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i },
];

export interface SecretFinding {
  /** 1-based line number; the line itself is never reported, so the secret spreads no further. */
  readonly line: number;
  readonly kind: string;
}

/** The first line of `userData` that looks like it holds a secret, if any. */
export function findSecret(userData: string): SecretFinding | undefined {
  const lines = userData.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const hit = SECRET_PATTERNS.find(({ pattern }) => pattern.test(lines[i]));
    if (hit) return { line: i + 1, kind: hit.kind };
  }
  return undefined;
}

/** The fix every report of a finding gives. */
export const SECRET_FIX =
  "user data is plain text in the launch template (CKV_AWS_46, AWS-0129): fetch secrets at boot from SSM Parameter Store or Secrets Manager with the instance role instead";
