/**
 * Every configuration more than one test file plans offline, or that one file plans beside the
 * others' and is cheaper planned with them: the test run plans them all at once, in groups
 * (lib/plan-together.ts), the first time a test file asks for any of them
 * (`sharedOfflinePlan` and `sharedConfigurationPlan` in __tests__/helpers.ts). Each Terraform
 * `plan` and `show` loads the provider's schema before its first resource, so the fewer runs the
 * better: planned whole, the set takes one plan and one show per group of stacks
 * (lib/plan-together.ts STACKS_PER_GROUP), where planned configuration by configuration it
 * took one of each per configuration at least.
 *
 * A configuration asked for that is not listed here is planned on its own (and shared by the
 * files that ask for the same): correct, only slower. The scan's own variants are not listed:
 * `npm run scan`'s planning (scan/index.ts planVariants) is what __tests__/scan/scan.test.ts tests.
 */
import * as path from "path";
import { loadConfig, resolveConfig } from "../config/load";
import { STACK_NAMES, StackConfig, StackId } from "../config/schema";
import { SCAN_VARIANTS } from "../scan/variants";
import type { Overrides } from "./helpers";
import { CASES } from "./review/relaxation-cases";

export const EXAMPLES_DIR = path.join(__dirname, "..", "examples");

/** An example configuration of examples/, read as `STACK_CONFIG` reads it (comments and all). */
export const exampleConfig = (name: string): StackConfig => loadConfig({ STACK_CONFIG: path.join(EXAMPLES_DIR, name) });

/** NAT gateway addresses allocated beforehand, one per AZ (modules/web.terraform.test.ts). */
export const NAT_ALLOCATIONS = {
  "ap-northeast-2a": "eipalloc-0a0a0a0a0a0a0a0a0",
  "ap-northeast-2b": "eipalloc-0b0b0b0b0b0b0b0b0",
  "ap-northeast-2c": "eipalloc-0c0c0c0c0c0c0c0c0",
};
/** A syntactically valid ACM certificate ARN; the offline plan never looks it up. */
export const CERTIFICATE = "arn:aws:acm:ap-northeast-2:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

/** web with HTTPS, the step policies, NAT gateways on given addresses and a created access-log bucket (modules/web.terraform.test.ts). */
export const WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET: Overrides = {
  web: { certificateArn: CERTIFICATE, scaling: { mode: "step" }, accessLogs: { createBucket: true } },
  network: { natElasticIpAllocationIds: NAT_ALLOCATIONS },
};

/** recovery with its records in an existing zone, an e-mail subscription, a narrow SSH range and other alarm periods (modules/recovery.terraform.test.ts). */
export const RECOVERY_EXISTING_ZONE: Overrides = {
  dns: { zoneName: "example.org", zoneId: "Z0123456789ABCDEFGHIJ", ttlSeconds: 300 },
  notifications: { emails: ["ops@example.com"] },
  recovery: { sshCidr: "198.51.100.0/24", recoverEvaluationPeriods: 5, rebootEvaluationPeriods: 6 },
};

export interface PlanSetEntry {
  /** Names the configuration in the set (and its plans' keys). */
  readonly name: string;
  readonly stacks: readonly StackId[];
  /** The configuration, resolved: an asked-for configuration is matched against it by value. */
  readonly config: () => StackConfig;
}

const EXPERIMENTS = SCAN_VARIANTS.find((v) => v.name === "experiments")!;

export const PLAN_SET: readonly PlanSetEntry[] = [
  // The defaults, and the variant stack the scan and modules/multiaz.terraform.test.ts read.
  { name: "defaults", stacks: [...STACK_NAMES, "multiaz-efs-warm-pool"], config: () => resolveConfig({}) },
  // The scan's experiments variant; modules/experiments.test.ts plans the same.
  { name: "experiments", stacks: EXPERIMENTS.stacks, config: () => resolveConfig(EXPERIMENTS.overrides) },
  ...CASES.map((c) => ({ name: `relaxations/${c.name}`, stacks: c.stacks, config: () => resolveConfig(c.overrides) })),
  ...["production.jsonc", "cost-saving.jsonc"].map((file) => {
    const config = () => exampleConfig(file);
    return { name: `examples/${file}`, stacks: config().stacks, config };
  }),
  { name: "web/https-step-given-nat-log-bucket", stacks: ["web"], config: () => resolveConfig(WEB_HTTPS_STEP_GIVEN_NAT_LOG_BUCKET) },
  { name: "recovery/existing-zone", stacks: ["recovery"], config: () => resolveConfig(RECOVERY_EXISTING_ZONE) },
];
