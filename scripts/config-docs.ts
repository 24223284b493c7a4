/**
 * `npm run config-docs`: rewrites what is generated from the configuration schema, the JSON
 * Schema file for editors and the README's configuration table (see config/docs.ts).
 */
import * as fs from "fs";
import { JSON_SCHEMA_FILE, README_FILE, renderJsonSchema, withKeyTable } from "../config/docs";

fs.writeFileSync(JSON_SCHEMA_FILE, renderJsonSchema());
fs.writeFileSync(README_FILE, withKeyTable(fs.readFileSync(README_FILE, "utf8")));
process.stdout.write("wrote config/stack-config.schema.json and the README's configuration table\n");
