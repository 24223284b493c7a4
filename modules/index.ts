/**
 * The stacks `main.ts` can synthesize, by id: the three architectures the README describes, on
 * the shared multi-AZ VPC, each from its own section of the configuration and the settings every
 * stack shares, and their variants (modules/variants.ts), each a base stack with its switch on.
 */
import { Construct } from "constructs";
import { resolveConfig } from "../config/load";
import { StackConfig, StackId, StackName } from "../config/schema";
import { ReferenceStack, ReferenceStackOptions, sharedSettings } from "./reference-stack";
import { RecoveryStack } from "./recovery-stack";
import { MultiAzStack } from "./multiaz-stack";
import { WebStack } from "./web-stack";
import { StackVariant, findVariant } from "./variants";

/** Builds a stack of one class with the id `id` from the whole configuration. */
type StackFactory = (scope: Construct, id: string, config: StackConfig, options: ReferenceStackOptions) => ReferenceStack;

const STACK_CLASSES: Readonly<Record<StackName, StackFactory>> = {
  recovery: (scope, id, config, options) => new RecoveryStack(scope, id, { ...sharedSettings(config), recovery: config.recovery, ...options }),
  multiaz: (scope, id, config, options) => new MultiAzStack(scope, id, { ...sharedSettings(config), multiaz: config.multiaz, ...options }),
  web: (scope, id, config, options) => new WebStack(scope, id, { ...sharedSettings(config), web: config.web, ...options }),
};

/**
 * `config` with the variant's switch on: its overrides replace their keys of the base's section,
 * and each name it puts into the zone is the base's with the switch before it (`efs-multiaz`,
 * `https-app-b.<zone>`), so a variant and its base share one zone. Parsed again by the schema,
 * which fills the defaults and applies the rules across keys.
 */
export function variantConfig(variant: StackVariant, config: StackConfig): StackConfig {
  const section: Record<string, unknown> = config[variant.base];
  const suffix = variant.id.slice(variant.base.length + 1);
  const names = Object.fromEntries(ZONE_NAME_KEYS.filter((key) => typeof section[key] === "string").map((key) => [key, `${suffix}-${section[key]}`]));
  return resolveConfig({
    ...config,
    stacks: [variant.base],
    [variant.base]: { ...section, ...variant.overrides, ...names },
  });
}

/** The keys of a stack's section that name a record of the zone: every section's endpoint, and the web tier's second host. */
const ZONE_NAME_KEYS = ["recordName", "appBServerName"] as const;

/** Builds stack `id` of `config` in `scope`: a base stack from its section, a variant from its base's with its switch on. */
export function buildStack(scope: Construct, id: StackId, config: StackConfig, options: ReferenceStackOptions = {}): ReferenceStack {
  const variant = findVariant(id);
  return variant ? STACK_CLASSES[variant.base](scope, id, variantConfig(variant, config), options) : STACK_CLASSES[id as StackName](scope, id, config, options);
}
