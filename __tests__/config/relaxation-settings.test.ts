/**
 * The relaxations besides the hop limit (server-settings.test.ts): a secure default turned
 * off or shortened only with a reason (policy/relaxation.ts), given as `{ value, reason }`;
 * the value alone keeps working where it relaxes nothing.
 */
import { resolveConfig } from "../../config/load";

const REASON = "a throwaway demo account, deleted within the week";

describe("relaxations with a reason", () => {
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      "WAF off without a reason",
      { web: { waf: { enabled: false } } },
      /^Invalid configuration: web\.waf\.enabled \(false\): relaxes AWS WAF on the load balancer from true \(CKV2_AWS_28: .*\) without a reason; say in web\.waf\.enabled\.reason, in at least 20 characters, why the load balancer does without it \(it is recorded as the CKV2_AWS_28 suppression the plan review shows\), or set it back to true$/,
    ],
    [
      "the customer-managed key off without a reason",
      { encryption: { customerManagedKey: { value: false } } },
      /^Invalid configuration: encryption\.customerManagedKey\.value \(false\): relaxes the customer-managed KMS key from true \(CKV_AWS_158, CKV_AWS_26 and CKV_AWS_184: .*\) without a reason; .* \(it is recorded as the CKV_AWS_158, CKV_AWS_26 and CKV_AWS_184 suppressions the plan review shows\)/,
    ],
    [
      "flow logs off with too short a reason",
      { network: { flowLogs: { enabled: { value: false, reason: "cost" } } } },
      /^Invalid configuration: network\.flowLogs\.enabled\.value \(false\): relaxes the VPC's flow logs from true \(CKV2_AWS_11: .*\) with too short a reason \("cost"\); say in network\.flowLogs\.enabled\.reason/,
    ],
    [
      "deletion protection off without a reason",
      { web: { deletionProtection: false } },
      /^Invalid configuration: web\.deletionProtection \(false\): relaxes the load balancer's deletion protection from true \(CKV_AWS_150: .*\) without a reason; say in web\.deletionProtection\.reason/,
    ],
    [
      "flow logs kept 90 days without a reason",
      { network: { flowLogs: { retentionDays: 90 } } },
      /^Invalid configuration: network\.flowLogs\.retentionDays \(90\): relaxes the flow logs' retention \(days\) from 365 \(CKV_AWS_338: .*\) without a reason; say in network\.flowLogs\.retentionDays\.reason/,
    ],
    [
      "a reason beside WAF on",
      { web: { waf: { enabled: { value: true, reason: REASON } } } },
      /^Invalid configuration: web\.waf\.enabled\.reason \(".*"\): gives a reason, but AWS WAF on the load balancer is true, the default, which breaks no rule; remove web\.waf\.enabled\.reason$/,
    ],
    [
      "a reason beside two years of flow logs",
      { network: { flowLogs: { retentionDays: { value: 731, reason: REASON } } } },
      /^Invalid configuration: network\.flowLogs\.retentionDays\.reason \(".*"\): gives a reason, but the flow logs' retention \(days\) is 731, which breaks no rule; remove network\.flowLogs\.retentionDays\.reason$/,
    ],
    [
      "a retention CloudWatch Logs refuses, with a reason",
      { network: { flowLogs: { retentionDays: { value: 10, reason: REASON } } } },
      /^Invalid configuration: network\.flowLogs\.retentionDays\.value \(10\): must be one of 1, 3, 5, .* \(the retentions CloudWatch Logs accepts\)$/,
    ],
    [
      "a string for the key",
      { encryption: { customerManagedKey: "no" } },
      /^Invalid configuration: encryption\.customerManagedKey \("no"\): must be true or false$/,
    ],
    [
      "a misspelled reason key",
      { web: { deletionProtection: { value: false, reaosn: REASON } } },
      /web\.deletionProtection\.reaosn .*: is not a setting; did you mean web\.deletionProtection\.reason\?/,
    ],
  ])("fails when %s", (_case, overrides, message) => {
    expect(() => resolveConfig(overrides)).toThrow(message);
  });

  test("the defaults and the strict values written alone, as before, are unchanged", () => {
    const defaults = resolveConfig({});
    const written = resolveConfig({
      network: { flowLogs: { enabled: true, retentionDays: 365 } },
      encryption: { customerManagedKey: true },
      web: { deletionProtection: true, waf: { enabled: true } },
    });
    for (const c of [defaults, written]) {
      expect([
        c.network.flowLogs.enabled,
        c.network.flowLogs.retentionDays,
        c.encryption.customerManagedKey,
        c.web.deletionProtection,
        c.web.waf.enabled,
      ]).toEqual([{ value: true }, { value: 365 }, { value: true }, { value: true }, { value: true }]);
    }
    // A longer retention relaxes nothing and needs no reason.
    expect(resolveConfig({ network: { flowLogs: { retentionDays: 731 } } }).network.flowLogs.retentionDays).toEqual({ value: 731 });
  });

  test("every relaxation is accepted with its reason, which the configuration keeps", () => {
    const c = resolveConfig({
      network: { flowLogs: { enabled: { value: false, reason: REASON }, retentionDays: { value: 90, reason: REASON } } },
      encryption: { customerManagedKey: { value: false, reason: REASON } },
      web: { deletionProtection: { value: false, reason: REASON }, waf: { enabled: { value: false, reason: REASON } } },
    });
    expect([
      c.network.flowLogs.enabled,
      c.network.flowLogs.retentionDays,
      c.encryption.customerManagedKey,
      c.web.deletionProtection,
      c.web.waf.enabled,
    ]).toEqual([
      { value: false, reason: REASON },
      { value: 90, reason: REASON },
      { value: false, reason: REASON },
      { value: false, reason: REASON },
      { value: false, reason: REASON },
    ]);
  });
});
