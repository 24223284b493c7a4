/**
 * One view of a stack's managed resources that the security checks, the inventory and the
 * diagram all read, built from either of the two forms a stack exists in:
 *
 * - the synthesized configuration (`cdk.tf.json`): values as written, references as
 *   `${type.name.attr}` strings, the construct path and suppressions in each body's `//`;
 * - a plan (`terraform show -json`): `planned_values` hold the values, and a value that is
 *   unknown until apply (an id, an ARN) is absent; which resources an attribute refers to
 *   comes from the plan's `configuration` section. Terraform drops `//`, so suppressions
 *   and construct paths are taken from the synthesized configuration when it is given.
 */
import { Suppression, suppressionsOf } from "./suppression";

/** A managed resource, the same shape whichever form it was read from. */
export interface TfResource {
  /** Terraform address, `type.name` (with `[index]` for counted resources in a plan). */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** Attribute values; nested blocks may be an object or a list of objects (see {@link blocks}). */
  readonly values: Readonly<Record<string, unknown>>;
  /** Addresses (`type.name`) of the resources each top-level attribute refers to. */
  readonly refs: Readonly<Record<string, readonly string[]>>;
  readonly suppressions: readonly Suppression[];
  /** Construct path (`recovery/network/vpc`), when the synthesized configuration is known. */
  readonly path?: string;
}

/** The resources of one stack, with lookups along references. */
export class ResourceSet {
  private readonly byAddress = new Map<string, TfResource[]>();

  constructor(readonly all: readonly TfResource[]) {
    for (const r of all) {
      const base = baseAddress(r.address);
      this.byAddress.set(base, [...(this.byAddress.get(base) ?? []), r]);
    }
  }

  ofType(...types: string[]): TfResource[] {
    return this.all.filter((r) => types.includes(r.type));
  }

  /** The resources an attribute of `resource` refers to (every attribute when `attr` is omitted). */
  referencedBy(resource: TfResource, attr?: string): TfResource[] {
    const addresses = attr === undefined ? Object.values(resource.refs).flat() : (resource.refs[attr] ?? []);
    return [...new Set(addresses)].flatMap((a) => this.byAddress.get(a) ?? []);
  }

  /** The resources of `type` that refer to `target` (through `attr`, when given). */
  referencing(target: TfResource, type: string, attr?: string): TfResource[] {
    const base = baseAddress(target.address);
    return this.ofType(type).filter((r) => (attr === undefined ? Object.values(r.refs).flat() : (r.refs[attr] ?? [])).includes(base));
  }
}

/** Terraform's meta-arguments: not resource attributes, never checked. */
const META_ARGUMENTS = new Set(["//", "count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection"]);

/** A synthesized configuration, as far as this module reads it. */
export interface TerraformJsonLike {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Reads the managed resources of a synthesized `cdk.tf.json`. */
export function fromTerraformJson(tf: TerraformJsonLike): ResourceSet {
  const entries = Object.entries(tf.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, body })));
  const known = new Set(entries.map((e) => `${e.type}.${e.name}`));
  return new ResourceSet(
    entries.map(({ type, name, body }) => {
      const values: Record<string, unknown> = {};
      const refs: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(body)) {
        if (META_ARGUMENTS.has(key)) continue;
        values[key] = value;
        const found = interpolatedAddresses(value, known);
        if (found.length > 0) refs[key] = found;
      }
      return { address: `${type}.${name}`, type, name, values, refs, suppressions: suppressionsOf(body), path: constructPath(body) };
    }),
  );
}

/** A plan from `terraform show -json`, as far as this module reads it. */
export interface PlanJsonLike {
  readonly planned_values?: { readonly root_module?: PlannedModule };
  readonly configuration?: { readonly root_module?: { readonly resources?: readonly ConfiguredResource[] } };
}

interface PlannedModule {
  readonly resources?: readonly { address: string; mode: string; type: string; name: string; values?: Record<string, unknown> }[];
  readonly child_modules?: readonly PlannedModule[];
}

interface ConfiguredResource {
  readonly address: string;
  readonly mode: string;
  readonly expressions?: Record<string, unknown>;
}

/**
 * Reads the managed resources a plan leaves after apply, of every module. References are read
 * from the root module's configuration (the stacks have no child modules). `synthesized`, the
 * configuration the plan was made from, adds construct paths and suppressions (by address).
 */
