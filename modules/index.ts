/**
 * The stacks `main.ts` can synthesize, by name. Each builds one of the architectures the README
 * describes
 * on the shared multi-AZ VPC.
 */
import { Construct } from "constructs";
import { StackConfig, StackName } from "../config/schema";
import { ReferenceStack, ReferenceStackOptions } from "./reference-stack";
import { RecoveryStack } from "./recovery-stack";
import { MultiAzStack } from "./multiaz-stack";
import { WebStack } from "./web-stack";

export type StackFactory = (scope: Construct, config: StackConfig, options?: ReferenceStackOptions) => ReferenceStack;

export const STACKS: Readonly<Record<StackName, StackFactory>> = {
  recovery: (scope, config, options) => new RecoveryStack(scope, config, options),
  multiaz: (scope, config, options) => new MultiAzStack(scope, config, options),
  web: (scope, config, options) => new WebStack(scope, config, options),
};
