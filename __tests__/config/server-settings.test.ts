import { resolveConfig } from "../../config/load";
import { sshCidrFix } from "../../constructs/compute/hardened-launch-template";

/**
 * The single-server sections' checks (recovery, multiaz): what the schema reports, each as
 * one line naming the key, the value and the fix, before any construct is built.
 */
describe("server settings", () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    // The recovery stack's type: one the recover alarm heals (recoverable-instance-types.ts).
    [
      "the type has instance store volumes",
      { recovery: { instanceType: "m5d.large" } },
      /^Invalid configuration: recovery\.instanceType \("m5d\.large"\): m5d\.large has instance store volumes \(the m5d family\), which EC2 recovery does not support; choose an EBS-only type of a supported family such as t3\.micro.*Check a type with `aws ec2 describe-instance-types --instance-types m5d\.large/,
    ],
    [
      "the type's family is not one EC2 recovery lists",
      { recovery: { instanceType: "f1.2xlarge" } },
      /recovery\.instanceType \("f1\.2xlarge"\): f1\.2xlarge is not of a family the EC2 User Guide lists for EC2 recovery/,
    ],
    // The recovery alarms' timing (Ec2RecoveryAlarms' checkTiming).
    [
      "recover and reboot wait the same periods",
      { recovery: { recoverEvaluationPeriods: 3, rebootEvaluationPeriods: 3 } },
      /^Invalid configuration: recovery\.recoverEvaluationPeriods \(3\): must differ from recovery\.rebootEvaluationPeriods \(3\) so that a reboot and a recovery never start together/,
    ],
    [
      "the reboot alarm's range exceeds CloudWatch's day",
      { recovery: { rebootEvaluationPeriods: 1441 } },
      /^Invalid configuration: recovery\.rebootEvaluationPeriods \(1441\): x recovery\.alarmPeriodSeconds \(60\) is 86460 s, beyond CloudWatch's 86400 s evaluation range; use at most 1440 periods$/,
    ],
    [
      "the recover alarm's range exceeds CloudWatch's week",
      { recovery: { alarmPeriodSeconds: 3600, recoverEvaluationPeriods: 169 } },
      /recovery\.recoverEvaluationPeriods \(169\): x recovery\.alarmPeriodSeconds \(3600\) is 608400 s, beyond CloudWatch's 604800 s evaluation range; use at most 168 periods/,
    ],
    [
      "the period is not whole minutes",
      { recovery: { alarmPeriodSeconds: 90 } },
      /recovery\.alarmPeriodSeconds \(90\): must be a multiple of 60 such as 60: status checks/,
    ],
    [
      "no evaluation period",
      { recovery: { recoverEvaluationPeriods: 0 } },
      /recovery\.recoverEvaluationPeriods \(0\): must be a whole number of periods, at least 1/,
    ],
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
    // The IMDS hop limit, a relaxation in every server section: above 1 only with a reason (policy/relaxation.ts).
    [
      "recovery relaxes the hop limit without a reason",
      { recovery: { metadataHopLimit: { value: 2 } } },
      /^Invalid configuration: recovery\.metadataHopLimit\.value \(2\): relaxes the IMDS hop limit from 1 \(CKV_AWS_341: .*\) without a reason; say in recovery\.metadataHopLimit\.reason, in at least 20 characters, why the servers need it \(it is recorded as the CKV_AWS_341 suppression the plan review shows\), or set it back to 1$/,
    ],
    [
      "multiaz relaxes the hop limit without a reason",
      { multiaz: { metadataHopLimit: { value: 3 } } },
      /^Invalid configuration: multiaz\.metadataHopLimit\.value \(3\): relaxes the IMDS hop limit from 1 .* without a reason; say in multiaz\.metadataHopLimit\.reason/,
    ],
    [
      "web relaxes the hop limit with a blank reason",
      { web: { metadataHopLimit: { value: 2, reason: "   " } } },
      /^Invalid configuration: web\.metadataHopLimit\.value \(2\): relaxes the IMDS hop limit from 1 .* with too short a reason \(" {3}"\); say in web\.metadataHopLimit\.reason, in at least 20 characters/,
    ],
    [
      "the hop limit's reason says nothing",
      { web: { metadataHopLimit: { value: 2, reason: "containers" } } },
      /web\.metadataHopLimit\.value \(2\): relaxes the IMDS hop limit from 1 .* with too short a reason \("containers"\)/,
    ],
    [
      "a reason comes with the default hop limit",
      { multiaz: { metadataHopLimit: { value: 1, reason: "containers on the host call AWS with the role" } } },
      /^Invalid configuration: multiaz\.metadataHopLimit\.reason \("containers on the host call AWS with the role"\): gives a reason, but the IMDS hop limit is 1, the default, which breaks no rule; remove multiaz\.metadataHopLimit\.reason$/,
    ],
    [
      "the hop limit is beyond EC2's 64",
      { recovery: { metadataHopLimit: { value: 65, reason: "containers on the host call AWS with the role" } } },
      /^Invalid configuration: recovery\.metadataHopLimit\.value \(65\): must be a whole number from 1 to 64$/,
    ],
    [
      "the hop limit is relaxed by its value alone",
      { web: { metadataHopLimit: 2 } },
      /^Invalid configuration: web\.metadataHopLimit \(2\): relaxes the IMDS hop limit from 1 .* without a reason; say in web\.metadataHopLimit\.reason/,
    ],
  ])("fails when %s", (_case, overrides, message) => {
    expect(() => resolveConfig(overrides as never)).toThrow(message);
  });

  test.each<[string, Record<string, unknown>]>([
    ["SSH from one network", { recovery: { sshCidr: "203.0.113.0/24" }, multiaz: { sshCidr: "198.51.100.7/32" } }],
    ["one warm instance per AZ", { multiaz: { warmPool: { minSize: 3 } } }],
    ["a metal size, which only the recover alarm heals (synth warns)", { recovery: { instanceType: "c7i.metal-24xl" } }],
    ["a day of one-minute periods and a week of hours", { recovery: { recoverEvaluationPeriods: 1440, rebootEvaluationPeriods: 1 } }],
    ["a week of hour-long periods", { recovery: { alarmPeriodSeconds: 3600, recoverEvaluationPeriods: 1, rebootEvaluationPeriods: 168 } }],
    ["the hop limit 1 written out", { recovery: { metadataHopLimit: { value: 1 } } }],
    ["hop limit 2 with a reason", { web: { metadataHopLimit: { value: 2, reason: "containers on the host call AWS with the instance role" } } }],
  ])("accepts %s", (_case, overrides) => {
    expect(() => resolveConfig(overrides as never)).not.toThrow();
  });

  test("the hop limit defaults to 1 in every server section; a relaxation keeps its reason", () => {
    const defaults = resolveConfig({});
    for (const section of ["recovery", "multiaz", "web"] as const) expect(defaults[section].metadataHopLimit).toEqual({ value: 1 });
    const relaxed = resolveConfig({ multiaz: { metadataHopLimit: { value: 2, reason: "containers on the host call AWS with the instance role" } } });
    expect(relaxed.multiaz.metadataHopLimit).toEqual({ value: 2, reason: "containers on the host call AWS with the instance role" });
    expect(relaxed.web.metadataHopLimit).toEqual({ value: 1 });
  });

  test("the launch template's SSH rule is the schema's", () => {
    expect(sshCidrFix("203.0.113.0/24")).toBeUndefined();
    expect(sshCidrFix("0.0.0.0/0")).toMatch(/CKV_AWS_24/);
  });
});
