/**
 * The cross-stack tables: every failure mode of every stack, filled from recovery assessments,
 * the variant stacks among them under their base's title and their switch, the compared variants
 * not synthesized named, and the book's comparison beside them.
 */
import { assessTerraformJson } from "../../model";
import { comparisonReadme, rowForStack } from "../../review/comparison";
import { recoveryServer, terraform, webTier } from "../model/support/fixtures";
import { synthStack } from "../helpers";

describe("comparison tables", () => {
  test("each row shows outcome, percentiles, hull, RPO, mechanism and dominant term; the overview one cell per stack and mode", () => {
    // GIVEN a recovered server and a web tier
    const recovery = assessTerraformJson("recovery", terraform(recoveryServer()));
    const web = assessTerraformJson("web", terraform(webTier()));
    // WHEN tabulated
    const readme = comparisonReadme([rowForStack(recovery, "recovery.md"), rowForStack(web, "web.md")]);
    // THEN the overview has one line per mode, and each stack a row per mode with every column
    expect(readme).toContain(
      "| failure mode | [`recovery`: CloudWatch alarm -> EC2 recover](recovery.md) | [`web`: load balancer + Auto Scaling group across AZs](web.md) |",
    );
    expect(readme).toMatch(/^\| AZ outage \| not survived \| healed, P99 \d+ (s|min) \|$/m);
    expect(readme).toContain("| failure mode | outcome | RTO P50 / P90 / P99 | hull | RPO | mechanism | dominant term |");
    expect(readme).toMatch(
      /^\| host failure \| healed \| P50 \d+ s \/ P90 12 s \/ P99 12 s \| 7-12 s \| none \(interchangeable servers behind a load balancer\) \| load balancer .* \| load balancer marks the target unhealthy: .* \(100 %\) \|$/m,
    );
    expect(readme).toMatch(/^\| Elastic IP takeover failure \| does not apply \| - \| - \|/m);
    // AND the book's comparison stays beside ours
    expect(readme).toContain("| CloudWatch alarm -> EC2 recover | about 10 min | nothing lost (the EBS volume is kept) | yes | no: it dies with its AZ |");
    expect(readme).toContain("| Auto Scaling group across AZs | about 10 min | what was written since the last snapshot | yes | yes |");
  });

  test("a variant stack is a row like any stack: its base's title and its switch, assessed from its own synthesized JSON", () => {
    // GIVEN the two multiaz variants the review compares, synthesized as ordinary stacks with the defaults
    const rows = (["multiaz-efs", "multiaz-efs-warm-pool"] as const).map((id) => rowForStack(assessTerraformJson(id, synthStack(id).tf), `${id}.md`));
    // THEN each is titled by its base and switch, and assessed with its switch on: EFS keeps the data, the warm pool shortens the start
    expect(rows.map((r) => r.title)).toEqual([
      "`multiaz-efs`: Auto Scaling group across AZs, the state on EFS (`multiaz.efs.enabled`)",
      "`multiaz-efs-warm-pool`: Auto Scaling group across AZs, the state on EFS and a warm pool (`multiaz.warmPool.enabled`)",
    ]);
    expect(rows.map((r) => [r.assessment.stack, r.assessment.modes.host.rpo.kind, r.assessment.modes["az-outage"].outcome])).toEqual([
      ["multiaz-efs", "zero", "healed"],
      ["multiaz-efs-warm-pool", "zero", "healed"],
    ]);
    expect(rows[1].assessment.mechanisms.map((m) => m.kind)).toContain("warm-pool");
    expect(rows[0].assessment.mechanisms.map((m) => m.kind)).not.toContain("warm-pool");
    // AND with both reviewed, the README names no variant as missing; with none, it names both and how to add them
    expect(comparisonReadme(rows)).not.toContain("Not compared");
    const without = comparisonReadme([rowForStack(assessTerraformJson("recovery", terraform(recoveryServer())), "recovery.md")]);
    expect(without).toMatch(
      /^Not compared, as `stacks` does not name them: `multiaz-efs` \(the state on EFS .*\), `multiaz-efs-warm-pool` \(.*\)\. Add them to `stacks`/m,
    );
  });
});
