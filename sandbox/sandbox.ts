/**
 * The sandbox: the project's stacks applied to a local AWS emulator (lib/emulator.ts) in the
 * sandbox provider mode (modules/provider-mode.ts). `npm run sandbox` and the emulator tests use
 * it; so can a rehearsal:
 *
 *   const sandbox = await Sandbox.start();            // emulator + synth of the configured stacks
 *   try {
 *     const web = await sandbox.apply("web");          // terraform init + apply; web.outputs
 *     const ec2 = new EC2Client(sandbox.clientConfig()); // any AWS SDK v3 client, at the emulator
 *     ...                                              // act and assert through the emulator's API
 *     await sandbox.destroy("web");
 *     expect(await sandbox.remaining("web")).toEqual([]);
 *   } finally {
 *     await sandbox.stop();                            // emulator stopped, scratch folder removed
 *   }
 *
 * Resources whose API the emulator lacks are never hidden: {@link AppliedStack} names each one
 * with its gap (sandbox/gaps.ts); `left out` ones are not applied (Terraform targets every other
 * resource), `stand-in` ones are applied against a store-only stand-in.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { App } from "cdktf";
import { DescribeInstancesCommand, DescribeNatGatewaysCommand, EC2Client } from "@aws-sdk/client-ec2";
import { resolveConfig } from "../config/load";
import { StackConfig, StackId } from "../config/schema";
import { isTerraformOwned, synthesizeAtomically } from "../lib/atomic-synth";
import { EMULATOR_ACCOUNT_ID, Emulator, EmulatorOptions, startEmulator } from "../lib/emulator";
import { findProviderMirror, linkMirror } from "../lib/provider-mirror";
import { initScratch, terraform, terraformEnv } from "../lib/terraform";
import { buildStack } from "../modules";
import { findVariant } from "../modules/variants";
import { OFFLINE_ENV, PROVIDER_MODES, sandboxEnv } from "../modules/provider-mode";
import type { DestroyBlocker } from "../modules/reference-stack";
import { HANDLER_DIRECTORY } from "../constructs/ami-pipeline/ami-pipeline";
import { PROJECT_ROOT } from "../lib/python-tools";
import { Gap, gapOf } from "./gaps";

/** The AMI publisher's real handler (plain JavaScript in the source tree, as Lambda runs it). */
function amiPublisher(): { createHandler(deps: Record<string, unknown>): (event: unknown, context: unknown) => Promise<unknown> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JavaScript file loaded by path, as Lambda loads it
  return require(path.join(PROJECT_ROOT, HANDLER_DIRECTORY, "index.js"));
}

function setPath(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts[parts.length - 1]] = value;
}

export interface SandboxOptions {
  /** The configuration (`loadConfig()`, `resolveConfig(overrides)`). @default the defaults */
  readonly config?: StackConfig;
  /** The stacks to synthesize. @default the configuration's `stacks` */
  readonly stacks?: readonly StackId[];
  /** Where to synthesize; kept by {@link Sandbox.stop}. @default a scratch folder that stop() removes */
  readonly outdir?: string;
  readonly emulator?: EmulatorOptions;
}

export interface GapResource {
  readonly address: string;
  readonly gap: Gap;
}

export interface AppliedStack {
  readonly stack: StackId;
  /** The synthesized stack's directory (Terraform's working directory). */
  readonly dir: string;
  /** Every resource address of the stack. */
  readonly resources: readonly string[];
  /** Applied against moto itself. */
  readonly applied: readonly string[];
  /** Applied against a stand-in of tools/emulator/stand_ins.py. */
  readonly standIn: readonly GapResource[];
  /** Not applied: the emulator lacks their API. */
  readonly leftOut: readonly GapResource[];
  /** `aws_lambda_invocation`s whose result our real handler computed (moto's Lambda runs no code). */
  readonly handlerRun: readonly string[];
  /** `terraform output -json`, by output name. */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly seconds: number;
}

/** One resource instance of a stack's Terraform state: where a rehearsal finds the ids the apply produced. */
export interface StateResource {
  /** `<type>.<name>`, with `[<index>]` for a counted or keyed instance. */
  readonly address: string;
  readonly type: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** Fake credentials: the emulator accepts any. */
const CREDENTIALS = { accessKeyId: "sandbox-emulator-not-a-key", secretAccessKey: "sandbox-emulator-not-a-secret" };

/** One call of a JSON-protocol API at the emulator (which routes by the signing scope and checks no signature). */
async function jsonCall<T>(endpoint: string, region: string, service: string, target: string, body: unknown): Promise<T> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": target,
      authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new EmulatorCallError(`${target} at the emulator failed (${res.status}): ${await res.text()}`, res.status);
  return (await res.json()) as T;
}

