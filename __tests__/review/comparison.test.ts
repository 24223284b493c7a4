/**
 * The cross-stack table: the notes' columns filled from recovery assessments, and the variant
 * rows built through the stack builders with their switch on.
 */
import { ModeAssessment, RecoveryAssessment } from "../../model";
import { comparisonReadme, rowForStack, variantRows } from "../../review/comparison";
import { config } from "../helpers";

const mode = (m: Partial<ModeAssessment>): ModeAssessment => ({ survives: false, rpo: { kind: "everything", reason: "lost" }, explanation: "", ...m });
const assessment = (stack: string, instance: Partial<ModeAssessment>, az: Partial<ModeAssessment>): RecoveryAssessment => ({
  stack,
  mechanisms: [],
  assumptions: [],
  modes: { instance: mode(instance), az: mode(az) },
});
const rto = (min: number, max: number) => ({ min, max, terms: [] });

describe("comparison table", () => {
  test("a row gives the VM failure's RTO and RPO, and the AZ outage's RTO where it is survived", () => {
    // GIVEN a stack that survives both, losing more after an AZ outage
    const survivor = assessment(
      "multiaz",
      { survives: true, rto: rto(120, 600), rpo: { kind: "zero", reason: "EBS kept" } },
      { survives: true, rto: rto(180, 900), rpo: { kind: "interval", seconds: 86400, reason: "newest AMI" } },
    );
    // AND one that survives only a VM failure
    const single = assessment("recovery", { survives: true, rto: rto(190, 600), rpo: { kind: "zero", reason: "EBS kept" } }, {});
    // WHEN tabulated
    const readme = comparisonReadme([rowForStack(survivor, "multiaz.md"), rowForStack(single, "recovery.md")], []);
    // THEN each row reads like the notes' table
    expect(readme).toContain("| [`multiaz`: Auto Scaling group across AZs](multiaz.md) | 2-10 min | 0 (EBS kept); after an AZ outage 24 h (newest AMI) | yes | yes (RTO 3-15 min) |");
    expect(readme).toContain("| [`recovery`: CloudWatch alarm -> EC2 recover](recovery.md) | 3-10 min | 0 (EBS kept) | yes | no |");
  });

  test("the variant rows are the multiaz stack synthesized with EFS, and with EFS and a warm pool", () => {
    // GIVEN the default configuration (no EFS, no warm pool) WHEN the variants are built
    const rows = variantRows(config());
    // THEN each is assessed from its own synthesized stack: EFS keeps the data, the warm pool shortens the start
    expect(rows.map((r) => r.title)).toEqual([
      "`multiaz` with its state on EFS (`multiaz.efs.enabled`)",
      "`multiaz` with EFS and a warm pool (`multiaz.warmPool.enabled`)",
    ]);
    expect(rows.map((r) => [r.assessment.stack, r.assessment.modes.instance.rpo.kind, r.assessment.modes.az.survives])).toEqual([
      ["multiaz", "zero", true],
      ["multiaz", "zero", true],
    ]);
    expect(rows[1].assessment.mechanisms.map((m) => m.kind)).toContain("warm-pool");
    expect(rows[0].assessment.mechanisms.map((m) => m.kind)).not.toContain("warm-pool");
  });
});
