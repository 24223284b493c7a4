/**
 * The Lambda runtime the project's functions run on, in this one place with the dates AWS
 * gives for it, and the synth warning that comes well before AWS blocks it.
 *
 * Why not nodejs24.x, the newest Node.js runtime: the pinned provider (hashicorp/aws 5.100.0)
 * rejects it at validate ("expected runtime to be one of [... nodejs22.x]"); it is accepted
 * from hashicorp/aws 6.19.0 on (hashicorp/terraform-provider-aws#44986). Moving to it means
 * that provider upgrade; the handler is already async, which Node.js 24 requires.
 */

export interface LambdaRuntime {
  /** The runtime identifier Lambda and the provider take. */
  readonly id: string;
  /** Name of the language release. */
  readonly name: string;
  /** Lambda stops patching the runtime (ISO date, UTC). */
  readonly deprecation: string;
  /** Lambda refuses to create functions on it. */
  readonly blockCreate: string;
  /** Lambda refuses to update functions on it. */
  readonly blockUpdate: string;
  /** What to move to, and what that takes. */
  readonly successor: string;
}

/**
 * The runtime of every Lambda function in the stacks.
 * Dates: AWS Lambda Developer Guide, "Building Lambda functions with Node.js" (supported
 * runtimes table): Node.js 22 deprecated 2027-04-30, create blocked 2027-06-01, update
 * blocked 2027-07-01. (Node.js 20: create blocked 2026-08-31, update 2026-09-30.)
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
 */
export const LAMBDA_RUNTIME: LambdaRuntime = {
  id: "nodejs22.x",
  name: "Node.js 22",
  deprecation: "2027-04-30",
  blockCreate: "2027-06-01",
  blockUpdate: "2027-07-01",
  successor: "nodejs24.x (deprecated 2028-04-30), which needs hashicorp/aws >= 6.19.0 instead of the pinned 5.100.0",
};

/** Days before the create block from which synth warns: time for a provider upgrade and a release. */
export const RUNTIME_WARNING_DAYS = 180;

const DAY_MS = 24 * 60 * 60 * 1000;

function daysUntil(isoDate: string, today: Date): number {
  const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${isoDate}T00:00:00Z`) - start) / DAY_MS);
}

/**
 * The warning synth prints for `runtime` on `today`, or undefined while its create block is
 * more than `warningDays` away and it is not deprecated. It never becomes an error: a build
 * must not start failing because of the calendar alone; Lambda's own refusal is the error.
 */
export function runtimeWarning(runtime: LambdaRuntime, today: Date, warningDays: number = RUNTIME_WARNING_DAYS): string | undefined {
  const toDeprecation = daysUntil(runtime.deprecation, today);
  const toCreate = daysUntil(runtime.blockCreate, today);
  const toUpdate = daysUntil(runtime.blockUpdate, today);
  if (toCreate > warningDays && toDeprecation > 0) return undefined;

  const when = (days: number, date: string, what: string) => (days > 0 ? `${what} from ${date} (in ${days} days)` : `${what} since ${date}`);
  const state =
    toUpdate <= 0
      ? `${when(toUpdate, runtime.blockUpdate, "Lambda refuses to create or update functions on it")}: the next apply that touches the function fails`
      : toCreate <= 0
        ? `${when(toCreate, runtime.blockCreate, "Lambda refuses to create functions on it")} and ${when(toUpdate, runtime.blockUpdate, "to update them")}: a new deployment fails now`
        : `${when(toDeprecation, runtime.deprecation, "it is deprecated (no more patches)")}, ${when(toCreate, runtime.blockCreate, "Lambda refuses to create functions on it")}, ${when(toUpdate, runtime.blockUpdate, "to update them")}`;
  return `Lambda runtime ${runtime.id} (${runtime.name}): ${state}. Move to ${runtime.successor} (lib/lambda-runtime.ts).`;
}
