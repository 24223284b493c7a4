/**
 * `npm run plan` of the defaults, whose zone (ha.example.com) is reserved: every stack still
 * validates and plans, and none plans a zone of its own; each record goes into the stand-in
 * zone id, as a deploy's records go into the one zone dns.zoneId names.
 */
import { STACK_NAMES } from "../../config/schema";
import { OFFLINE_ZONE_ID } from "../../modules/provider-mode";
import { OfflinePlan, defaultOfflinePlans, expectOnlyCreations } from "../helpers";

describe("the offline plan of the default zone", () => {
  let plans: Record<string, OfflinePlan>;

  beforeAll(async () => {
    plans = await defaultOfflinePlans();
  }, 300_000);

  test.each([...STACK_NAMES])("%s plans no zone, and its records in the stand-in zone id", (name) => {
    const plan = plans[name];
    expectOnlyCreations(plan);
    const changes = plan.plan.resource_changes as { type: string; change: { after: Record<string, unknown> } }[];
    expect(changes.filter((c) => c.type === "aws_route53_zone")).toEqual([]);
    const records = changes.filter((c) => c.type === "aws_route53_record");
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.change.after.zone_id).toBe(OFFLINE_ZONE_ID);
  });
});
