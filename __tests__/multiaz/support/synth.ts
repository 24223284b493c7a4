/**
 * Test support for the multiaz constructs: synthesize a construct in a bare stack (also with
 * the `//` metadata a real synth keeps), and find a statement in an inline role policy.
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

/** The statement with `sid` of an inline role policy's document. */
export function statement(policy: Record<string, any>, sid: string): any {
  const found = JSON.parse(policy.policy).Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${policy.name}`);
  return found;
}
