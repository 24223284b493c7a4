/**
 * One zone serves every stack: built with one ZoneRecords set, as main.ts builds them, two
 * stacks naming the same record fail with both keys; the offline mode puts the records into a
 * stand-in zone id instead of creating a zone per stack.
 */
import { App, Testing } from "cdktf";
import { StackName } from "../../config/schema";
import { ZoneRecords } from "../../constructs/dns/zone-records";
import { buildStack } from "../../modules";
import { OFFLINE_ZONE_ID } from "../../modules/provider-mode";
import { Overrides, TerraformJson, config, withTempDir } from "../helpers";

function buildAll(overrides: Overrides, mode: "real" | "offline" = "real"): Record<StackName, TerraformJson> {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const cfg = config(overrides);
    const zoneRecords = new ZoneRecords();
    const stacks = cfg.stacks.map((name) => buildStack(app, name, cfg, { mode, zoneRecords }));
    return Object.fromEntries(stacks.map((s) => [s.stackName, JSON.parse(Testing.synth(s)) as TerraformJson])) as Record<StackName, TerraformJson>;
  });
}

describe("the zone the stacks share", () => {
  test.each([
    [
      "two record names",
      { recovery: { recordName: "www" } },
      /web\.recordName \("www\.ha\.example\.com"\): is also the record of recovery\.recordName: .*give web\.recordName or recovery\.recordName another name/,
    ],
    [
      "a label and a full name",
      { multiaz: { recordName: "recovery.ha.example.com" } },
      /multiaz\.recordName \("recovery\.ha\.example\.com"\): is also the record of recovery\.recordName/,
    ],
    [
      "the second app's host and a server's record",
      { web: { appBServerName: "multiaz.ha.example.com" } },
      /web\.appBServerName \("multiaz\.ha\.example\.com"\): is also the record of multiaz\.recordName/,
    ],
    [
      "a server's record and the second app's default host",
      { multiaz: { recordName: "app-b" } },
      /web\.appBServerName \("app-b\.ha\.example\.com"\): is also the record of multiaz\.recordName/,
    ],
  ])("%s that collide across stacks fail, naming both keys", (_what, overrides, message) => {
    expect(() => buildAll(overrides)).toThrow(message);
  });

  test("a collision with a stack that is not configured is none", () => {
    expect(() => buildAll({ stacks: ["recovery", "multiaz"], web: { recordName: "recovery" } })).not.toThrow();
  });

  test("the defaults name three records, one per stack, and a second host for web", () => {
    const records = Object.values(buildAll({})).flatMap((tf) => Object.values(tf.resource.aws_route53_record ?? {}).map((r: any) => r.name));
    expect(records.sort()).toEqual(["app-b.ha.example.com", "multiaz.ha.example.com", "recovery.ha.example.com", "www.ha.example.com"]);
  });

  test("offline, with dns.zoneId unset, no stack creates a zone: the records go into the stand-in zone id", () => {
    for (const tf of Object.values(buildAll({}, "offline"))) {
      expect(tf.resource.aws_route53_zone).toBeUndefined();
      for (const record of Object.values(tf.resource.aws_route53_record)) expect((record as any).zone_id).toBe(OFFLINE_ZONE_ID);
    }
  });

  test("dns.zoneId serves every stack, in every mode", () => {
    for (const mode of ["real", "offline"] as const) {
      for (const tf of Object.values(buildAll({ dns: { zoneName: "ha.mycompany.com", zoneId: "Z0123456789ABCDEFGHIJ" } }, mode))) {
        expect(tf.resource.aws_route53_zone).toBeUndefined();
        for (const record of Object.values(tf.resource.aws_route53_record)) expect((record as any).zone_id).toBe("Z0123456789ABCDEFGHIJ");
      }
    }
  });
});
