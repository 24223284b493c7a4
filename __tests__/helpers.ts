/**
 * Test helpers: build a stack from configuration overrides exactly as `main.ts` does, and run
 * the offline Terraform workflow on it in a temporary directory that is always removed.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MultiAzVpc, MultiAzVpcProps } from "../constructs/network/multi-az-vpc";
import { NotificationTopic } from "../constructs/notifications/notification-topic";
import { resolveConfig } from "../config/load";
import { STACK_NAMES, StackConfig, StackId, StackName } from "../config/schema";
import { synthesizeAtomically } from "../lib/atomic-synth";
import { analyzeStack } from "../lib/synth-analysis";
import { findProviderMirror, linkMirror } from "../lib/provider-mirror";
import { PlanSummary } from "../lib/terraform";
import { planInGroups } from "../lib/plan-together";
import { buildStack } from "../modules";
import { ReferenceStack } from "../modules/reference-stack";
import { PLAN_SET, PlanSetEntry } from "./plan-set";

/** A JSON object shaped like a `STACK_CONFIG` file. */
export type Overrides = Record<string, unknown>;

export interface Synthesized {
  readonly stack: ReferenceStack;
  /** `Testing.synth` output, for the CDKTF matchers and snapshots. */
  readonly json: string;
  /** The same, parsed. */
  readonly tf: TerraformJson;
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  data?: Record<string, Record<string, Record<string, any>>>;
  provider?: Record<string, any[]>;
  terraform?: Record<string, any>;
}

/** Runs `fn` with a temporary directory that is removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-test-"));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function withTempDirAsync<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-test-"));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether a process with this pid runs: it exists (signal 0 checks without sending anything) and
 * is no zombie, a process that has ended and waits for its parent, or for init once orphaned,
 * to collect it (this machine's init collects them a second or more later under load).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ...", comm may hold spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return !fs.existsSync("/proc/self/stat"); // gone meanwhile, or no /proc here
  }
}

/** Every file under `dir` with its content, to compare before and after. */
export function tree(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = entry.isFile() ? fs.readFileSync(file, "utf8") : "(directory)";
  }
  return out;
}

/** A previous synth's output, which a failed synth must leave alone. */
export function writePreviousOutput(outdir: string): void {
  fs.mkdirSync(path.join(outdir, "stacks", "web"), { recursive: true });
  fs.writeFileSync(path.join(outdir, "stacks", "web", "cdk.tf.json"), '{"previous": "synth"}\n');
  fs.writeFileSync(path.join(outdir, "manifest.json"), '{"version": "previous"}\n');
}

export function config(overrides: Overrides = {}): StackConfig {
  return resolveConfig(overrides);
}

/** This test file's synths, by stack and overrides (jest gives each test file its own module registry). */
const synthesized = new Map<string, Synthesized>();

/**
 * Builds one stack (never offline) and synthesizes it in memory, through the analysis at synth as
 * main.ts does; a test file asking again for
 * the same stack and overrides gets the same result (a synth is deterministic; callers only read it).
 * In a jest run the JSON is also shared by the test files (see {@link sharedSynthFile}): a file
 * that finds it synthesized by another reads it, and builds `stack` only when it reads that.
 */
export function synthStack(name: StackId, overrides: Overrides = {}): Synthesized {
  const key = JSON.stringify([name, overrides]);
  const known = synthesized.get(key);
  if (known) return known;
  const made = synthStackShared(name, config(overrides));
  synthesized.set(key, made);
  return made;
}

function synthStackShared(name: StackId, cfg: StackConfig): Synthesized {
  const file = sharedSynthFile(name, cfg);
  if (file === undefined) return synthStackAnew(name, cfg);
  if (!fs.existsSync(file)) {
    const made = synthStackAnew(name, cfg);
    // Written whole under a name of this process's, then renamed: a reader sees all of it or nothing.
    fs.writeFileSync(`${file}.${process.pid}.tmp`, made.json);
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
    return made;
  }
  const json = fs.readFileSync(file, "utf8");
  let stack: ReferenceStack | undefined;
  return {
    json,
    tf: JSON.parse(json) as TerraformJson,
    get stack(): ReferenceStack {
      if (stack) return stack;
      const made = synthStackAnew(name, cfg);
      if (made.json !== json) throw new Error(`${name}: built again, the stack synthesizes otherwise than the run's shared synth ${file}`);
      return (stack = made.stack);
    },
  };
}

