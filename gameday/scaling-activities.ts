/**
 * A group's Auto Scaling activities back to a time. DescribeScalingActivities returns at most
 * 100 activities a call, those in progress first and then the others by start time, newest first,
 * with a NextToken while more remain: a busy group (an AZ outage's launches failing every few
 * seconds, a warm pool, a refresh) passes 100 within one game day, so the newest page alone
 * would cut the timeline short. The pages are read until one ends with a finished activity that
 * started before `since`: every later page holds only older ones.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScalingActivities.html
 */
import { ScalingActivity } from "./timeline";

/** DescribeScalingActivities' largest page (MaxRecords). */
export const ACTIVITY_PAGE_MAX = 100;

/** The status codes of an activity that has finished; every other code means it is in progress. */
const FINISHED = new Set(["Successful", "Failed", "Cancelled"]);

/** One DescribeScalingActivities answer. */
export interface ActivityPage {
  readonly activities: readonly ScalingActivity[];
  /** Absent or empty on the last page. */
  readonly nextToken?: string;
}

/** The activities that started at or after `since`, reading the pages `page` returns for a NextToken (undefined: the first). */
export async function activitiesSince(page: (nextToken: string | undefined) => Promise<ActivityPage>, since: number): Promise<ScalingActivity[]> {
  const out: ScalingActivity[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    out.push(...p.activities.filter((a) => a.startAt >= since));
    const last = p.activities[p.activities.length - 1];
    if (last !== undefined && last.startAt < since && FINISHED.has(last.status)) break;
    token = p.nextToken;
  } while (token);
  return out;
}
