/**
 * The stacks `main.ts` can synthesize, by name. Each builds one of the architectures the README
 * describes on the shared multi-AZ VPC, from its own section of the configuration and the
 * settings every stack shares.
 */
import { Construct } from "constructs";
import { StackConfig, StackName } from "../config/schema";
import { ReferenceStack, ReferenceStackOptions, sharedSettings } from "./reference-stack";
import { RecoveryStack } from "./recovery-stack";
import { MultiAzStack } from "./multiaz-stack";
import { WebStack } from "./web-stack";

/** Builds a stack of one class with the id `id` from the whole configuration. */
type StackFactory = (scope: Construct, id: string, config: StackConfig, options: ReferenceStackOptions) => ReferenceStack;

const STACK_CLASSES: Readonly<Record<StackName, StackFactory>> = {
  recovery: (scope, id, config, options) => new RecoveryStack(scope, id, { ...sharedSettings(config), recovery: config.recovery, ...options }),
  multiaz: (scope, id, config, options) => new MultiAzStack(scope, id, { ...sharedSettings(config), multiaz: config.multiaz, ...options }),
  web: (scope, id, config, options) => new WebStack(scope, id, { ...sharedSettings(config), web: config.web, ...options }),
};

/** Builds stack `name` of `config` in `scope`, with its name as its id. */
export function buildStack(scope: Construct, name: StackName, config: StackConfig, options: ReferenceStackOptions = {}): ReferenceStack {
  return STACK_CLASSES[name](scope, name, config, options);
}
