/** Test support for the web constructs: synthesize a construct on its own. */
import { Testing } from "cdktf";
import { Construct } from "constructs";
import { TerraformJson } from "../../helpers";

/** Synthesizes what `build` adds to a bare test stack, parsed. */
export function synthConstruct(build: (scope: Construct) => void): TerraformJson {
  return JSON.parse(Testing.synthScope(build)) as TerraformJson;
}
