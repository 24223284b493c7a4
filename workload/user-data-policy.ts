import { SECRET_FIX, findSecret } from "../lib/user-data-secrets";

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
        "move large files to an AMI, S3 or a package, and keep boot commands short",
    );
  }
}

/**
 * Fails when user data looks like it carries a secret: user data is plain text in the launch
 * template, readable by anyone who may describe it and by any process on the instance through
 * the metadata service. (checkov CKV_AWS_46, trivy AWS-0129)
 */
export function assertNoSecrets(userData: string): void {
  const secret = findSecret(userData);
  if (secret) throw new Error(`user data line ${secret.line} looks like it holds a secret (${secret.kind}); ${SECRET_FIX}`);
}
