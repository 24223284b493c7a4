/**
 * Loads the configuration: the JSON file named by the `STACK_CONFIG` environment variable,
 * parsed with the schema (`schema.ts`), which fills every default: objects merge key by key
 * with the defaults, lists and values replace them. Every problem becomes one line naming the
 * key, the value given and what is allowed; unknown keys are errors, with the nearest known
 * key suggested, so a typo never silently falls back to a default.
 */
import * as fs from "fs";
import * as path from "path";
import * as JSON5 from "json5";
import { z } from "zod";
import { Problem, ValidationError } from "../lib/validation";
import { STACK_CONFIG_SCHEMA, StackConfig } from "./schema";
import { similarTo } from "./suggest";

/** Deeper than any setting (`web.healthCheck.path` is 3 levels), with room for values. */
const MAX_DEPTH = 8;

type Path = readonly PropertyKey[];

/** `web.healthCheck.path`, `notifications.emails[0]`. */
export function keyOf(p: Path): string {
  return p.reduce<string>((key, part) => (typeof part === "number" ? `${key}[${part}]` : key ? `${key}.${String(part)}` : String(part)), "") || "(root)";
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function valueAt(input: unknown, p: Path): unknown {
  let v = input;
  for (const part of p) {
    if (typeof v !== "object" || v === null || !Object.prototype.hasOwnProperty.call(v, part)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[part];
  }
  return v;
}

/**
 * What the schema cannot see: nesting deeper than any setting (which would overflow the stack
 * of whatever walks it) and `__proto__` keys (which JavaScript objects drop). Iterative.
 */
function structuralProblems(input: unknown): Problem[] {
  const problems: Problem[] = [];
  const pending: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  while (pending.length > 0) {
    const { value, path: at } = pending.pop()!;
    if (typeof value !== "object" || value === null) continue;
    if (at.length >= MAX_DEPTH) {
      problems.push({
        key: keyOf(at),
        value: "(nested deeper)",
        fix: `nests deeper than ${MAX_DEPTH} levels, and no setting is nested more than 3 (e.g. web.healthCheck.path); remove the nesting`,
      });
      continue;
    }
    for (const [k, v] of Object.entries(value)) {
      if (k === "__proto__")
        problems.push({ key: keyOf([...at, k]), value: v, fix: "is not a setting (and a name JavaScript objects cannot hold); remove it" });
      else pending.push({ value: v, path: [...at, Array.isArray(value) ? Number(k) : k] });
    }
  }
  return problems;
}

/** The JSON Schema alternatives of the section at a path (one, or one per `type`/`mode`). */
function sectionsAt(schema: unknown, p: Path): Record<string, unknown>[] {
  let nodes: unknown[] = [schema];
  for (const part of p) {
    nodes = nodes
      .flatMap(options)
      .flatMap((n) => (isObject(n) && isObject(n.properties) && typeof part === "string" && isObject(n.properties[part]) ? [n.properties[part]] : []));
  }
  return nodes.flatMap(options).filter((n): n is Record<string, unknown> => isObject(n) && isObject(n.properties));
}

/** The discriminating key of an alternative (`type: "s3"`, `mode: "step"`). */
function discriminator(section: Record<string, unknown>): { key: string; value: unknown } | undefined {
  const entry = Object.entries(section.properties as Record<string, unknown>).find(([, v]) => isObject(v) && "const" in v);
  return entry && { key: entry[0], value: (entry[1] as Record<string, unknown>).const };
}

/** The keys allowed at a path: those of the alternative the given section chose, else all. */
function knownKeysAt(schema: unknown, p: Path, given?: unknown): string[] {
  const sections = sectionsAt(schema, p);
  const chosen = sections.filter((s) => {
    const d = discriminator(s);
    return d !== undefined && isObject(given) && given[d.key] === d.value;
  });
  return [...new Set((chosen.length > 0 ? chosen : sections).flatMap((s) => Object.keys(s.properties as object)))];
}

/** For a key only another alternative of the section has, that alternative's discriminator. */
function alternativeOf(schema: unknown, p: Path, key: string): { key: string; value: unknown } | undefined {
  const sections = sectionsAt(schema, p);
  if (sections.length < 2) return undefined;
  const owners = sections.filter((s) => key in (s.properties as object));
  return owners.length === 1 ? discriminator(owners[0]) : undefined;
}

function options(node: unknown): unknown[] {
  if (!isObject(node)) return [];
  const alternatives = [node.oneOf, node.anyOf].find(Array.isArray) as unknown[] | undefined;
  return alternatives ? alternatives.flatMap(options) : [node];
}

let jsonSchema: unknown;
/** The schema as JSON Schema (for the keys a section knows). */
export function stackConfigJsonSchema(): Record<string, unknown> {
  jsonSchema ??= z.toJSONSchema(STACK_CONFIG_SCHEMA, { io: "input", unrepresentable: "any" });
  return jsonSchema as Record<string, unknown>;
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

/** The fix for issues the schema gives no message of its own. */
function genericFix(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code === "invalid_type") {
    const keys = knownKeysAt(stackConfigJsonSchema(), issue.path ?? []);
    if (issue.expected === "object") return `must be an object of settings (${keys.join(", ")}), not ${describeType(issue.input)}`;
    if (issue.expected === "array") return `must be a list, not ${describeType(issue.input)}`;
    if (issue.expected === "string") return `must be a string, not ${describeType(issue.input)}`;
    return `must be ${issue.expected}, not ${describeType(issue.input)}`;
  }
  return undefined;
}

/**
 * A union's issues as the alternative the input's type matched gives them (a relaxation:
 * `false` or `{ value, reason }`), or the first alternative's when it matched none; a union
 * without alternatives' issues (a discriminator no option has) as it is.
 */
function unionIssues(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
    const wrongType = (list: readonly z.core.$ZodIssue[]) => list.every((i) => i.code === "invalid_type" && i.path.length === 0);
    const chosen = issue.errors.find((list) => !wrongType(list)) ?? issue.errors[0];
    return unionIssues(chosen.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

function problemsOf(error: z.ZodError, input: unknown): Problem[] {
  const schema = stackConfigJsonSchema();
  return unionIssues(error.issues).flatMap((issue): Problem[] => {
    // A relaxation given as its value alone (`false` for `{ "value": false }`): the value's problem is the key's, as written.
    const parent = issue.path.slice(0, -1);
    const bare = issue.path[issue.path.length - 1] === "value" && !["object", "undefined"].includes(typeof valueAt(input, parent));
    const at = bare ? parent : issue.path;
    if (issue.code === "unrecognized_keys") {
      const given = valueAt(input, at);
      const known = knownKeysAt(schema, at, given);
      return issue.keys.map((k) => {
        const key = keyOf([...at, k]);
        const only = alternativeOf(schema, at, k);
        if (only)
          return {
            key,
            value: valueAt(input, [...at, k]),
            fix: `is a setting only with ${keyOf([...at, only.key])} ${JSON.stringify(only.value)}; set that, or remove ${k}`,
          };
        const near = similarTo(k, known, 1);
        const hint = near.length > 0 ? `did you mean ${keyOf([...at, near[0]])}? ` : "";
        return { key, value: valueAt(input, [...at, k]), fix: `is not a setting; ${hint}known keys here: ${known.join(", ") || "none"}` };
      });
    }
    const value = valueAt(input, at);
    if (typeof value === "number" && !Number.isFinite(value)) {
      return [{ key: keyOf(at), value, fix: `is a number too large to hold (it overflows to ${value}); ${issue.message}` }];
    }
    return [{ key: keyOf(at), value, fix: issue.message }];
  });
}

/**
 * The configuration from `overrides` (a `STACK_CONFIG` file's content) over the defaults;
 * throws a {@link ValidationError} listing every problem.
 */
export function resolveConfig(overrides: unknown = {}): StackConfig {
  if (!isObject(overrides)) throw new ValidationError([{ key: "(root)", value: overrides, fix: "the configuration must be a JSON object" }]);
  const structural = structuralProblems(overrides);
  if (structural.length > 0) throw new ValidationError(structural);
  const result = STACK_CONFIG_SCHEMA.safeParse(overrides, { error: genericFix });
  if (!result.success) throw new ValidationError(problemsOf(result.error, overrides));
  return result.data;
}

/**
 * Where `STACK_CONFIG` points: a relative path is taken from the directory the command was
 * started in (`INIT_CWD`, which npm and npx set, so `npm run` from a subdirectory reads the
 * file named there), else the current directory.
 */
export function stackConfigPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string | undefined {
  const file = env.STACK_CONFIG;
  if (!file) return undefined;
  return path.resolve(env.INIT_CWD ?? cwd, file);
}

/**
 * Reads `STACK_CONFIG` (a JSON file path) if set and resolves the configuration. The file may
 * carry comments (`//`, `/* *\/`) and trailing commas, as JSON5 reads it, so a configuration can
 * say why each value is what it is (`examples/`); plain JSON reads the same.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): StackConfig {
  const file = stackConfigPath(env, cwd);
  if (file === undefined) return resolveConfig({});
  const given = env.STACK_CONFIG;
  const shown = given === file ? "" : ` (read as ${file})`;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    throw new ValidationError([
      { key: "STACK_CONFIG", value: given, fix: `cannot read the file${shown}: ${reason}; point STACK_CONFIG at a JSON file or unset it` },
    ]);
  }
  let parsed: unknown;
  try {
    // A UTF-8 byte order mark, which some editors write, is not JSON.
    parsed = JSON5.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new ValidationError([
      { key: "STACK_CONFIG", value: given, fix: `is not valid JSON (comments and trailing commas are allowed)${shown}: ${(e as Error).message}` },
    ]);
  }
  return resolveConfig(parsed);
}
