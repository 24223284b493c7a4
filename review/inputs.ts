/**
 * Where the review finds its inputs: after `npm run plan`, every stack of
 * `cdktf.out/manifest.json` with its plan `plan-review/<stack>.plan.json`; or one plan JSON
 * from anywhere (a real account), optionally with the `cdk.tf.json` it was made from.
 */
import * as fs from "fs";
import * as path from "path";
import type { StackInput } from "./index";

interface Manifest {
  readonly stacks: Record<string, { readonly synthesizedStackPath: string }>;
}

function readJson<T = unknown>(file: string, what: string, fix: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new Error(`cannot read ${what} ${file}; ${fix}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${what} ${file} is not JSON (${(e as Error).message}); ${fix}`, { cause: e });
  }
}

/** Every stack of the synthesized app, with the plan `npm run plan` saved for it. */
export function manifestInputs(cdktfOut: string, planDir: string): StackInput[] {
  const manifest = readJson<Manifest>(path.join(cdktfOut, "manifest.json"), "the cdktf manifest", "run `npm run plan` first");
  return Object.entries(manifest.stacks).map(([stack, entry]) => {
    const synthesizedPath = path.join(cdktfOut, entry.synthesizedStackPath);
    const planPath = path.join(planDir, `${stack}.plan.json`);
    return {
      stack,
      plan: readJson<StackInput["plan"]>(planPath, `the plan of stack ${stack}`, "run `npm run plan` first"),
      planPath,
      synthesized: readJson(synthesizedPath, `the configuration of stack ${stack}`, "run `npm run plan` first"),
      synthesizedPath,
    };
  });
}

/** One plan JSON (`terraform show -json tfplan > plan.json`), with the configuration it was made from if known. */
export function planInput(stack: string, planPath: string, synthesizedPath?: string): StackInput {
  const fix = "make it with `terraform show -json tfplan > plan.json` in the stack's directory";
  const plan = readJson<StackInput["plan"]>(planPath, "the plan", fix);
  if (typeof plan !== "object" || plan === null || !("planned_values" in plan)) {
    throw new Error(`${planPath} has no planned_values: it is not the JSON of a saved plan; ${fix}`);
  }
  return {
    stack,
    plan,
    planPath,
    ...(synthesizedPath
      ? { synthesized: readJson(synthesizedPath, "the synthesized configuration", "give the cdk.tf.json the plan was made from"), synthesizedPath }
      : {}),
  };
}
