import { isParameterPath } from "../../lib/ssm-parameters";

describe("isParameterPath", () => {
  test.each(["/multiaz-ref/multiaz/image-id", "/p/takeover-failures", "/a_b.c-d/e"])("accepts %s", (name) => {
    expect(isParameterPath(name)).toBe(true);
  });

  test.each([
    ["no leading slash", "multiaz/image-id"],
    ["a space", "/multiaz ref/image-id"],
    ["AWS's reserved prefix", "/aws/service/mine"],
    ["SSM's reserved prefix", "/ssm/mine"],
    ["too long", `/${"a".repeat(1011)}`],
  ])("refuses a name with %s", (_why, name) => {
    expect(isParameterPath(name)).toBe(false);
  });
});
