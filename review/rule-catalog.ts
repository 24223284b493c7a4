/**
 * The README's list of the security checks, from the rule catalog itself, so that a user of
 * checkov or trivy can match the ids with their own scanner's.
 */
import { Rule } from "../policy";
import { table } from "./markdown";

export function ruleCatalog(rules: readonly Rule[]): string {
  return [
    "## Security checks",
    "",
    "The project's own checks (`policy/`), run on every plan. An `error` fails the review unless",
    "the resource carries a suppression with its reason (`suppress()` in `policy/suppress.ts`); suppressed findings are listed",
    "in each report with that reason.",
    "",
    table(
      ["rule", "also checkov", "trivy", "severity", "a compliant resource"],
      rules.map((r) => [r.id, (r.checkov ?? []).join(", "), (r.trivy ?? []).join(", "), r.severity, r.title]),
    ),
    "",
  ].join("\n");
}
