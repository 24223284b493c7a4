/**
 * Loads the configuration: the defaults, deep-merged with the JSON file named by the
 * `STACK_CONFIG` environment variable (objects merge key by key, arrays and scalars replace).
 * Unknown keys are rejected so a typo cannot silently fall back to a default.
 */
import * as fs from "fs";
import { DEFAULT_CONFIG, ScalingConfig, StackConfig } from "./schema";
import { Problems, ValidationError } from "../lib/validation";
import { validateConfig } from "./validate";

/** Keys that have no default value but may be set (dotted paths; `*` matches any key). */
export const OPTIONAL_KEYS: ReadonlySet<string> = new Set([
  "network.natGateways",
  "dns.zoneId",
  "backend.bucket",
  "backend.keyPrefix",
  "backend.region",
  "backend.encrypt",
  "backend.useLockfile",
  "tags.*",
  "recovery.sshCidr",
  "multiaz.sshCidr",
  "multiaz.fixedAmiId",
  "web.minSize",
  "web.maxSize",
  "web.stickinessSeconds",
  "web.certificateArn",
  "web.accessLogsBucket",
  "web.appBServerName",
  "web.scaling.highCpuPercent",
  "web.scaling.lowCpuPercent",
  "web.scaling.periodSeconds",
  "web.scaling.evaluationPeriods",
]);

export const SCALING_DEFAULTS: { readonly [M in ScalingConfig["mode"]]: Extract<ScalingConfig, { mode: M }> } = {
  target_tracking: { mode: "target_tracking", targetCpuPercent: 50, warmupSeconds: 300 },
  step: { mode: "step", highCpuPercent: 80, lowCpuPercent: 20, periodSeconds: 300, evaluationPeriods: 1, warmupSeconds: 300 },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge: objects key by key, everything else (arrays included) replaced by `override`. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isObject(base) || !isObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge((base as Record<string, unknown>)[k], v);
  return out as T;
}

function unknownKeys(defaults: unknown, given: unknown, path: string, problems: Problems): void {
  if (!isObject(given)) return;
  for (const [k, v] of Object.entries(given)) {
    const key = path ? `${path}.${k}` : k;
    const wildcard = path ? `${path}.*` : "*";
    if (OPTIONAL_KEYS.has(wildcard)) continue;
    const known = isObject(defaults) && k in defaults;
    if (!known && !OPTIONAL_KEYS.has(key)) {
      const siblings = isObject(defaults) ? Object.keys(defaults) : [];
      const optional = [...OPTIONAL_KEYS].filter((o) => o.slice(0, o.lastIndexOf(".")) === path).map((o) => o.slice(o.lastIndexOf(".") + 1));
      problems.add(key, v, `is not a setting; known keys here: ${[...siblings, ...optional].join(", ") || "none"}`);
    } else if (known) {
      unknownKeys((defaults as Record<string, unknown>)[k], v, key, problems);
    }
  }
}

/**
 * Merges `overrides` over the defaults, fills the defaults of the chosen scaling mode, and
 * validates; throws a {@link ValidationError} listing every problem.
 */
export function resolveConfig(overrides: unknown = {}): StackConfig {
  const problems = new Problems();
  if (!isObject(overrides)) {
    problems.add("(root)", overrides, "the configuration must be a JSON object");
    problems.throwIfAny();
  }
  unknownKeys(DEFAULT_CONFIG, overrides, "", problems);
  problems.throwIfAny();

  const merged = deepMerge(DEFAULT_CONFIG, overrides);
  const scalingOverride = isObject(overrides) && isObject(overrides.web) ? overrides.web.scaling : undefined;
  const mode = merged.web.scaling.mode;
  const scaling =
    mode in SCALING_DEFAULTS
      ? deepMerge(SCALING_DEFAULTS[mode], scalingOverride)
      : merged.web.scaling;
  const config: StackConfig = { ...merged, web: { ...merged.web, scaling } };
  validateConfig(config);
  return config;
}

/** Reads `STACK_CONFIG` (a JSON file path) if set and resolves the configuration. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const file = env.STACK_CONFIG;
  if (!file) return resolveConfig({});
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ValidationError([{ key: "STACK_CONFIG", value: file, fix: `cannot read the file (${(e as Error).message}); point STACK_CONFIG at a JSON file or unset it` }]);
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (e) {
    throw new ValidationError([{ key: "STACK_CONFIG", value: file, fix: `is not valid JSON: ${(e as Error).message}` }]);
  }
  return resolveConfig(parsed);
}
