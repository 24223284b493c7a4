/**
 * Times measured in a game day, fed back into the model. The file is JSON:
 *
 * ```json
 * {
 *   "measured": {
 *     "instanceLaunch": { "samples": [71, 84, 66, 93], "source": "game day 2027-01-14, ap-northeast-2" },
 *     "ec2Recovery": { "min": 150, "max": 420 }
 *   }
 * }
 * ```
 *
 * Each key is an assumption of `assumptions.ts`; `samples` (seconds, one per run) become the
 * prior as they are, `min`/`max` (and optionally `typical`) replace the stated range. Nothing
 * else is accepted, so a typo fails instead of being ignored.
 */
import { ASSUMPTION_KEYS } from "./assumptions";
import { AssumptionKey, AssumptionOverride, AssumptionOverrides } from "./types";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The overrides in a measurements file's text; fails naming the key, the value and the fix. */
export function parseMeasurements(text: string, file = "measurements"): AssumptionOverrides {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message}); write { "measured": { "<assumption>": { "samples": [seconds, ...] } } }`, { cause: e });
  }
  if (!isRecord(doc) || !isRecord(doc.measured) || Object.keys(doc).some((k) => k !== "measured")) {
    throw new Error(`${file}: expected exactly one key "measured" holding an object; write { "measured": { "<assumption>": { "samples": [seconds, ...] } } }`);
  }
  const overrides: Partial<Record<AssumptionKey, AssumptionOverride>> = {};
  for (const [key, value] of Object.entries(doc.measured)) {
    const where = `${file}: measured.${key}`;
    if (!(ASSUMPTION_KEYS as string[]).includes(key)) throw new Error(`${where}: unknown assumption; use one of ${ASSUMPTION_KEYS.join(", ")}`);
    if (!isRecord(value)) throw new Error(`${where} (${JSON.stringify(value)}): give { "samples": [...] } or { "min": s, "max": s }`);
    const allowed = "samples" in value ? ["samples", "source"] : ["min", "max", "typical", "source"];
    const extra = Object.keys(value).filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw new Error(`${where}: unknown field(s) ${extra.join(", ")}; allowed: ${allowed.join(", ")}`);
    if (value.source !== undefined && typeof value.source !== "string") throw new Error(`${where}.source (${JSON.stringify(value.source)}): must be a string`);
    overrides[key as AssumptionKey] = value as unknown as AssumptionOverride;
  }
  return overrides;
}

/**
 * The overrides of several measurements files (several game days): the samples of a key are
 * pooled across files; a key given as a range may appear in one file only, and never beside
 * samples of it, since two ranges (or a range and samples) cannot be pooled.
 */
export function mergeMeasurements(files: readonly { readonly file: string; readonly text: string }[]): AssumptionOverrides {
  const merged: Partial<Record<AssumptionKey, AssumptionOverride>> = {};
  const from: Partial<Record<AssumptionKey, string>> = {};
  for (const { file, text } of files) {
    for (const [key, o] of Object.entries(parseMeasurements(text, file)) as [AssumptionKey, AssumptionOverride][]) {
      const known = merged[key];
      if (known === undefined) {
        merged[key] = o;
        from[key] = file;
      } else if ("samples" in known && "samples" in o) {
        const sources = [...new Set([known.source, o.source].filter((s): s is string => s !== undefined))];
        merged[key] = { samples: [...known.samples, ...o.samples], ...(sources.length > 0 ? { source: sources.join("; ") } : {}) };
        from[key] = `${from[key]}, ${file}`;
      } else {
        throw new Error(`${file}: measured.${key} is also given in ${from[key]}, and only samples can be pooled; keep the range in one file`);
      }
    }
  }
  return merged;
}
