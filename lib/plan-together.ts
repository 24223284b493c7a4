/**
 * Several synthesized stacks planned by one Terraform run: each stack's configuration becomes a
 * module of one scratch root, the root is planned and shown once, and the plan is split back
 * into one plan per stack, as `terraform show -json` prints it for the stack planned alone.
 *
 * Why: most of a plan's CPU is fixed, not per resource. Terraform and the AWS provider load the
 * provider's schema in every `plan` and every `show -json` (the provider is started three times a
 * plan), about 3.5 to 4.5 CPU s a stack before any resource. Three default stacks planned
 * together: 10.3 CPU s for the plan and the show against 20.8 CPU s planned one by one (2 cores,
 * 2026-12-07), and 1.7 GB peak memory against 3.2 GB for the three planned at once; every
 * module has a provider process of its own during the plan, so the groups stay bounded
 * ({@link STACKS_PER_GROUP}).
 *
 * What is split, and how (plan format 1.2): a module's resources, resource changes, provider
 * configurations and configuration lose their `module.<name>` prefix; its outputs are
 * re-exported by the root under a name of their own and renamed back; `relevant_attributes`
 * (in no defined order in either form) are sorted. The split of the default stacks equals
 * their plans made alone, but for the timestamp and that order (`__tests__/lib/plan-together.test.ts`).
 *
 * For scratch plans only (the tests', the scan's): the root has no backend, so a stack's state
 * is always empty; a stack with variables, modules of its own or checks is refused.
 * @see https://developer.hashicorp.com/terraform/internals/json-format (the plan representation)
 */
import * as fs from "fs";
import * as path from "path";
import { PLAN_ARGS, PlanSummary, SHOW_ARGS, countActions, initScratch, terraform, terraformEnv } from "./terraform";

/** One stack to plan: its synthesized directory (cdktf's `cdk.tf.json`, its assets, the mirror link). */
export interface StackToPlan {
  /** Names the stack in the results and in errors; unique among the stacks planned together. */
  readonly key: string;
  /** The stack's name, as the summary reports it. */
  readonly stack: string;
  readonly stackDir: string;
  /** Where its plan is written as JSON. */
  readonly planJson: string;
}

export interface PlannedStack {
  readonly summary: PlanSummary;
  /** The stack's plan, as `terraform show -json` of the stack alone prints it. */
  readonly plan: PlanJson;
}

/**
 * A `terraform show -json` plan or a part of one: Terraform's JSON, which the split moves from
 * one place to another without reading most of it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Terraform's document, passed through
export type PlanJson = Record<string, any>;

/** The root module's files: the modules' directories are `m<i>`, the re-exported outputs `o<i>`. */
const ROOT_CONFIG = "main.tf.json";

interface Layout {
  readonly module: string;
  /** Root output name -> the stack's output name. */
  readonly outputs: ReadonlyMap<string, string>;
}

/** What a stack's configuration holds that a module of a backend-less root cannot plan as the stack alone would. */
function refusal(tf: Record<string, unknown>): string | undefined {
  for (const block of ["variable", "module", "check"] as const) if (tf[block] && Object.keys(tf[block] as object).length) return `it declares ${block} blocks`;
  return undefined;
}

/**
 * Links the files of `from/assets` into `rootDir/assets`, the directories merged: cdktf's asset
 * paths (a Lambda's zip) are relative to the working directory, which is the root's. A file two
 * stacks hold must be the same (cdktf names an asset's directory by its content's hash, so two
 * stacks' versions of one asset lie side by side).
 */
function linkAssets(from: string, rootDir: string, key: string): void {
  const merge = (source: string, target: string, relative: string) => {
    if (fs.statSync(source).isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      for (const entry of fs.readdirSync(source)) merge(path.join(source, entry), path.join(target, entry), path.join(relative, entry));
    } else if (!fs.existsSync(target)) {
      fs.symlinkSync(fs.realpathSync(source), target);
    } else if (!fs.readFileSync(target).equals(fs.readFileSync(source))) {
      throw new Error(`plan together: ${key}'s asset ${relative} differs from another stack's of the same path; plan the stacks apart`);
    }
  };
  const assets = path.join(from, "assets");
  if (fs.existsSync(assets)) merge(assets, path.join(rootDir, "assets"), "assets");
}

/**
 * Writes the root into `rootDir` (new or empty): one module per stack (its configuration without
 * its backend), its outputs re-exported, the mirror link of the first stack that has one. What
 * cannot be planned together is refused first; a root that fails while written is removed.
 */
