import { resolveConfig } from "../../config/load";
import { sshCidrFix } from "../../constructs/compute/hardened-launch-template";

/**
 * The single-server sections' checks (recovery, multiaz): what the schema reports, each as
 * one line naming the key, the value and the fix, before any construct is built.
 */
describe("server settings", () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    // SSH, in either stack (the launch template's own rule, sshCidrFix).
    [
      "recovery opens SSH to the internet",
      { recovery: { sshCidr: "0.0.0.0/0" } },
      /^Invalid configuration: recovery\.sshCidr \("0\.0\.0\.0\/0"\): SSH from the whole internet is not allowed \(CKV_AWS_24\); give your administration network's CIDR, or use SSM Session Manager and leave sshCidr unset$/,
    ],
    [
      "multiaz opens SSH to the internet",
      { multiaz: { sshCidr: "0.0.0.0/0" } },
      /multiaz\.sshCidr \("0\.0\.0\.0\/0"\): SSH from the whole internet is not allowed/,
    ],
    ["the SSH CIDR has no prefix", { recovery: { sshCidr: "10.0.0.1" } }, /recovery\.sshCidr \("10\.0\.0\.1"\): must be an IPv4 CIDR block/],
    ["the SSH CIDR has host bits", { multiaz: { sshCidr: "10.0.0.1/8" } }, /multiaz\.sshCidr \("10\.0\.0\.1\/8"\): /],
    ["the SSH CIDR is a number", { recovery: { sshCidr: 22 } }, /recovery\.sshCidr \(22\): must be an IPv4 CIDR such as 203\.0\.113\.0\/24/],
    // The warm pool: 1 to the number of AZs.
    [
      "more warm instances than AZs",
      { multiaz: { warmPool: { minSize: 4 } } },
      /^Invalid configuration: multiaz\.warmPool\.minSize \(4\): must be a whole number from 1 to 3, the number of azs: one warm instance per AZ at most/,
    ],
    [
      "more warm instances than two AZs",
      { azs: ["ap-northeast-2a", "ap-northeast-2c"], multiaz: { warmPool: { minSize: 3 } } },
      /multiaz\.warmPool\.minSize \(3\): must be a whole number from 1 to 2, the number of azs/,
    ],
    ["no warm instance", { multiaz: { warmPool: { minSize: 0 } } }, /multiaz\.warmPool\.minSize \(0\): must be a whole number from 1 to the number of AZs/],
    [
      "a fractional warm pool",
      { multiaz: { warmPool: { minSize: 1.5 } } },
      /multiaz\.warmPool\.minSize \(1\.5\): must be a whole number from 1 to the number of AZs/,
    ],
    ["a root volume below the image's 8 GiB", { multiaz: { rootVolumeGb: 4 } }, /multiaz\.rootVolumeGb \(4\): must be a whole number from 8 to 16384/],
  ])("fails when %s", (_case, overrides, message) => {
    expect(() => resolveConfig(overrides as never)).toThrow(message);
  });

  test.each<[string, Record<string, unknown>]>([
    ["SSH from one network", { recovery: { sshCidr: "203.0.113.0/24" }, multiaz: { sshCidr: "198.51.100.7/32" } }],
    ["one warm instance per AZ", { multiaz: { warmPool: { minSize: 3 } } }],
  ])("accepts %s", (_case, overrides) => {
    expect(() => resolveConfig(overrides as never)).not.toThrow();
  });

  test("the launch template's SSH rule is the schema's", () => {
    expect(sshCidrFix("203.0.113.0/24")).toBeUndefined();
    expect(sshCidrFix("0.0.0.0/0")).toMatch(/CKV_AWS_24/);
  });
});
