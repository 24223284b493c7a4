/** The few Markdown pieces the review is written with. */

/** A table cell: pipes escaped, line breaks flattened, empty shown as a dash. */
export function cell(value: unknown): string {
  const text = value === undefined || value === null || value === "" ? "-" : String(value);
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** A Markdown table; `rows` hold raw values, escaped here. */
export function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return [header, header.map(() => "---"), ...rows.map((r) => r.map(cell))].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

/** Inline code, with backticks inside it escaped by a longer fence. */
export function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  return `${fence}${text}${fence}`;
}