function writeRoot(stacks: readonly StackToPlan[], rootDir: string): Map<string, Layout> {
  const keys = new Set<string>();
  const configs = stacks.map((s) => {
    if (keys.has(s.key)) throw new Error(`plan together: two stacks have the key ${s.key}; give each its own`);
    keys.add(s.key);
    const tf = JSON.parse(fs.readFileSync(path.join(s.stackDir, "cdk.tf.json"), "utf8")) as PlanJson;
    const refused = refusal(tf);
    if (refused) throw new Error(`plan together: ${s.key} (${s.stackDir}) cannot be a module of the combined root: ${refused}; plan it alone (planStack)`);
    return tf;
  });
  if (fs.existsSync(rootDir) && fs.readdirSync(rootDir).length > 0)
    throw new Error(`plan together: ${rootDir} is not empty; give each combined root a new folder`);
  try {
    return writeModules(stacks, configs, rootDir);
  } catch (e) {
    // Nothing half-written: an asset conflict is found while the modules are written.
    fs.rmSync(rootDir, { recursive: true, force: true });
    throw e;
  }
}

function writeModules(stacks: readonly StackToPlan[], configs: readonly PlanJson[], rootDir: string): Map<string, Layout> {
  fs.mkdirSync(rootDir, { recursive: true });
  const modules: Record<string, { source: string }> = {};
  const outputs: Record<string, { value: string; sensitive?: true }> = {};
  const layouts = new Map<string, Layout>();
  stacks.forEach((s, i) => {
    const tf = configs[i];
    const module = `m${i}`;
    const { backend: _backend, ...terraformBlock } = (tf.terraform ?? {}) as Record<string, unknown>;
    fs.mkdirSync(path.join(rootDir, module));
    fs.writeFileSync(path.join(rootDir, module, "cdk.tf.json"), JSON.stringify({ ...tf, terraform: terraformBlock }));
    modules[module] = { source: `./${module}` };
    const renamed = new Map<string, string>();
    for (const [name, output] of Object.entries((tf.output ?? {}) as Record<string, { sensitive?: boolean }>)) {
      const rootName = `o${Object.keys(outputs).length}`;
      outputs[rootName] = { value: `\${module.${module}.${name}}`, ...(output.sensitive ? { sensitive: true as const } : {}) };
      renamed.set(rootName, name);
    }
    layouts.set(s.key, { module, outputs: renamed });
    linkAssets(s.stackDir, rootDir, s.key);
    const link = path.join(s.stackDir, "terraform.d", "plugins");
    const rootLink = path.join(rootDir, "terraform.d", "plugins");
    if (fs.existsSync(link) && !fs.existsSync(rootLink)) {
      fs.mkdirSync(path.dirname(rootLink), { recursive: true });
      fs.symlinkSync(fs.readlinkSync(link), rootLink, "dir");
    }
  });
  fs.writeFileSync(path.join(rootDir, ROOT_CONFIG), JSON.stringify({ module: modules, ...(Object.keys(outputs).length ? { output: outputs } : {}) }, null, 1));
  return layouts;
}

const withoutPrefix = (prefix: string, address: string) => address.slice(prefix.length + 1);

/** The stack's share of a module tree of values (planned values, prior state): its resources at the top, its outputs renamed back. */
function moduleValues(root: PlanJson | undefined, outputs: PlanJson | undefined, layout: Layout): PlanJson {
  const prefix = `module.${layout.module}`;
  const child = ((root?.child_modules ?? []) as PlanJson[]).find((c) => c.address === prefix);
  if (child?.child_modules) throw new Error(`plan together: module ${prefix} has modules of its own`);
  const own = ownOutputs(outputs, layout);
  return {
    ...(own ? { outputs: own } : {}),
    root_module: child?.resources ? { resources: (child.resources as PlanJson[]).map((r) => ({ ...r, address: withoutPrefix(prefix, r.address) })) } : {},
  };
}

function ownOutputs(outputs: PlanJson | undefined, layout: Layout): PlanJson | undefined {
  const own = Object.entries(outputs ?? {}).filter(([name]) => layout.outputs.has(name));
  return own.length ? Object.fromEntries(own.map(([name, value]) => [layout.outputs.get(name)!, value])) : undefined;
}

/** The provider configuration keys of the module's configuration (`module.m0:aws` -> `aws`), in every nested object. */
function localKeys(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => localKeys(v, prefix));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === "provider_config_key" && typeof v === "string" && v.startsWith(`${prefix}:`) ? v.slice(prefix.length + 1) : localKeys(v, prefix),
    ]),
  );
}

