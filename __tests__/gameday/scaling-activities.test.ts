/**
 * Reading a group's Auto Scaling activities back to a time, against a fake DescribeScalingActivities
 * that answers as AWS documents it: at most 100 a page, those in progress first, then the others
 * newest first, a NextToken while more remain.
 */
import { ACTIVITY_PAGE_MAX, ActivityPage, activitiesSince } from "../../gameday/scaling-activities";
import { ScalingActivity } from "../../gameday/timeline";

const T = Date.UTC(2027, 0, 14, 9, 0, 0);

/** `count` finished activities, one every `everySeconds`, the newest at T + (count - 1) * every; and those in progress. */
function history(count: number, everySeconds: number, inProgress: readonly ScalingActivity[] = []): ScalingActivity[] {
  const finished = Array.from({ length: count }, (_, i) => ({
    id: `act-${i}`,
    description: `Launching a new EC2 instance: i-${i}`,
    status: i % 3 === 0 ? "Failed" : "Successful",
    startAt: T + i * everySeconds * 1000,
    endAt: T + i * everySeconds * 1000 + 5000,
  })).reverse();
  return [...inProgress, ...finished];
}

/** A fake API over `all` (already in AWS's order), recording the tokens it was given. */
function fakeApi(all: readonly ScalingActivity[], pageSize = ACTIVITY_PAGE_MAX) {
  const tokens: (string | undefined)[] = [];
  const page = async (token: string | undefined): Promise<ActivityPage> => {
    tokens.push(token);
    const from = token === undefined ? 0 : Number(token.replace("page-", ""));
    const to = from + pageSize;
    return { activities: all.slice(from, to), nextToken: to < all.length ? `page-${to}` : undefined };
  };
  return { page, tokens };
}

describe("activitiesSince", () => {
  test("reads past the first 100: a busy group's 250 activities since the start all come back, newest first", async () => {
    const all = history(250, 4);
    const api = fakeApi(all);
    const got = await activitiesSince(api.page, T);
    expect(got).toHaveLength(250);
    expect(got.map((a) => a.id)).toEqual(all.map((a) => a.id));
    expect(api.tokens).toEqual([undefined, "page-100", "page-200"]);
  });

  test("stops at the page that reaches activities older than `since`, and leaves those out", async () => {
    // 400 activities a minute apart; since is activity 150's start: it and the 249 newer ones.
    const all = history(400, 60);
    const since = T + 150 * 60_000;
    const api = fakeApi(all);
    const got = await activitiesSince(api.page, since);
    expect(got.map((a) => a.id)).toEqual(all.filter((a) => a.startAt >= since).map((a) => a.id));
    expect(got).toHaveLength(250);
    // Page 3 (activities 199 to 100) ends with an older one: page 4 is never asked for.
    expect(api.tokens).toEqual([undefined, "page-100", "page-200"]);
  });

  test("old activities still in progress, listed first, do not end the reading before the finished new ones", async () => {
    const stuck = (i: number): ScalingActivity => ({ id: `stuck-${i}`, description: "Launching", status: "WaitingForInstanceWarmup", startAt: T - 3_600_000 });
    const all = history(5, 10, [stuck(1), stuck(2)]);
    const api = fakeApi(all, 2);
    const got = await activitiesSince(api.page, T);
    expect(got.map((a) => a.id)).toEqual(["act-4", "act-3", "act-2", "act-1", "act-0"]);
    expect(api.tokens).toEqual([undefined, "page-2", "page-4", "page-6"]);
  });

  test("one page without a token, and an empty answer, end the reading", async () => {
    expect(await activitiesSince(fakeApi(history(3, 1)).page, T)).toHaveLength(3);
    expect(await activitiesSince(async () => ({ activities: [], nextToken: "" }), T)).toEqual([]);
  });
});
