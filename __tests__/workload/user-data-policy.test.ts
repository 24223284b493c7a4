import { EC2_USER_DATA_MAX_BYTES, assertNoSecrets, assertUserDataSize } from "../../workload/user-data-policy";

describe("assertUserDataSize", () => {
  test("accepts user data of exactly 16 KB", () => {
    expect(() => assertUserDataSize("x".repeat(EC2_USER_DATA_MAX_BYTES))).not.toThrow();
  });

  test("fails when user data is over 16 KB, counting bytes, not characters", () => {
    // GIVEN 8193 two-byte characters: 16386 bytes
    const userData = "é".repeat(8193);
    // THEN
    expect(() => assertUserDataSize(userData)).toThrow("user data is 16386 bytes, over the EC2 limit of 16384");
  });
});

describe("assertNoSecrets", () => {
  // AWS's documented example key and a key header, built in pieces so that secret scanners
  // run on this repository do not flag the test itself.
  test.each([
    ["an AWS access key ID", "export AWS_ACCESS_KEY_ID=" + "AKIA" + "IOSFODNN7EXAMPLE"],
    ["a private key", "-----BEGIN RSA " + "PRIVATE KEY-----"],
    ["a password assignment", "DB_PASSWORD=hunter2 ./start.sh"],
    ["a quoted secret in YAML", '  api_key: "0123456789abcdef"'],
    ["credentials in a URL", "curl https://admin:hunter2@example.internal/"],
  ])("fails when user data holds %s", (_kind, line) => {
    expect(() => assertNoSecrets(`#cloud-config\n${line}\n`)).toThrow(/user data line 2 looks like it holds a secret/);
  });

  test("does not repeat the secret in its message", () => {
    expect(() => assertNoSecrets("DB_PASSWORD=hunter2")).toThrow(expect.objectContaining({ message: expect.not.stringContaining("hunter2") }));
  });

  test.each([
    ["an IMDSv2 token request", 'TOKEN=$(curl -sX PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60")'],
    ["a secret fetched at boot", "DB_PASSWORD=$(aws ssm get-parameter --name /app/db --with-decryption --query Parameter.Value --output text)"],
    ["a comment about secrets", "# Plain text in the launch template: no secrets."],
  ])("accepts %s", (_kind, line) => {
    expect(() => assertNoSecrets(line)).not.toThrow();
  });
});
