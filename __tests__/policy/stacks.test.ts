/**
 * The project's stacks against its own security checks, synthesized as `cdktf synth` writes
 * them (suppressions live in `//`, which `Testing.synth` strips): no open error, every
 * suppression used and explained, and the known exceptions reported as such.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { StackName } from "../../config/schema";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { ResourceGraph } from "../../lib/resource-graph";
import { buildStack } from "../../modules";
import { PolicyReport, checkStack, openErrors, suppressionsOf } from "../../policy";
import { MIN_REASON_LENGTH } from "../../policy/suppress";
import { Overrides, config, withTempDir } from "../helpers";

/** Checks one stack synthesized to disk exactly as main.ts does. */
function check(name: StackName, overrides: Overrides = {}): PolicyReport {
  const tf = withTempDir((dir) => {
    const result = synthesizeAtomically(path.join(dir, "cdktf.out"), [(app: App) => buildStack(app, name, config(overrides))]);
    return JSON.parse(fs.readFileSync(path.join(result.stackDirs[name], "cdk.tf.json"), "utf8"));
  });
  return checkStack(ResourceGraph.fromTerraformJson(tf), suppressionsOf(tf));
}

const summary = (r: PolicyReport) => r.findings.map((f) => `${f.rule.id} ${f.resource.type}${f.suppression ? " suppressed" : ""}`).sort();

describe("the stacks against the security checks", () => {
  let reports: Record<StackName, PolicyReport>;
  beforeAll(() => {
    reports = Object.fromEntries((["recovery", "multiaz", "web"] as const).map((n) => [n, check(n)])) as Record<StackName, PolicyReport>;
  });

  test.each(["recovery", "multiaz", "web"] as const)("%s: no open error, every suppression matches a finding and gives a reason", (name) => {
    const report = reports[name];
    expect(openErrors(report).map((f) => `${f.rule.id} ${f.resource.address}: ${f.message}`)).toEqual([]);
    expect(report.unusedSuppressions).toEqual([]);
    for (const f of report.findings.filter((x) => x.suppression)) expect(f.suppression!.reason.length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
  });

  test("recovery: the server's public IP (CKV_AWS_88) is a reported exception on the template and on the instance", () => {
    expect(summary(reports.recovery).filter((s) => s.startsWith("CKV_AWS_88"))).toEqual([
      "CKV_AWS_88 aws_instance suppressed",
      "CKV_AWS_88 aws_launch_template suppressed",
    ]);
    for (const f of reports.recovery.findings.filter((x) => x.rule.id === "CKV_AWS_88")) expect(f.suppression?.reason).toMatch(/its own public endpoint/);
  });

  test("multiaz: the group's launch template carries the same exception, with its own reason", () => {
    const finding = reports.multiaz.findings.find((f) => f.rule.id === "CKV_AWS_88");
    expect(finding?.resource.type).toBe("aws_launch_template");
    expect(finding?.suppression?.reason).toMatch(/package repositories .* before the takeover function moves the Elastic IP/);
  });

  test("web: plain HTTP, as the course ran it, is a reported exception until a certificate is set; with one the listener passes", () => {
    // GIVEN the default web stack THEN its HTTP listener's findings are suppressed with the reason
    const http = reports.web.findings.filter((f) => ["CKV_AWS_2", "CKV_AWS_103"].includes(f.rule.id));
    expect(http.map((f) => [f.rule.id, f.rule.severity, f.resource.type]).sort()).toEqual([
      ["CKV_AWS_103", "error", "aws_lb_listener"],
      ["CKV_AWS_2", "warning", "aws_lb_listener"],
    ]);
    for (const f of http) expect(f.suppression?.reason).toMatch(/web\.certificateArn/);
    // GIVEN a certificate WHEN checked THEN HTTP only redirects and HTTPS uses a TLS 1.2+ policy
    const https = check("web", { web: { certificateArn: "arn:aws:acm:ap-northeast-2:123456789012:certificate/0b5d3a8e-1c2f-4d6e-9a7b-3c4d5e6f7a8b" } });
    expect(https.findings.filter((f) => ["CKV_AWS_2", "CKV_AWS_103"].includes(f.rule.id))).toEqual([]);
  });
});