/**
 * Where this test run keeps the synthesized JSON of stack `name` of `cfg` (undefined outside
 * jest's global setup), named by a hash of the stack id, the whole resolved configuration (keys
 * sorted) and the variables cdktf's App and our constructs read (`CDKTF_*`, `SYNTH_*`). The
 * directory is the run's own, so the source cannot change under it.
 */
function sharedSynthFile(name: StackId, cfg: StackConfig): string | undefined {
  const cache = process.env[TEST_CACHE_ENV];
  if (!cache) return undefined;
  const env = Object.entries(process.env).filter(([k]) => /^(CDKTF_|SYNTH_)/.test(k));
  const hash = createHash("sha256")
    .update(canonicalJson([name, cfg, env]))
    .digest("hex")
    .slice(0, 32);
  return path.join(cache, `synth-${hash}.json`);
}

/** JSON with every object's keys sorted, and undefined kept apart from absent. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return "\u0000undefined";
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

function synthStackAnew(name: StackId, cfg: StackConfig): Synthesized {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const stack = buildStack(app, name, cfg, { offline: false });
    // The analysis hook the atomic synth runs: the recovery outputs, as main.ts writes them.
    analyzeStack(stack);
    const json = Testing.synth(stack);
    return { stack, json, tf: JSON.parse(json) as TerraformJson };
  });
}

/** The resources of one type, by logical id. */
export function resources(tf: TerraformJson, type: string): Record<string, Record<string, any>> {
  return tf.resource[type] ?? {};
}

