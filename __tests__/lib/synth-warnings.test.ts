import { Annotations, App, TerraformStack } from "cdktf";
import { formatWarning, synthWarnings } from "../../lib/synth-warnings";
import { withTempDir } from "../helpers";

describe("synth warnings", () => {
  test("reads the warnings, not the infos, of every stack from the manifest", () => {
    withTempDir((outdir) => {
      const app = new App({ outdir, stackTraces: false });
      const a = new TerraformStack(app, "a");
      const b = new TerraformStack(app, "b");
      Annotations.of(a).addWarning("first");
      Annotations.of(a).addInfo("only information");
      Annotations.of(b).addWarning("second");
      app.synth();

      const warnings = synthWarnings(outdir);
      expect(warnings).toEqual([
        { stack: "a", constructPath: "a", message: "first" },
        { stack: "b", constructPath: "b", message: "second" },
      ]);
      expect(warnings.map(formatWarning)).toEqual(["warning (a): first", "warning (b): second"]);
    });
  });
});
