/**
 * One small resource graph for both inputs the recovery model, the security checks and the
 * plan review read, so each is written once: cdktf's synthesized `cdk.tf.json`, where links are
 * `${type.name.attr}` strings, and the JSON of `terraform show -json <planfile>`, where links
 * are the `references` of each attribute's expression and values come from `planned_values`.
 *
 * Only the root module's managed resources are kept: data sources, variables and locals are
 * not what a recovery or a security rule depends on, and cdktf stacks built from constructs
 * have no child modules.
 */

/** One managed resource with its configured values and the resources each attribute refers to. */
export interface ResourceNode {
  readonly type: string;
  readonly name: string;
  /** `type.name` (any `[index]` of a count/for_each instance is kept). */
  readonly address: string;
  /**
   * Attribute values. From a synthesized JSON, strings may still hold `${...}` references; from
   * a plan, values known only after apply are absent. Nested blocks may be an object or a list
   * of objects: read them with `blocks()`.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /** For each top-level attribute, the `type.name` of every resource it refers to, at any depth. */
  readonly references: Readonly<Record<string, readonly string[]>>;
}

/** Words that start a Terraform reference but do not name a managed resource. */
const NOT_RESOURCES = new Set(["data", "var", "local", "module", "each", "count", "path", "self", "terraform"]);

export class ResourceGraph {
  private readonly nodes: readonly ResourceNode[];

  private constructor(nodes: readonly ResourceNode[]) {
    this.nodes = [...nodes].sort((a, b) => a.address.localeCompare(b.address));
  }

  /** From a synthesized `cdk.tf.json` (`{ resource: { type: { name: {...} } } }`). */
  static fromTerraformJson(tf: object): ResourceGraph {
    const resource = record((tf as { resource?: unknown }).resource);
    const known = (type: string, name: string) => record(resource[type])[name] !== undefined;
    const nodes: ResourceNode[] = [];
    for (const [type, byName] of Object.entries(resource)) {
      for (const [name, body] of Object.entries(record(byName))) {
        const values = record(body);
        const references: Record<string, string[]> = {};
        for (const [attribute, value] of Object.entries(values)) {
          const found = unique(
            interpolatedReferences(value)
              .filter(([t, n]) => known(t, n))
              .map(([t, n]) => `${t}.${n}`),
          );
          if (found.length > 0) references[attribute] = found;
        }
        nodes.push({ type, name, address: `${type}.${name}`, values, references });
      }
    }
    return new ResourceGraph(nodes);
  }

  /**
   * From `terraform show -json <planfile>`: links from the `references` in `configuration`;
   * values from `planned_values`, and where a value is known only after apply (a list holding
   * an ARN to be created, say, or a block's map of tags holding one), the configured value,
   * `${...}` strings included, as in a synthesized JSON.
   */
  static fromPlanJson(plan: object): ResourceGraph {
    const p = plan as { planned_values?: { root_module?: unknown }; configuration?: { root_module?: unknown } };
    const configured = new Map<string, { values: Record<string, unknown>; references: Record<string, string[]> }>();
    for (const r of rootResources(p.configuration?.root_module)) {
      if (r.mode !== "managed") continue;
      const values: Record<string, unknown> = {};
      const references: Record<string, string[]> = {};
      for (const [attribute, expression] of Object.entries(record(r.expressions))) {
        const value = configuredValue(expression);
        if (value !== undefined) values[attribute] = value;
        const found = unique(
          expressionReferences(expression)
            .map(baseAddress)
            .filter((a): a is string => a !== undefined),
        );
        if (found.length > 0) references[attribute] = found;
      }
      configured.set(`${r.type}.${r.name}`, { values, references });
    }
    const nodes: ResourceNode[] = [];
    for (const r of rootResources(p.planned_values?.root_module)) {
      if (r.mode !== "managed") continue;
      const type = String(r.type);
      const name = String(r.name);
      const config = configured.get(`${type}.${name}`);
      const planned = Object.entries(record(r.values)).filter(([, v]) => v !== null && v !== undefined);
      nodes.push({
        type,
        name,
        address: String(r.address ?? `${type}.${name}`),
        values: completed(Object.fromEntries(planned), config?.values ?? {}) as Record<string, unknown>,
        references: config?.references ?? {},
      });
    }
    return new ResourceGraph(nodes);
  }

  /** Every resource of a type, in address order. */
  ofType(type: string): ResourceNode[] {
    return this.nodes.filter((n) => n.type === type);
  }