/** The single resource of a type (fails when there is not exactly one). */
export function only(tf: TerraformJson, type: string): Record<string, any> {
  const all = Object.values(resources(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Follows a `${type.name.attr}` reference to the resource it names. */
export function deref(tf: TerraformJson, ref: string): { type: string; name: string; attr: string; body: Record<string, any> } {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(ref);
  if (!m) throw new Error(`not a single reference: ${ref}`);
  const body = tf.resource[m[1]]?.[m[2]];
  if (!body) throw new Error(`reference to a missing resource: ${ref}`);
  return { type: m[1], name: m[2], attr: m[3], body };
}

export interface OfflinePlan {
  readonly summary: PlanSummary;
  readonly plan: any;
  readonly cdkTfJson: any;
}

/**
 * Each configuration's stacks synthesized offline as `main.ts` does, in an output folder of its
 * own, then all planned offline together in a temporary directory: one terraform init, plan and
 * show for a group of them, the plan split back into each stack's as planned alone
 * (lib/plan-together.ts; the plan validates the configuration). Each configuration's plans by
 * its name, by stack.
 */
async function planConfigurations(entries: readonly PlanSetEntry[]): Promise<Record<string, Record<string, OfflinePlan>>> {
  return withTempDirAsync(async (dir) => {
    const stacks = entries.flatMap((entry, i) => {
      const cfg = entry.config();
      const result = synthesizeAtomically(
        path.join(dir, `${i}`, "cdktf.out"),
        entry.stacks.map((id) => (app: App) => buildStack(app, id, cfg, { offline: true })),
      );
      return entry.stacks.map((id) => ({ entry: entry.name, key: entry.name ? `${entry.name}/${id}` : id, stack: id, stackDir: result.stackDirs[id] }));
    });
    const planned = await planSynthesized(stacks, dir);
    const plans: Record<string, Record<string, OfflinePlan>> = {};
    for (const s of stacks) (plans[s.entry] ??= {})[s.stack] = planned[s.key];
    return plans;
  });
}

/**
 * Synthesized stack directories planned offline together (lib/plan-together.ts) under `dir`,
 * the mirror linked into each: each stack's summary, plan and configuration, by key.
 */
async function planSynthesized(stacks: readonly { key: string; stack: string; stackDir: string }[], dir: string): Promise<Record<string, OfflinePlan>> {
  const mirror = findProviderMirror();
  if (mirror) for (const s of stacks) linkMirror(s.stackDir, mirror);
  const planned = await planInGroups(
    stacks.map((s, i) => ({ ...s, planJson: path.join(dir, `${i}-${s.stack}.plan.json`) })),
    dir,
  );
  return Object.fromEntries(
    stacks.map((s) => [
      s.key,
      { summary: planned[s.key].summary, plan: planned[s.key].plan, cdkTfJson: JSON.parse(fs.readFileSync(path.join(s.stackDir, "cdk.tf.json"), "utf8")) },
    ]),
  );
}

/** Asserts that a plan from an empty state creates resources and only creates: nothing changed, nothing destroyed. */
export function expectOnlyCreations(result: OfflinePlan): void {
  expect(result.summary).toMatchObject({ change: 0, destroy: 0 });
  expect(result.summary.add).toBeGreaterThan(0);
  expect(result.summary.add).toBe(result.plan.resource_changes.length);
  expect(result.plan.resource_changes.every((c: { change: { actions: string[] } }) => c.change.actions.join() === "create")).toBe(true);
}

/** Environment variable naming the per-run cache directory `jest.global-setup.js` makes. */
export const TEST_CACHE_ENV = "MULTIAZ_REF_TEST_CACHE";

/**
 * `make()`'s result, made once per test run under `key` and shared by all jest workers: the
 * first caller makes it (holding a lock directory), the others wait for its result file, and a
 * failure is every caller's failure. Outside jest's global setup each call makes it anew.
 */
export async function sharedResult<T>(key: string, make: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const cache = process.env[TEST_CACHE_ENV];
  if (!cache) return make();
  const name = createHash("sha256").update(key).digest("hex").slice(0, 16);
  const result = path.join(cache, `${name}.json`);
  const failure = path.join(cache, `${name}.error`);
  try {
    fs.mkdirSync(path.join(cache, `${name}.lock`));
  } catch {
    // Another worker is making it: wait for its result.
    for (let waited = 0; waited < timeoutMs; waited += 250) {
      if (fs.existsSync(result)) return JSON.parse(fs.readFileSync(result, "utf8")) as T;
      if (fs.existsSync(failure)) throw new Error(`the shared ${key} failed:\n${fs.readFileSync(failure, "utf8")}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out after ${timeoutMs / 1000} s waiting for another worker's ${key}`);
  }
  try {
    const made = await make();
    fs.writeFileSync(`${result}.tmp`, JSON.stringify(made));
    fs.renameSync(`${result}.tmp`, result);
    return made;
  } catch (e) {
    fs.writeFileSync(failure, String((e as Error).stack ?? e));
    throw e;
  }
}

/**
 * The offline plans of these stacks with these overrides, made once per test run and shared by
 * every test file that asks for the same (see {@link sharedConfigurationPlan}).
 */
export async function sharedOfflinePlan(names: readonly StackId[], overrides: Overrides = {}): Promise<Record<string, OfflinePlan>> {
  return sharedConfigurationPlan(names, config(overrides));
}

/** The configuration of the plan set (__tests__/plan-set.ts) that is `cfg`, by value, and holds every one of `names`; else undefined. */
export function planSetEntryFor(names: readonly StackId[], cfg: StackConfig): PlanSetEntry | undefined {
  const wanted = canonicalJson(cfg);
  return PLAN_SET.find((e) => names.every((n) => e.stacks.includes(n)) && canonicalJson(e.config()) === wanted);
}

/**
 * The offline plans of these stacks of this configuration, made once per test run and shared by
 * every test file that asks for the same (see {@link sharedResult}). A configuration of the
 * test run's plan set (__tests__/plan-set.ts, matched by value) comes from the set, which is
 * planned whole the first time any of it is asked for, each configuration's plans in a file of
 * their own; any other is planned alone.
 */
export async function sharedConfigurationPlan(names: readonly StackId[], cfg: StackConfig): Promise<Record<string, OfflinePlan>> {
  const entry = planSetEntryFor(names, cfg);
  const cache = process.env[TEST_CACHE_ENV];
  if (!entry || !cache) {
    const key = `offline plan of ${JSON.stringify(names)} with ${canonicalJson(cfg)}`;
    return sharedResult(key, async () => (await planConfigurations([{ name: "", stacks: names, config: () => cfg }]))[""]);
  }
  const files = await sharedResult("the plan set", async () => {
    const plans = await planConfigurations(PLAN_SET);
    return Object.fromEntries(
      PLAN_SET.map((e, i) => {
        const file = path.join(cache, `plan-set-${i}.json`);
        fs.writeFileSync(file, JSON.stringify(plans[e.name]));
        return [e.name, file];
      }),
    );
  });
  const plans = JSON.parse(fs.readFileSync(files[entry.name], "utf8")) as Record<string, OfflinePlan>;
  return Object.fromEntries(names.map((n) => [n, plans[n]]));
}

/**
 * The offline plans of every stack with the default configuration, made once per test run and
 * shared by all jest workers.
 */
export async function defaultOfflinePlans(): Promise<Record<StackName, OfflinePlan>> {
  return (await sharedOfflinePlan([...STACK_NAMES])) as Record<StackName, OfflinePlan>;
}

/** The VPC a construct test places its construct in: three AZs of the test stack's region, no flow logs (their role and log group would be noise), `overrides` aside. */
export function testVpc(scope: Construct, overrides: Partial<MultiAzVpcProps> = {}): MultiAzVpc {
  return new MultiAzVpc(scope, "network", {
    name: "test",
    azs: ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"],
    flowLogs: { value: false, reason: "a test VPC, synthesized and never deployed" },
    ...overrides,
  });
}

/** The ARN of {@link testTopic}'s topic as synthesized: a reference to it by its address. */
export const TEST_TOPIC_ARN = "${aws_sns_topic.topic_8AEA7A18.arn}";

/** The notification topic (`topic`) a construct test gives its construct; its ARN synthesizes as {@link TEST_TOPIC_ARN}. */
export function testTopic(scope: Construct): NotificationTopic {
  return new NotificationTopic(scope, "topic", { name: "demo" });
}

/** Synthesizes what `build` adds to a bare test stack in `region`, parsed. */
export function synthConstruct(build: (scope: Construct) => void, region = "ap-northeast-2"): TerraformJson {
  return JSON.parse(
    Testing.synthScope((scope) => {
      // The stack's region, as every stack of ours has (constructs read it with awsContext).
      new AwsProvider(scope, "aws", { region });
      build(scope);
    }),
  ) as TerraformJson;
}

/** The same, as `cdktf synth` writes it: with the `//` metadata (suppressions) that Testing.synth drops. */
export function fullSynthConstruct(build: (scope: Construct) => void): TerraformJson {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
    build(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "test", "cdk.tf.json"), "utf8")) as TerraformJson;
  });
}