export function fromPlanJson(plan: PlanJsonLike, synthesized?: TerraformJsonLike): ResourceSet {
  const planned = modules(plan.planned_values?.root_module).flatMap((m) => m.resources ?? []).filter((r) => r.mode === "managed");
  const configured = new Map((plan.configuration?.root_module?.resources ?? []).filter((r) => r.mode === "managed").map((r) => [r.address, r]));
  const fromConfig = synthesized ? new Map(fromTerraformJson(synthesized).all.map((r) => [r.address, r])) : undefined;
  const known = new Set(planned.map((r) => baseAddress(r.address)));
  return new ResourceSet(
    planned.map((r) => {
      const refs: Record<string, string[]> = {};
      for (const [key, expression] of Object.entries(configured.get(baseAddress(r.address))?.expressions ?? {})) {
        const found = [...new Set(expressionReferences(expression).map(resourceOf).filter((a): a is string => a !== undefined && known.has(a)))];
        if (found.length > 0) refs[key] = found;
      }
      const synthesizedTwin = fromConfig?.get(baseAddress(r.address));
      return {
        address: r.address,
        type: r.type,
        name: r.name,
        values: r.values ?? {},
        refs,
        suppressions: synthesizedTwin?.suppressions ?? [],
        path: synthesizedTwin?.path,
      };
    }),
  );
}

function modules(root: PlannedModule | undefined): PlannedModule[] {
  return root ? [root, ...(root.child_modules ?? []).flatMap(modules)] : [];
}

/** `aws_x.y[0]` -> `aws_x.y`. */
function baseAddress(address: string): string {
  return address.replace(/\[[^\]]*\]$/, "");
}

/** `aws_vpc.x.id`, `aws_subnet.y[0].id`, `aws_vpc.x` -> the resource address; var., local., data. -> undefined. */
function resourceOf(reference: string): string | undefined {
  const m = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/.exec(reference);
  if (!m || ["var", "local", "data", "module", "each", "count", "path", "self", "terraform"].includes(m[1])) return undefined;
  return `${m[1]}.${m[2]}`;
}

/** Every `references` list inside a plan's expression tree (nested blocks nest expressions). */
function expressionReferences(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(expressionReferences);
  if (typeof expression !== "object" || expression === null) return [];
  const own = (expression as { references?: unknown }).references;
  const nested = Object.entries(expression)
    .filter(([k]) => k !== "references" && k !== "constant_value")
    .flatMap(([, v]) => expressionReferences(v));
  return [...(Array.isArray(own) ? own.filter((x): x is string => typeof x === "string") : []), ...nested];
}

/**
 * Addresses named in `${...}` interpolations anywhere in a value. Only addresses of the
 * stack's own resources count, so text that merely looks like one (in user data) is ignored.
 */
function interpolatedAddresses(value: unknown, known: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const m of v.matchAll(/\$\{([^}]*)\}/g)) {
        for (const ref of m[1].matchAll(/\b([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)/g)) {
          const address = `${ref[1]}.${ref[2]}`;
          if (known.has(address)) found.add(address);
        }
      }
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object" && v !== null) Object.values(v).forEach(visit);
  };
  visit(value);
  return [...found];
}

function constructPath(body: Record<string, unknown>): string | undefined {
  const meta = body["//"] as { metadata?: { path?: unknown } } | undefined;
  return typeof meta?.metadata?.path === "string" ? meta.metadata.path : undefined;
}

/**
 * A nested block as a list: the synthesized form writes a single block as an object, the
 * plan always as a list.
 */
export function blocks(values: Readonly<Record<string, unknown>>, key: string): Record<string, unknown>[] {
  const v = values[key];
  if (Array.isArray(v)) return v.filter((b): b is Record<string, unknown> => typeof b === "object" && b !== null);
  return typeof v === "object" && v !== null ? [v as Record<string, unknown>] : [];
}

/** True when a value is not known before apply: absent (plan) or an interpolation (configuration). */
export function isUnknown(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.includes("${"));
}

/**
 * A boolean attribute, whichever way it was written (cdktf writes some as "true"/"false"
 * strings); undefined when unset or unknown.
 */
export function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

/** A number attribute written as a number or a numeric string; undefined when unset or unknown. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  return undefined;
}
