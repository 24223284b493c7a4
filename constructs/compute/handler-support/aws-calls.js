"use strict";
/**
 * What the project's Lambda handlers share: calling AWS while IAM catches up.
 *
 * IAM is eventually consistent: a role policy that Terraform has just created can still be
 * denied for a few seconds, and Terraform invokes the AMI pipeline's seed, and Auto Scaling
 * launches the first server, within seconds of creating the functions' policies. So an
 * access-denied answer is retried, a bounded number of times with growing pauses and never
 * past the invocation's deadline; after that the call fails with a message that names the
 * denied action and what to check. Other errors are not retried here (the SDK retries
 * throttling and 5xx itself).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */

/** Error codes AWS services answer when the caller's policy does not allow the call. */
const ACCESS_DENIED_CODES = new Set([
  "AccessDenied", // Auto Scaling, CloudWatch, STS
  "AccessDeniedException", // SSM, Lambda
  "UnauthorizedOperation", // EC2
  "AuthorizationError", // SNS (query protocol)
  "AuthorizationErrorException", // SNS (SDK v3 error name)
]);

/**
 * Pauses between attempts: 2 minutes in all, the time Terraform's AWS provider itself allows
 * IAM changes to propagate (internal/service/iam/wait.go, propagationTimeout), within the
 * functions' timeout (NodeFunction, 150 s).
 */
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000, 15000, 15000, 15000];

/** Time kept free at the end of an invocation to report the failure instead of timing out. */
const DEADLINE_MARGIN_MS = 5000;

function isAccessDenied(error) {
  const code = error && (error.name || error.Code || error.code);
  return ACCESS_DENIED_CODES.has(code);
}

class AccessStillDenied extends Error {
  constructor(action, attempts, waitedMs, cause) {
    super(
      `${action} was denied ${attempts} time(s) over ${Math.round(waitedMs / 1000)} s ` +
        `(${cause.name || cause.Code}: ${cause.message}). If Terraform has just created this function's role policy, ` +
        "IAM had not caught up yet: run the apply (or the invocation) again. Otherwise the function's role lacks " +
        "this permission: compare its inline policies with the action above.",
    );
    this.name = "AccessStillDenied";
    this.action = action;
    this.attempts = attempts;
    this.cause = cause;
  }
}

/**
 * A function `call(action, send)` that runs `send()` and retries it while AWS denies access.
 * @param {object} [options]
 * @param {(ms: number) => Promise<void>} [options.sleep] how to wait (tests pass a recorder)
 * @param {number[]} [options.delaysMs] pauses between attempts; their count bounds the retries
 * @param {() => number} [options.remainingMs] time left in the invocation (Lambda's context)
 * @param {(fields: object) => void} [options.log]
 */
function awsCaller(options = {}) {
  const sleep = options.sleep || ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const delays = options.delaysMs || RETRY_DELAYS_MS;
  const remaining = options.remainingMs || (() => Infinity);
  const log = options.log || ((fields) => console.log(JSON.stringify(fields)));

  return async function call(action, send) {
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!isAccessDenied(error)) throw error;
        const delay = delays[attempt - 1];
        if (delay === undefined || delay + DEADLINE_MARGIN_MS > remaining()) throw new AccessStillDenied(action, attempt, waited, error);
        log({ accessDenied: action, attempt, retryInMs: delay });
        await sleep(delay);
        waited += delay;
      }
    }
  };
}

module.exports = { awsCaller, isAccessDenied, AccessStillDenied, RETRY_DELAYS_MS, ACCESS_DENIED_CODES };