  /** The resources of `type` (any type when omitted) that `node`'s `attribute` refers to. */
  referenced(node: ResourceNode, attribute: string, type?: string): ResourceNode[] {
    const targets = new Set(node.references[attribute] ?? []);
    return this.nodes.filter((n) => targets.has(`${n.type}.${n.name}`) && (type === undefined || n.type === type));
  }

  /** The resources of `type` whose `attribute` refers to `target`. */
  referencing(target: ResourceNode, type: string, attribute: string): ResourceNode[] {
    const address = `${target.type}.${target.name}`;
    return this.ofType(type).filter((n) => (n.references[attribute] ?? []).includes(address));
  }
}

/** A nested block as a list, whether the JSON holds it as an object or a list of objects. */
export function blocks(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

/** A number, also from a numeric string; undefined for anything else (e.g. an unresolved reference). */
export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A string that holds no unresolved reference; undefined otherwise. */
export function literal(value: unknown): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

/** The strings of a list attribute (unresolved ones included). */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** `[type, name]` of every `type.name` reference inside `${...}` interpolations, at any depth. */
function interpolatedReferences(value: unknown): [string, string][] {
  if (typeof value === "string") {
    const found: [string, string][] = [];
    for (const interpolation of value.match(/\$\{[^}]*\}/g) ?? []) {
      for (const m of interpolation.matchAll(/(?<![\w.])([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g)) {
        if (!NOT_RESOURCES.has(m[1])) found.push([m[1], m[2]]);
      }
    }
    return found;
  }
  if (Array.isArray(value)) return value.flatMap(interpolatedReferences);
  if (isRecord(value)) return Object.values(value).flatMap(interpolatedReferences);
  return [];
}

/** Every string of every `references` list in a plan expression (blocks nest expressions). */
function expressionReferences(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(expressionReferences);
  if (!isRecord(expression)) return [];
  const own = strings(expression.references);
  const nested = Object.entries(expression)
    .filter(([key]) => key !== "references" && key !== "constant_value")
    .flatMap(([, v]) => expressionReferences(v));
  return [...own, ...nested];
}

/**
 * The value a plan expression was configured with: `constant_value`, or for a nested block
 * (an object or list of objects of expressions) the same, attribute by attribute. Undefined for
 * an expression made only of references.
 */
function configuredValue(expression: unknown): unknown {
  if (Array.isArray(expression)) return expression.map(configuredValue);
  if (!isRecord(expression)) return undefined;
  if ("constant_value" in expression) return expression.constant_value;
  if ("references" in expression) return undefined;
  const block: Record<string, unknown> = {};
  for (const [attribute, nested] of Object.entries(expression)) {
    const value = configuredValue(nested);
    if (value !== undefined) block[attribute] = value;
  }
  return block;
}

/**
 * A planned value completed with the configured one where the plan leaves a part out because
 * only apply will know it (`planned_values` omits unknown values, also inside blocks). A block
 * in a list is completed from the configured block at the same place, and only if the two
 * agree on everything the plan knows: a set may list its blocks in another order.
 */
function completed(planned: unknown, configured: unknown): unknown {
  if (isRecord(planned) && isRecord(configured)) {
    const result: Record<string, unknown> = { ...planned };
    for (const [key, value] of Object.entries(configured)) result[key] = key in planned ? completed(planned[key], value) : value;
    return result;
  }
  if (Array.isArray(planned) && Array.isArray(configured) && planned.length === configured.length) {
    return planned.map((value, i) => (agrees(value, configured[i]) ? completed(value, configured[i]) : value));
  }
  return planned;
}

/** Whether a configured value holds the same as a planned one wherever both say something. */
function agrees(planned: unknown, configured: unknown): boolean {
  if (isRecord(planned) && isRecord(configured)) return Object.keys(planned).every((key) => !(key in configured) || agrees(planned[key], configured[key]));
  if (Array.isArray(planned) && Array.isArray(configured))
    return planned.length === configured.length && planned.every((value, i) => agrees(value, configured[i]));
  return JSON.stringify(planned) === JSON.stringify(configured);
}

/** `aws_subnet.a` from `aws_subnet.a.id` or `aws_subnet.a["x"]`; undefined for non-resources. */
function baseAddress(reference: string): string | undefined {
  const m = /^([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(reference);
  return m && !NOT_RESOURCES.has(m[1]) ? `${m[1]}.${m[2]}` : undefined;
}

/** The resources of a plan's root module. */
function rootResources(module: unknown): Record<string, unknown>[] {
  const resources = record(module).resources;
  return Array.isArray(resources) ? resources.filter(isRecord) : [];
}
