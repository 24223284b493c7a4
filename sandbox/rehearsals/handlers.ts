/**
 * Our real Lambda handlers, for the rehearsals to run in this process against the emulator (its
 * Lambda runs no code): plain JavaScript in the source tree, loaded by path as Lambda loads it.
 * Each exports `createHandler(deps)`, which takes the AWS clients and the environment.
 */
import * as path from "path";
import { HANDLER_DIRECTORY } from "../../constructs/ami-pipeline/ami-pipeline";
import { TAKEOVER_HANDLER_DIRECTORY } from "../../constructs/endpoint/endpoint-takeover";
import { PROJECT_ROOT } from "../../lib/python-tools";

export type Handle = (event: unknown, context: unknown) => Promise<Record<string, unknown>>;

interface HandlerModule {
  createHandler(deps: Record<string, unknown>): Handle;
}

function load<T extends HandlerModule>(directory: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JavaScript file loaded by path, as Lambda loads it
  return require(path.join(PROJECT_ROOT, directory, "index.js")) as T;
}

/** The endpoint takeover function's handler (constructs/endpoint/handler). */
export const takeoverHandler = (): HandlerModule => load(TAKEOVER_HANDLER_DIRECTORY);

/** The AMI publisher's handler (constructs/ami-pipeline/handler), with the tag DLM puts on its images. */
export const amiPublisherHandler = (): HandlerModule & { DLM_POLICY_TAG: string } => load(HANDLER_DIRECTORY);

/** The handlers' pauses (polls of a pending instance, retries while IAM denies) shortened: the emulator answers at once. */
export const quickly = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 100)));