/** One stack's plan out of the combined plan (see the file's comment). */
function splitPlan(combined: PlanJson, layout: Layout): PlanJson {
  const prefix = `module.${layout.module}`;
  if ((combined.checks ?? []).length) throw new Error("plan together: the combined plan has checks, which the split does not carry");
  const plan: PlanJson = { format_version: combined.format_version, terraform_version: combined.terraform_version };
  if (combined.variables) plan.variables = combined.variables;
  plan.planned_values = moduleValues(combined.planned_values?.root_module, combined.planned_values?.outputs, layout);
  if (combined.resource_changes)
    plan.resource_changes = (combined.resource_changes as PlanJson[])
      .filter((c) => c.module_address === prefix)
      .map(({ module_address: _m, ...c }) => ({ ...c, address: withoutPrefix(prefix, c.address) }));
  const outputChanges = ownOutputs(combined.output_changes, layout);
  if (outputChanges) plan.output_changes = outputChanges;
  if (combined.prior_state) {
    const { values, ...meta } = combined.prior_state as PlanJson;
    plan.prior_state = { ...meta, values: moduleValues(values?.root_module, values?.outputs, layout) };
  }
  const providers = Object.entries((combined.configuration?.provider_config ?? {}) as Record<string, PlanJson>)
    .filter(([, p]) => p.module_address === prefix)
    .map(([key, { module_address: _m, ...p }]) => [key.slice(`${prefix}:`.length), p]);
  plan.configuration = {
    provider_config: Object.fromEntries(providers),
    root_module: localKeys(combined.configuration?.root_module?.module_calls?.[layout.module]?.module ?? {}, prefix),
  };
  if (combined.relevant_attributes)
    plan.relevant_attributes = (combined.relevant_attributes as PlanJson[])
      .filter((a) => a.resource.startsWith(`${prefix}.`))
      .map((a) => ({ ...a, resource: withoutPrefix(prefix, a.resource) }))
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  for (const key of ["timestamp", "applyable", "complete", "errored"]) if (key in combined) plan[key] = combined[key];
  return plan;
}

/**
 * Plans `stacks` together in `rootDir` (made here; scratch: the init's lock loses its checksums),
 * writes each stack's plan to its `planJson` and returns them with their summaries, by key. A
 * failed plan's error names each module's stack.
 */
export async function planTogether(
  stacks: readonly StackToPlan[],
  rootDir: string,
  env: NodeJS.ProcessEnv = terraformEnv(),
): Promise<Record<string, PlannedStack>> {
  const started = Date.now();
  const layouts = writeRoot(stacks, rootDir);
  const legend = () => stacks.map((s) => `module.${layouts.get(s.key)!.module} is ${s.key} (${s.stackDir})`).join("; ");
  let shown;
  try {
    await initScratch(rootDir, env);
    await terraform(PLAN_ARGS, rootDir, env);
    shown = await terraform(SHOW_ARGS, rootDir, env);
  } catch (e) {
    (e as Error).message += `\n(planned together: ${legend()})`;
    throw e;
  }
  const combined = JSON.parse(shown.stdout) as PlanJson;
  const seconds = (Date.now() - started) / 1000;
  return Object.fromEntries(
    stacks.map((s) => {
      const plan = splitPlan(combined, layouts.get(s.key)!);
      fs.mkdirSync(path.dirname(s.planJson), { recursive: true });
      fs.writeFileSync(s.planJson, JSON.stringify(plan));
      return [s.key, { plan, summary: { stack: s.stack, ...countActions(plan), seconds, planJson: s.planJson } }];
    }),
  );
}

/**
 * At most this many stacks in one combined root: each adds a provider process to the plan's
 * peak memory, and the fixed cost (the schema loaded by the plan and by the show, an init) is
 * paid once a group. `npm run scan`'s 14 stacks, two groups at once, 2 cores, 2026-12-08: in
 * four groups of 3 or 4, 31.6 CPU s of Terraform and 2.6 GB peak (the proportional set size of
 * every Terraform and provider process, sampled); in two groups of 7, 25.8 CPU s and 3.4 GB.
 */
export const STACKS_PER_GROUP = 8;

/** Groups planned at once: one per core, as each plan keeps about one core busy. */
const GROUPS_AT_ONCE = 2;

/**
 * {@link planTogether} of `stacks` in groups of at most {@link STACKS_PER_GROUP},
 * {@link GROUPS_AT_ONCE} groups at a time, each in its own root under `workDir`
 * (`together-<n>`); `onPlanned` is told each stack's plan as its group ends.
 */
export async function planInGroups(
  stacks: readonly StackToPlan[],
  workDir: string,
  env: NodeJS.ProcessEnv = terraformEnv(),
  onPlanned: (stack: StackToPlan, planned: PlannedStack) => void = () => undefined,
): Promise<Record<string, PlannedStack>> {
  const groups: StackToPlan[][] = [];
  // As even as the limit allows: 5 stacks are planned as 3 and 2, not 4 and 1.
  const count = Math.ceil(stacks.length / STACKS_PER_GROUP);
  for (let g = 0; g < count; g++) groups.push(stacks.filter((_, i) => i % count === g));
  const results: Record<string, PlannedStack> = {};
  let next = 0;
  const worker = async () => {
    for (let g = next++; g < groups.length; g = next++) {
      const planned = await planTogether(groups[g], path.join(workDir, `together-${g}`), env);
      for (const s of groups[g]) {
        results[s.key] = planned[s.key];
        onPlanned(s, planned[s.key]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(GROUPS_AT_ONCE, groups.length) }, worker));
  return results;
}