/**
 * An IAM document as synthesized (`${jsonencode({...})}`, see lib/iam.ts) as a plain object.
 * References stay strings in interpolation form (`${aws_eip.x.arn}`), so a test can `deref` them.
 */
export function policyJson(expression: string): any {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression);
  if (!m) throw new Error(`not a jsonencode() expression: ${expression.slice(0, 80)}`);
  const hcl = m[1];
  let json = "";
  for (let i = 0; i < hcl.length;) {
    const c = hcl[i];
    if (c === '"') {
      // A string literal, copied verbatim with its escapes.
      let j = i + 1;
      while (hcl[j] !== '"') j += hcl[j] === "\\" ? 2 : 1;
      json += hcl.slice(i, j + 1);
      i = j + 1;
    } else if (hcl.startsWith(" = ", i)) {
      json += ": ";
      i += 3;
    } else if (/[A-Za-z_]/.test(c)) {
      // A bare reference such as aws_eip.name.arn.
      const ref = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(hcl.slice(i))![0];
      json += ["true", "false", "null"].includes(ref) ? ref : JSON.stringify(`\${${ref}}`);
      i += ref.length;
    } else {
      json += c;
      i += 1;
    }
  }
  return JSON.parse(json);
}

/** The statement with `sid` of an inline role policy's document. */
export function statement(policy: Record<string, any>, sid: string): any {
  const found = policyJson(policy.policy).Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${policy.name}`);
  return found;
}
