/**
 * `npm run config-docs`: rewrites what is generated: from the configuration schema, the JSON
 * Schema file for editors and the README's configuration table (see config/docs.ts); from the
 * default stacks, the README's table of the recovery model's figures (review/readme-figures.ts)
 * and its tables of each stack's outputs (review/readme-outputs.ts).
 */
import * as fs from "fs";
import { CliIo, runIfEntryPoint } from "../lib/cli";
import { JSON_SCHEMA_FILE, README_FILE, renderJsonSchema, withKeyTable } from "../config/docs";
import { withDefaultFigures } from "../review/readme-figures";
import { withOutputTables } from "../review/readme-outputs";

/** Writes the generated files (their fixed places in the project); takes no arguments. */
export async function run(_argv: readonly string[], _env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  fs.writeFileSync(JSON_SCHEMA_FILE, renderJsonSchema());
  fs.writeFileSync(README_FILE, withOutputTables(withDefaultFigures(withKeyTable(fs.readFileSync(README_FILE, "utf8")))));
  io.stdout.write("wrote config/stack-config.schema.json and the README's configuration, model-figures and stack-outputs tables\n");
  return 0;
}

runIfEntryPoint(module, __filename, run);
