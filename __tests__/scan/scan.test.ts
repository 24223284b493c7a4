/**
 * The checkov scan as CI runs it (`npm run scan`): every stack of every scan variant, as
 * synthesized and as planned offline, with the shipped skips. The default plans are the
 * shared ones of the test run; the variants are planned here. checkov runs with every HTTP
 * request routed to a local recorder, which must see none: the scan never calls home.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { spawn } from "child_process";
import { VENV_DIR } from "../../lib/python-tools";
import { CHECKOV_SKIPS, CheckovSkip } from "../../policy/checkov-skips";
import { ScanReport, ScanTarget, planVariants, scanTargets, skipProblems } from "../../scan";
import { SCAN_VARIANTS } from "../../scan/variants";
import { defaultOfflinePlans, withTempDirAsync } from "../helpers";

/** A skip of a check on a resource where it passes: the scan must call it stale. */
const STALE: CheckovSkip = {
  check: "CKV_AWS_158",
  address: "aws_cloudwatch_log_group.network_flow-logs_D7C94307",
  reason: "deliberately stale: the flow logs are encrypted with the stack key",
};

/** A TCP server on loopback that counts the connections made to it. */
async function recorder(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const PROXY_VARIABLES = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"];

describe("npm run scan", () => {
  let report: ScanReport;
  let targets: ScanTarget[];
  let connections: number;
  let probeConnections: number;

  beforeAll(async () => {
    const defaults = await defaultOfflinePlans();
    await withTempDirAsync(async (dir) => {
      const given = path.join(dir, "given");
      fs.mkdirSync(given);
      const planned = (variant: string, stack: string) => {
        if (variant !== "defaults") return undefined;
        const p = defaults[stack as keyof typeof defaults];
        const offlineSynthesized = path.join(given, `${stack}.cdk.tf.json`);
        const plan = path.join(given, `${stack}.plan.json`);
        fs.writeFileSync(offlineSynthesized, JSON.stringify(p.cdkTfJson));
        fs.writeFileSync(plan, JSON.stringify(p.plan));
        return { offlineSynthesized, plan };
      };
      targets = await planVariants(SCAN_VARIANTS, dir, undefined, planned);

      const rec = await recorder();
      const saved = Object.fromEntries(PROXY_VARIABLES.map((v) => [v, process.env[v]]));
      const savedNoProxy = [process.env.NO_PROXY, process.env.no_proxy];
      try {
        for (const v of PROXY_VARIABLES) process.env[v] = rec.url;
        delete process.env.NO_PROXY;
        delete process.env.no_proxy;
        // The recorder sees what the scan's Python would send: one probe request through it.
        await new Promise((resolve) =>
          spawn(path.join(VENV_DIR, "bin", "python"), ["-c", "import requests\ntry: requests.get('https://www.bridgecrew.cloud/api/v2/guidelines', timeout=5)\nexcept Exception: pass"], { env: process.env, stdio: "ignore" }).on("close", resolve),
        );
        probeConnections = rec.connections();
        report = await scanTargets(targets, path.join(dir, "checkov"), { skips: [...CHECKOV_SKIPS, STALE], requireEverySkipUsed: true });
        connections = rec.connections() - probeConnections;
      } finally {
        for (const [v, value] of Object.entries(saved)) if (value === undefined) delete process.env[v]; else process.env[v] = value;
        [process.env.NO_PROXY, process.env.no_proxy] = savedNoProxy;
        if (savedNoProxy[0] === undefined) delete process.env.NO_PROXY;
        if (savedNoProxy[1] === undefined) delete process.env.no_proxy;
        await rec.close();
      }
    });
  }, 600_000);

  test("covers every stack of every variant, as synthesized and as planned", () => {
    const expected = SCAN_VARIANTS.flatMap((v) => v.stacks.map((s) => `${s}/${v.name}`));
    for (const framework of ["terraform_json", "terraform_plan"]) {
      expect(report.rows.filter((r) => r.framework === framework).map((r) => r.target).sort()).toEqual([...expected].sort());
    }
    for (const row of report.rows) expect(row.passed).toBeGreaterThan(0);
  });

  test("every failed check is fixed or skipped with its reason: none is open", () => {
    expect(report.open.map((r) => `${r.target.stack}/${r.target.variant} ${r.framework} ${r.checkId} ${r.address}: ${r.checkName}`)).toEqual([]);
    const skipped = report.results.filter((r) => r.skippedBecause);
    expect(skipped.length).toBeGreaterThan(0);
    for (const r of skipped) expect(r.skippedBecause!.reason.length).toBeGreaterThanOrEqual(20);
    // Both sources are used: the skip list, and the constructs' suppressions of shared rules.
    expect(new Set(skipped.map((r) => r.skippedBecause!.source))).toEqual(new Set(["checkov-skips", "suppression"]));
  });

  test("every shipped skip matches a failed check; one that matches nothing is reported stale", () => {
    expect(report.staleSkips).toEqual([STALE]);
  });

  test("checkov makes no network request", () => {
    expect(probeConnections).toBeGreaterThan(0);
    expect(connections).toBe(0);
  });
});

describe("the skip list", () => {
  test("is valid as shipped", () => {
    expect(skipProblems(CHECKOV_SKIPS)).toEqual([]);
  });

  test("rejects a short reason, a malformed id or address, one of our own rules and a duplicate", () => {
    const problems = skipProblems([
      { check: "CKV_AWS_117", address: "aws_lambda_function.f", reason: "n/a" },
      { check: "AVD-AWS-0001", address: "aws_lambda_function.f", reason: "a reason long enough to read" },
      { check: "CKV_AWS_117", address: "not an address", reason: "a reason long enough to read" },
      { check: "CKV_AWS_88", address: "aws_instance.i", reason: "a reason long enough to read" },
      { check: "CKV_AWS_115", address: "aws_lambda_function.f", reason: "a reason long enough to read" },
      { check: "CKV_AWS_115", address: "aws_lambda_function.f", reason: "a reason long enough to read" },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/CKV_AWS_117 aws_lambda_function.f: the reason "n\/a" is shorter than 20 characters/),
      expect.stringMatching(/"AVD-AWS-0001" is not a checkov AWS check id/),
      expect.stringMatching(/"not an address" is not a resource address/),
      expect.stringMatching(/CKV_AWS_88 is one of the project's own rules; record it with suppress\(\)/),
      expect.stringMatching(/CKV_AWS_115 aws_lambda_function.f: listed twice/),
    ]);
  });
});
