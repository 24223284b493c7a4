import { canonicalName, isDnsName, nameInZone, recordNameFix, reservedDomainOf } from "../../lib/dns-names";

describe("DNS names", () => {
  test.each(["www.ha.example.com", "a", "x".repeat(63) + ".com", "3com.example", `${"a.".repeat(126)}b`])("%s is a DNS name", (name) => {
    expect(isDnsName(name)).toBe(true);
  });

  test.each(["", "-bad.example.com", "bad-.example.com", "a..b", "x".repeat(64) + ".com", "w_w.example.com", "www.example.com.", `${"a.".repeat(126)}bc`])(
    "%j is not",
    (name) => {
      expect(isDnsName(name)).toBe(false);
    },
  );

  test("case and a trailing dot do not matter", () => {
    expect(canonicalName("WWW.Example.COM.")).toBe("www.example.com");
  });
});

describe("a record name inside a zone", () => {
  test.each([
    ["www", "www.ha.example.com"],
    ["WWW", "www.ha.example.com"],
    ["www.ha.example.com", "www.ha.example.com"],
    ["www.ha.example.com.", "www.ha.example.com"],
    ["ha.example.com", "ha.example.com"],
    ["a.b.ha.example.com", "a.b.ha.example.com"],
  ])("%s is %s", (recordName, full) => {
    expect(nameInZone(recordName, "HA.example.com")).toBe(full);
  });

  test.each([
    ["a name outside the zone", "www.other.com"],
    ["a name that only ends like the zone", "www.xha.example.com"],
    ["an empty name", ""],
    ["a label with an invalid character", "w_w"],
    ["a name with an empty label", "a..b"],
    ["a label too long", "x".repeat(64)],
  ])("%s is none", (_what, recordName) => {
    expect(nameInZone(recordName, "ha.example.com")).toBeUndefined();
  });

  test("the fix names the zone", () => {
    expect(recordNameFix("HA.example.com")).toBe('must be a DNS label (e.g. "www") or a name inside the zone ha.example.com (e.g. "www.ha.example.com")');
  });
});

describe("reserved domains", () => {
  test.each([
    ["ha.example.com", "example.com"],
    ["EXAMPLE.ORG.", "example.org"],
    ["a.b.example.net", "example.net"],
    ["site.example", "example"],
    ["ha.test", "test"],
    ["x.invalid", "invalid"],
    ["app.localhost", "localhost"],
    ["printer.local", "local"],
    ["svc.internal", "internal"],
    ["router.home.arpa", "home.arpa"],
    ["hidden.onion", "onion"],
    ["name.alt", "alt"],
  ])("%s lies in the reserved %s", (name, domain) => {
    expect(reservedDomainOf(name)?.domain).toBe(domain);
  });

  test.each(["ha.mycompany.com", "example.co.uk", "myexample.com", "testing.io", "local-shop.de", "internal.example-corp.com.au"])(
    "%s is not reserved",
    (name) => {
      expect(reservedDomainOf(name)).toBeUndefined();
    },
  );

  test("each reservation names its source", () => {
    expect(reservedDomainOf("ha.example.com")?.source).toMatch(/RFC 2606/);
    expect(reservedDomainOf("a.local")?.source).toMatch(/RFC 6762/);
  });
});