/** The emulator's answer to a call that failed: its HTTP status, for the callers that retry. */
export class EmulatorCallError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "EmulatorCallError";
  }
}

/** How often {@link taggedResources} starts its listing again after the emulator's 500. */
export const TAGGED_RESOURCES_ATTEMPTS = 3;

/**
 * The ARNs of every resource the emulator's Resource Groups Tagging API lists with all of
 * `tags`, every page. The pinned moto walks its backends' resource maps with one generator
 * that lives from page to page, so a listing taken while other stacks are being applied to
 * the same emulator can fail with a 500 (a map changed while it was walked; seen once in the
 * emulator tier, 2026-12-07, on a stack's GetResources beside four others' applies). The
 * listing is a read: on a 500 it starts again from the first page, at most
 * {@link TAGGED_RESOURCES_ATTEMPTS} times in all.
 */
export async function taggedResources(endpoint: string, region: string, tags: readonly { Key: string; Values: string[] }[]): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const found: string[] = [];
      let token: string | undefined;
      do {
        const page = await jsonCall<{ ResourceTagMappingList?: { ResourceARN: string }[]; PaginationToken?: string }>(
          endpoint,
          region,
          "tagging",
          "ResourceGroupsTaggingAPI_20170126.GetResources",
          { TagFilters: tags, ResourcesPerPage: 100, ...(token ? { PaginationToken: token } : {}) },
        );
        found.push(...(page.ResourceTagMappingList ?? []).map((m) => m.ResourceARN));
        token = page.PaginationToken || undefined;
      } while (token);
      return found;
    } catch (e) {
      if (!(e instanceof EmulatorCallError) || e.status < 500 || attempt >= TAGGED_RESOURCES_ATTEMPTS) throw e;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

/**
 * A variant that serves HTTPS (web-https) needs `web.certificateArn`, an ACM certificate of the
 * region. Unset, the sandbox requests one from the emulator's ACM for the zone's names (moto
 * issues it; no DNS validation happens) and sets it, so the variant applies with no certificate
 * of yours. Returns the configuration to synthesize and the ARN requested, if any.
 */
async function withCertificate(endpoint: string, config: StackConfig, stacks: readonly StackId[]): Promise<{ config: StackConfig; certificateArn?: string }> {
  const needs = stacks.some((id) => findVariant(id)?.requires?.key === "certificateArn");
  if (!needs || config.web.certificateArn !== undefined) return { config };
  const zone = config.dns.zoneName;
  const { CertificateArn } = await jsonCall<{ CertificateArn: string }>(endpoint, config.region, "acm", "CertificateManager.RequestCertificate", {
    DomainName: `*.${zone}`,
    SubjectAlternativeNames: [zone, `*.${zone}`],
    ValidationMethod: "DNS",
  });
  return { config: { ...config, web: { ...config.web, certificateArn: CertificateArn } }, certificateArn: CertificateArn };
}

/** What {@link Sandbox.turnOffDestroyBlockers} did for a stack. */
export interface TurnedOff {
  /** The settings set to false (each a destroy blocker of the stack), by key: `web.deletionProtection`. */
  readonly keys: readonly string[];
  /** The resources whose synthesized body those settings change, which the apply targeted. */
  readonly targeted: readonly string[];
}

export interface DestroyedStack {
  readonly seconds: number;
  /** The settings turned off and applied first (as the README orders). */
  readonly turnedOff: string[];
  /** What that apply targeted: the resources the settings change in this stack. */
  readonly targeted: readonly string[];
}

export class Sandbox {
  /** Per stack, the settings with which its destroy cannot succeed (ReferenceStack.destroyBlockers). */
  private blockers: Partial<Record<StackId, DestroyBlocker[]>> = {};
  /**
   * Per stack, the configuration it is synthesized with when it is not the sandbox's: a stack
   * about to be destroyed has its destroy blockers off, and only that stack.
   */
  private readonly configs: Partial<Record<StackId, StackConfig>> = {};
  /** Per stack whose destroy blockers were turned off and applied, what was done. */
  private readonly turnedOff: Partial<Record<StackId, TurnedOff>> = {};

  private constructor(
    readonly emulator: Emulator,
    readonly config: StackConfig,
    readonly stacks: readonly StackId[],
    readonly outdir: string,
    private readonly scratch: boolean,
    /** The certificate the sandbox requested from the emulator's ACM for web.certificateArn, if it did. */
    readonly certificateArn?: string,
  ) {}

  /** The configuration stack `stack` is synthesized with: the sandbox's, unless its destroy blockers were turned off. */
  configOf(stack: StackId): StackConfig {
    return this.configs[stack] ?? this.config;
  }

  private builder(stack: StackId): (app: App) => void {
    return (app) => {
      this.blockers[stack] = buildStack(app, stack, this.configOf(stack), { mode: "sandbox" }).destroyBlockers();
    };
  }

  /** Synthesizes every stack with its configuration in sandbox mode (at start). */
  private synth(): void {
    const result = synthesizeAtomically(
      this.outdir,
      this.stacks.map((name) => this.builder(name)),
    );
    const mirror = findProviderMirror();
    if (mirror) for (const dir of Object.values(result.stackDirs)) linkMirror(dir, mirror);
  }

  /**
   * Synthesizes one stack again with its configuration, and only it: the other stacks'
   * directories are not touched (their Terraform may be running). The stack is synthesized into
   * a scratch folder and its files replace those of its directory; Terraform's working files
   * there and the state (outside it) stay, as a synth of the whole output folder keeps them.
   */
  private resynth(stack: StackId): void {
    const scratch = fs.mkdtempSync(path.join(this.outdir, ".resynth-"));
    try {
      const source = synthesizeAtomically(path.join(scratch, "out"), [this.builder(stack)]).stackDirs[stack];
      const target = this.stackDir(stack);
      for (const entry of fs.readdirSync(target)) if (!isTerraformOwned(entry)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
      for (const entry of fs.readdirSync(source)) fs.renameSync(path.join(source, entry), path.join(target, entry));
      const mirror = findProviderMirror();
      if (mirror) linkMirror(target, mirror);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }

  /** Starts an emulator and synthesizes the stacks in sandbox mode; stops the emulator if that fails. */
  static async start(options: SandboxOptions = {}): Promise<Sandbox> {
    const configured = options.config ?? resolveConfig({});
    const stacks = options.stacks ?? configured.stacks;
    const scratch = options.outdir === undefined;
    const outdir = options.outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-sandbox-"));
    const emulator = await startEmulator(options.emulator);
    try {
      const prepared = await withCertificate(emulator.endpoint, configured, stacks);
      const sandbox = new Sandbox(emulator, prepared.config, stacks, outdir, scratch, prepared.certificateArn);
      sandbox.synth();
      return sandbox;
    } catch (e) {
      await emulator.stop();
      if (scratch) fs.rmSync(outdir, { recursive: true, force: true });
      throw e;
    }
  }

  get endpoint(): string {
    return this.emulator.endpoint;
  }

  /** The environment for Terraform, `npx cdktf deploy|destroy` and the aws CLI against the emulator. */
  env(): NodeJS.ProcessEnv {
    const env = terraformEnv({
      ...sandboxEnv(this.endpoint),
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: this.config.region,
    });
    delete env[OFFLINE_ENV];
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    return env;
  }

  /** Configuration for any AWS SDK v3 client: `new EC2Client(sandbox.clientConfig())`. @default region - the stacks' */
  clientConfig(region: string = this.config.region): { endpoint: string; region: string; credentials: typeof CREDENTIALS } {
    return { endpoint: this.endpoint, region, credentials: { ...CREDENTIALS } };
  }

  stackDir(stack: StackId): string {
    return path.join(this.outdir, "stacks", stack);
  }

  /** `terraform init` and `apply` of one stack, every resource but the `left out` gaps. */
  async apply(stack: StackId): Promise<AppliedStack> {
    await initScratch(this.stackDir(stack), this.env());
    return this.applyInitialised(stack);
  }

  private async applyInitialised(stack: StackId): Promise<AppliedStack> {
    const started = Date.now();
    const dir = this.stackDir(stack);
    const tf = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    const resources = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    const withGap = resources.map((address) => ({ address, gap: gapOf(address) }));
    const leftOut = withGap.filter((r): r is GapResource => r.gap?.treatment === "left out");
    const standIn = withGap.filter((r): r is GapResource => r.gap?.treatment === "stand-in");
    const applied = resources.filter((a) => !gapOf(a));
    const env = this.env();
    const handlerRun = await this.queueInvocationResults(tf);
    const targets = leftOut.length > 0 ? resources.filter((a) => !leftOut.some((l) => l.address === a)).map((a) => `-target=${a}`) : [];
    await terraform(["apply", "-auto-approve", "-input=false", "-no-color", ...targets], dir, env);
    const outputs = this.outputs(stack);
    return { stack, dir, resources, applied, standIn, leftOut, handlerRun, outputs, seconds: (Date.now() - started) / 1000 };
  }

  /**
   * moto's Docker-free Lambda runs no code: an Invoke returns the next result queued for the
   * region (else its input). For the apply-time `aws_lambda_invocation` of the AMI pipeline (the
   * base image lookup), our real handler runs here on the invocation's input, with its SSM calls
   * sent to the emulator, and its result is queued, so the stack gets the image id the function
   * would return. Returns the addresses so served.
   */
  private async queueInvocationResults(tf: { resource?: Record<string, Record<string, unknown>> }): Promise<string[]> {
    const served: string[] = [];
    for (const [name, body] of Object.entries(tf.resource?.aws_lambda_invocation ?? {})) {
      const input = JSON.parse(String((body as { input?: string }).input ?? "{}")) as { baseImageParameter?: unknown };
      if (typeof input.baseImageParameter !== "string") continue;
      const ssm = { getParameter: (req: object) => this.jsonCall("ssm", "AmazonSSM.GetParameter", req) };
      const unused = new Proxy({}, { get: () => () => Promise.reject(new Error("not used by the base image lookup")) });
      const placeholders = Object.fromEntries(
        ["PARAMETER_NAME", "DLM_POLICY_ID", "BASE_IMAGE_PARAMETER", "TOPIC_ARN", "METRIC_NAMESPACE", "PIPELINE_NAME"].map((k) => [k, "-"]),
      );
      const handle = amiPublisher().createHandler({ ec2: unused, ssm, autoscaling: unused, sns: unused, cloudwatch: unused, env: placeholders });
      const result = await handle(input, undefined);
      const res = await fetch(`${this.endpoint}/moto-api/static/lambda-simple/response`, {
        method: "POST",
        body: JSON.stringify({ account_id: EMULATOR_ACCOUNT_ID, region: this.config.region, results: [JSON.stringify(result)] }),
      });
      if (!res.ok) throw new Error(`queueing the Lambda result at the emulator failed (${res.status})`);
      served.push(`aws_lambda_invocation.${name}`);
    }
    return served;
  }

  /** Each resource's synthesized body, as JSON text, by address. */
  private resourceBodies(stack: StackId): Record<string, string> {
    const tf = JSON.parse(fs.readFileSync(path.join(this.stackDir(stack), "cdk.tf.json"), "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    return Object.fromEntries(
      Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => [`${type}.${name}`, JSON.stringify(body)])),
    );
  }

  /** The managed resources of the stack's state (the scratch state file), optionally of one type. */
  stateResources(stack: StackId, type?: string): StateResource[] {
    return (this.state(stack).resources ?? [])
      .filter((r) => r.mode === "managed" && (type === undefined || r.type === type))
      .flatMap((r) =>
        r.instances.map((i) => ({
          address: `${r.type}.${r.name}${i.index_key === undefined ? "" : `[${JSON.stringify(i.index_key)}]`}`,
          type: r.type,
          attributes: i.attributes,
        })),
      );
  }

  /**
   * The stack's outputs by name, read from its state file as `terraform output -json` reads them
   * (the state's `outputs`: name -> value, type, sensitive), without a Terraform process.
   */
  outputs(stack: StackId): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.state(stack).outputs ?? {}).map(([name, o]) => [name, o.value]));
  }

  /** The stack's scratch state file, parsed. */
  private state(stack: StackId): {
    resources?: { mode: string; type: string; name: string; instances: { index_key?: string | number; attributes: Record<string, unknown> }[] }[];
    outputs?: Record<string, { value: unknown }>;
  } {
    const scratch = PROVIDER_MODES.sandbox.scratchState;
    if (!scratch) throw new Error("the sandbox provider mode keeps no scratch state");
    return JSON.parse(fs.readFileSync(path.join(this.stackDir(stack), scratch(stack)), "utf8"));
  }

  /**
   * The first half of a destroy in the order the README gives: a stack with destroy blockers
   * (the web stack's `web.deletionProtection`) gets its own configuration with those settings
   * lifted (each to its blocker's `lifted` value), is synthesized again (that stack alone) and applied, targeting
   * exactly the resources the settings change in it, as `cdktf deploy` would change only them
   * on AWS (a full apply here would also push the emulator's own drift). Done once per stack:
   * a second call returns what the first did. Throws when a stack has blockers but turning them
   * off changes none of its resources (nothing would be targeted, and an apply with no target
   * applies everything).
   */
  async turnOffDestroyBlockers(stack: StackId): Promise<TurnedOff> {
    const done = this.turnedOff[stack];
    if (done) return done;
    const keys = (this.blockers[stack] ?? []).map((b) => b.key);
    if (keys.length === 0) return (this.turnedOff[stack] = { keys, targeted: [] });
    const config = structuredClone(this.configOf(stack)) as unknown as Record<string, unknown>;
    for (const b of this.blockers[stack] ?? []) setPath(config, b.key, b.lifted);
    const before = this.resourceBodies(stack);
    this.configs[stack] = config as unknown as StackConfig;
    this.resynth(stack);
    const after = this.resourceBodies(stack);
    const targeted = Object.keys(after)
      .filter((a) => before[a] !== after[a])
      .sort();
    if (targeted.length === 0) {
      throw new Error(
        `${stack}: setting ${keys.join(", ")} to false changed none of its synthesized resources, so there is nothing to apply before its destroy ` +
          `(an apply with no target would apply the whole stack); the stack's destroy blockers and its synth disagree`,
      );
    }
    await terraform(["apply", "-auto-approve", "-input=false", "-no-color", ...targeted.map((a) => `-target=${a}`)], this.stackDir(stack), this.env());
    return (this.turnedOff[stack] = { keys, targeted });
  }

  /**
   * `terraform destroy` of one stack, after {@link turnOffDestroyBlockers} (unless already
   * done). Returns the seconds (both steps), the settings turned off and what their apply targeted.
   */
  async destroy(stack: StackId): Promise<DestroyedStack> {
    const started = Date.now();
    const off = await this.turnOffDestroyBlockers(stack);
    await terraform(["destroy", "-auto-approve", "-input=false", "-no-color"], this.stackDir(stack), this.env());
    return { seconds: (Date.now() - started) / 1000, turnedOff: [...off.keys], targeted: off.targeted };
  }

  /** One call of a JSON-protocol API at the emulator (which routes by the signing scope and checks no signature). */
  private jsonCall<T>(service: string, target: string, body: unknown): Promise<T> {
    return jsonCall<T>(this.endpoint, this.config.region, service, target, body);
  }

  /**
   * What the emulator still holds of the stack, asked by its tags (`Project`, `Stack`): every
   * tagged resource the Resource Groups Tagging API knows but terminated instances, deleted NAT
   * gateways and KMS keys pending deletion (AWS keeps a deleted key 7 to 30 days), and EC2
   * instances not terminated.
   */
  async remaining(stack: StackId): Promise<string[]> {
    const tags = [
      { Key: "Project", Values: [this.config.project] },
      { Key: "Stack", Values: [stack] },
    ];
    const found = await taggedResources(this.endpoint, this.config.region, tags);
    const live: string[] = [];
    const ec2 = new EC2Client(this.clientConfig());
    for (const arn of found) {
      if (/:ec2:[^:]*:[^:]*:instance\//.test(arn)) continue; // asked below, by state
      const nat = /:ec2:[^:]*:[^:]*:natgateway\/(.+)$/.exec(arn);
      if (nat) {
        // EC2 lists a deleted NAT gateway, in state "deleted", for about an hour.
        const gateways = await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [nat[1]] }));
        if (gateways.NatGateways?.every((g) => g.State === "deleted")) continue;
      }
      if (/:kms:[^:]*:[^:]*:key\//.test(arn)) {
        const key = await this.jsonCall<{ KeyMetadata?: { KeyState?: string } }>("kms", "TrentService.DescribeKey", { KeyId: arn });
        if (key.KeyMetadata?.KeyState === "PendingDeletion") continue;
      }
      live.push(arn);
    }
    const instances = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          ...tags.map((t) => ({ Name: `tag:${t.Key}`, Values: t.Values })),
          { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped", "shutting-down"] },
        ],
      }),
    );
    for (const r of instances.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId) live.push(i.InstanceId);
    return live.sort();
  }

  /** Stops the emulator (what it held is gone) and removes a scratch output folder. */
  async stop(): Promise<void> {
    await this.emulator.stop();
    if (this.scratch) fs.rmSync(this.outdir, { recursive: true, force: true });
  }
}
