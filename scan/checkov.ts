/**
 * Runs checkov (the project-local install, see lib/python-tools.ts) over a directory tree
 * of Terraform JSON (`--framework terraform_json`, files `*.tf.json`) or plan JSON
 * (`--framework terraform_plan`, files `*.json`; a `cdk.tf.json` is no plan to it), both in one
 * process for every file below the root, and returns one result per check and resource.
 *
 * Offline by construction: no API key reaches checkov (BC_API_KEY and the Prisma keys are
 * removed from its environment), `--skip-download` and BC_SKIP_MAPPING=TRUE stop the fetch of
 * the platform's guidelines and id mapping (checkov/main.py), and
 * CKV_SKIP_PACKAGE_UPDATE_CHECK stops the PyPI version check of the banner
 * (checkov/common/util/banner.py); `--compact -o json` prints the results without code (not `--quiet`,
 * which leaves out the passed checks).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { requireTool } from "../lib/python-tools";

export type Framework = "terraform_json" | "terraform_plan";
export const FRAMEWORKS: readonly Framework[] = ["terraform_json", "terraform_plan"];

/** One check's verdict on one resource of one file. */
export interface CheckResult {
  readonly framework: Framework;
  /** The scanned file, relative to the scan root, with `/` separators. */
  readonly file: string;
  readonly checkId: string;
  readonly checkName: string;
  /** `type.name`, whatever form checkov printed it in (see {@link resourceAddress}). */
  readonly address: string;
  readonly result: "passed" | "failed" | "skipped";
  /** checkov's Python module of the check (`checkov.terraform.checks.resource.aws.X`), or its graph check base. */
  readonly checkClass: string;
}

/** Variables that would let checkov talk to the Bridgecrew / Prisma Cloud platform. */
const PLATFORM_VARIABLES = ["BC_API_KEY", "BC_API_URL", "PRISMA_API_URL", "BC_REPO_ID", "CKV_API_KEY"];

/** checkov's environment: the caller's, without platform credentials, with every call home switched off. */
export function checkovEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of PLATFORM_VARIABLES) delete env[name];
  return {
    ...env,
    BC_SKIP_MAPPING: "TRUE",
    CKV_SKIP_PACKAGE_UPDATE_CHECK: "true",
    CHECKOV_CREATE_MARKDOWN_HYPERLINKS: "false",
    LOG_LEVEL: "ERROR",
    PYTHONDONTWRITEBYTECODE: "1",
  };
}

/** The command line for these frameworks over `root` (one process: checkov starts in about 3 s, a stack scans in a fraction of that). */
export function checkovArgs(root: string, frameworks: readonly Framework[]): string[] {
  return ["-d", root, "--framework", ...frameworks, "--skip-download", "--compact", "-o", "json", "--soft-fail"];
}

interface RawRecord {
  check_id: string;
  check_name: string;
  file_path: string;
  resource: string;
  check_class?: string;
}
interface RawReport {
  check_type?: string;
  results?: { passed_checks?: RawRecord[]; failed_checks?: RawRecord[]; skipped_checks?: RawRecord[]; parsing_errors?: string[] };
  summary?: { parsing_errors?: number };
}

export class CheckovError extends Error {}

/**
 * The address of a result. checkov's terraform_json runner names the resources of its
 * Python checks `resource.<name>` (checkov/terraform_json/runner.py: `f"{block_type}.{entity_name}"`),
 * its graph checks `type.name`; the type is looked up by name in the file, where cdktf keeps
 * names unique.
 */
export function resourceAddress(resource: string, typesByName: ReadonlyMap<string, string>): string {
  if (!resource.startsWith("resource.")) return resource;
  const name = resource.slice("resource.".length);
  const type = typesByName.get(name);
  return type ? `${type}.${name}` : resource;
}

/** Resource types by name, of a `cdk.tf.json`. */
function typesByName(file: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const tf = JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    for (const [type, byName] of Object.entries(tf.resource ?? {})) for (const name of Object.keys(byName)) out.set(name, type);
  } catch {
    // Not a configuration: addresses stay as checkov printed them.
  }
  return out;
}

/** Parses checkov's `-o json` output (one report, or a list of reports, one per framework that found files), keeping `frameworks`' reports. */
export function parseCheckovOutput(stdout: string, root: string, frameworks: readonly Framework[]): CheckResult[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch (e) {
    throw new CheckovError(`checkov printed no JSON for ${frameworks.join(", ")} (${(e as Error).message}): ${stdout.slice(0, 300)}`);
  }
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as RawReport[];
  const out: CheckResult[] = [];
  const types = new Map<string, Map<string, string>>();
  for (const report of reports) {
    // A report without results (no file of its framework found) may carry no check_type.
    const framework = report.check_type as Framework | undefined;
    if (framework === undefined || !frameworks.includes(framework)) continue;
    const errors = report.results?.parsing_errors ?? [];
    if (errors.length > 0) throw new CheckovError(`checkov could not parse ${errors.join(", ")}`);
    const kinds = [
      ["passed", report.results?.passed_checks],
      ["failed", report.results?.failed_checks],
      ["skipped", report.results?.skipped_checks],
    ] as const;
    for (const [result, records] of kinds) {
      for (const r of records ?? []) {
        const file = r.file_path.replace(/^\/+/, "");
        if (!types.has(file)) types.set(file, typesByName(path.join(root, file)));
        out.push({
          framework,
          file,
          checkId: r.check_id,
          checkName: r.check_name,
          address: resourceAddress(r.resource, types.get(file)!),
          result,
          checkClass: r.check_class ?? "",
        });
      }
    }
  }
  return out;
}

/** Runs checkov for `frameworks` (one or more) over every file below `root`, in one process. */
export function runCheckov(root: string, frameworks: Framework | readonly Framework[], env: NodeJS.ProcessEnv = checkovEnv()): Promise<CheckResult[]> {
  const checkov = requireTool("checkov");
  const wanted: readonly Framework[] = typeof frameworks === "string" ? [frameworks] : frameworks;
  return new Promise((resolve, reject) => {
    const child = spawn(checkov, checkovArgs(root, wanted), { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", (e) => reject(new CheckovError(`cannot run ${checkov}: ${e.message}`)));
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString();
      if (code !== 0) {
        reject(new CheckovError(`checkov ${wanted.join(", ")} exited ${code}: ${(Buffer.concat(err).toString() || stdout).trim().slice(0, 2000)}`));
        return;
      }
      try {
        resolve(parseCheckovOutput(stdout, root, wanted));
      } catch (e) {
        reject(e);
      }
    });
  });
}
