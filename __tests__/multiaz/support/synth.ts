/**
 * Test support for the multiaz constructs: synthesize a construct in a bare stack, and read
 * the IAM documents that constructs write with `Fn.jsonencode`, which cdktf renders as an HCL
 * expression rather than JSON.
 */
import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformJson, withTempDir } from "../../helpers";

/** Synthesizes what `build` adds to a bare test stack, parsed. */
export function synthConstruct(build: (scope: Construct) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build)) as TerraformJson;
}

/** The same, as `cdktf synth` writes it: with the `//` metadata (suppressions) that Testing.synth drops. */
export function fullSynthConstruct(build: (scope: Construct) => void): TerraformJson {
  return withTempDir((outdir) => {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "test");
    new AwsProvider(stack, "aws", { region: "ap-northeast-2" });
    build(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "test", "cdk.tf.json"), "utf8")) as TerraformJson;
  });
}

/**
 * The value of a `${jsonencode({...})}` expression as a plain object. References stay
 * strings in interpolation form (`${aws_eip.x.arn}`), so a test can `deref` them.
 */
export function jsonencoded(expression: string): any {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(expression);
  if (!m) throw new Error(`not a jsonencode() expression: ${expression.slice(0, 80)}`);
  const hcl = m[1];
  let json = "";
  for (let i = 0; i < hcl.length; ) {
    const c = hcl[i];
    if (c === '"') {
      // A string literal, copied verbatim with its escapes.
      let j = i + 1;
      while (hcl[j] !== '"') j += hcl[j] === "\\" ? 2 : 1;
      json += hcl.slice(i, j + 1);
      i = j + 1;
    } else if (hcl.startsWith(" = ", i)) {
      json += ": ";
      i += 3;
    } else if (/[A-Za-z_]/.test(c)) {
      // A bare reference such as aws_eip.name.arn.
      const ref = /^[A-Za-z_][A-Za-z0-9_.-]*/.exec(hcl.slice(i))![0];
      json += ["true", "false", "null"].includes(ref) ? ref : JSON.stringify(`\${${ref}}`);
      i += ref.length;
    } else {
      json += c;
      i += 1;
    }
  }
  return JSON.parse(json);
}

/** The statement with `sid` of an inline role policy's document. */
export function statement(policy: Record<string, any>, sid: string): any {
  const found = jsonencoded(policy.policy).Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${policy.name}`);
  return found;
}
