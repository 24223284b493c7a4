import { resolveConfig } from "../../config/load";
import { ValidationError, formatProblem } from "../../lib/validation";

/** Every problem line the configuration gives, or none. */
function problems(overrides: Record<string, unknown>): string[] {
  try {
    resolveConfig(overrides);
    return [];
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    return e.problems.map(formatProblem);
  }
}

/** The names the stacks put into the zone, checked once by the schema (lib/dns-names.ts), each problem naming the key, the value and the fix. */
describe("DNS names in the configuration", () => {
  test.each([
    [
      "recovery",
      { recovery: { recordName: "www.other.com" } },
      'recovery.recordName ("www.other.com"): must be a DNS label (e.g. "www") or a name inside the zone ha.example.com',
    ],
    ["multiaz", { multiaz: { recordName: "bad_name!" } }, 'multiaz.recordName ("bad_name!"): must be a DNS label'],
    ["web", { web: { recordName: "a..b" } }, 'web.recordName ("a..b"): must be a DNS label'],
    ["web, in another zone", { web: { recordName: "www" }, dns: { zoneName: "Shop.Example.org" } }, undefined],
    ["recovery, a full name in the zone", { recovery: { recordName: "db.ha.example.com." } }, undefined],
    ["recovery, a label longer than 63", { recovery: { recordName: "x".repeat(64) } }, "recovery.recordName"],
  ])("a record name of %s", (_what, overrides, expected) => {
    const found = problems(overrides);
    if (expected === undefined) expect(found).toEqual([]);
    else expect(found).toEqual([expect.stringContaining(expected)]);
  });

  test.each([
    [
      "not a DNS name",
      "app_b.ha.example.com",
      'web.appBServerName ("app_b.ha.example.com"): must be a DNS name such as app-b.ha.example.com (no trailing dot)',
    ],
    ["with a trailing dot", "app-b.ha.example.com.", "must be a DNS name such as app-b.ha.example.com (no trailing dot)"],
    [
      "the endpoint's name",
      "www.ha.example.com",
      "must differ from the endpoint's name www.ha.example.com (web.recordName), or every request would reach the second app",
    ],
    ["the endpoint's name in capitals", "WWW.HA.example.com", "must differ from the endpoint's name www.ha.example.com"],
  ])("the second app's host %s", (_what, appBServerName, expected) => {
    expect(problems({ web: { appBServerName } })).toEqual([expect.stringContaining(expected)]);
  });

  test("a zone name that is none is one problem, not one more per record name", () => {
    expect(problems({ dns: { zoneName: "bad zone" }, web: { recordName: "www.other.com" } })).toEqual([expect.stringMatching(/^dns\.zoneName \("bad zone"\)/)]);
  });

  test("the second app's host defaults to app-b in the zone, and is compared ignoring case", () => {
    expect(resolveConfig({}).web.appBServerName).toBe("app-b.ha.example.com");
    expect(resolveConfig({ dns: { zoneName: "Shop.Example.org" } }).web.appBServerName).toBe("app-b.shop.example.org");
    expect(resolveConfig({ web: { appBServerName: "Admin.Example.org" } }).web.appBServerName).toBe("admin.example.org");
  });
});
