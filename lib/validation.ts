/**
 * Validation that reports every problem at once, each naming the setting, the value given
 * and what is allowed. The configuration schema reports a user's settings as a
 * {@link ValidationError}, which `main.ts` prints one line per problem before exiting
 * non-zero with nothing written; constructs check their props with a {@link Problems}
 * collector too, and report what their caller got wrong as a programmer error at their path.
 */
import type { IConstruct } from "constructs";

/** One invalid setting. */
export interface Problem {
  /** Dotted path of the setting, e.g. `recovery.recoverEvaluationPeriods`. */
  readonly key: string;
  /** The value that was given. */
  readonly value: unknown;
  /** What is wrong and what is allowed, phrased as the fix. */
  readonly fix: string;
}

export function formatProblem(p: Problem): string {
  return `${p.key} (${formatValue(p.value)}): ${p.fix}`;
}

function formatValue(value: unknown): string {
  if (value === undefined) return "not set";
  // JSON has no Infinity or NaN: a number that overflowed would show as null.
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

export class ValidationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      problems.length === 1
        ? `Invalid configuration: ${formatProblem(problems[0])}`
        : `Invalid configuration (${problems.length} problems):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`,
    );
    this.name = "ValidationError";
  }
}

/** Collects problems under a key prefix; `throwIfAny` ends validation. */
export class Problems {
  private readonly found: Problem[] = [];

  constructor(private readonly prefix = "") {}

  add(key: string, value: unknown, fix: string): void {
    this.found.push({ key: this.prefix ? `${this.prefix}.${key}` : key, value, fix });
  }

  /** Adds a problem unless `value` is an integer in [min, max]; returns whether it was. */
  integerInRange(key: string, value: number | undefined, min: number, max: number): boolean {
    if (value === undefined) return true;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.add(key, value, `must be a whole number from ${min} to ${max}`);
      return false;
    }
    return true;
  }

  /** Adds a problem unless `value` is one of `allowed`. */
  oneOf<T>(key: string, value: T | undefined, allowed: readonly T[]): boolean {
    if (value === undefined || allowed.includes(value)) return true;
    this.add(key, value, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
    return false;
  }

  get list(): readonly Problem[] {
    return this.found;
  }

  throwIfAny(): void {
    if (this.found.length > 0) throw new ValidationError(this.found);
  }

  /**
   * Ends a construct's check of its props: what its caller got wrong is a programmer error,
   * scoped to the construct's path (users' settings are checked before, by the schema).
   */
  throwIfAnyAt(scope: IConstruct): void {
    if (this.found.length > 0) throw new Error(`${scope.node.path}: ${this.found.map(formatProblem).join("; ")}`);
  }
}
