import { reservedDomainOf } from "../../lib/reserved-domains";

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
