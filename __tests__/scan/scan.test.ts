/**
 * The checkov scan as CI runs it (`npm run scan`): every stack of every scan variant, as
 * synthesized and as planned offline, with the shipped skips. The plans other test files make
 * too are the shared ones of the test run (see its beforeAll); the other variants are planned here. checkov runs with every HTTP
 * request routed to a local recorder, which must see none: the scan never calls home.
 */
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { spawn } from "child_process";
import { VENV_DIR } from "../../lib/python-tools";
import { CHECKOV_SKIPS, CheckovSkip } from "../../policy/checkov-skips";
import { RULES, Rule, checkStack, findRule } from "../../policy";
import { ResourceGraph } from "../../lib/resource-graph";
import { CheckResult, runCheckov } from "../../scan/checkov";
import { CASES } from "../policy/rule-fixtures";
import { ScanReport, ScanTarget, planVariants, scanTargets, skipProblems } from "../../scan";
import { SCAN_VARIANTS } from "../../scan/variants";
import { OfflinePlan, defaultOfflinePlans, sharedOfflinePlan, withTempDirAsync } from "../helpers";

/** A skip of a check on a resource where it passes: the scan must call it stale. */
const STALE: CheckovSkip = {
  check: "CKV2_AWS_31",
  address: "aws_wafv2_web_acl.waf_web-acl_54BA89C4",
  reason: "deliberately stale: the web ACL logs its blocked requests to a log group",
};

/** One resource judged by one of our rules and by checkov's check of the same id. */
interface Comparison {
  readonly input: string;
  readonly check: string;
  readonly address: string;
  readonly ours: "compliant" | "non-compliant";
  readonly checkov: "passed" | "failed";
}

/** Our rule's verdict on every resource it checks: unknown ones left out (they are no verdict). */
function ourVerdicts(graph: ResourceGraph, rule: Rule): Map<string, "compliant" | "non-compliant"> {
  const report = checkStack(graph, new Map(), [rule]);
  const failed = new Set(report.findings.map((f) => f.resource.address));
  const unknown = new Set(report.unknowns.map((u) => u.resource.address));
  const out = new Map<string, "compliant" | "non-compliant">();
  for (const type of rule.resourceTypes) {
    for (const node of graph.ofType(type)) if (!unknown.has(node.address)) out.set(node.address, failed.has(node.address) ? "non-compliant" : "compliant");
  }
  return out;
}

/** Every resource both judged, for the checkov ids our rules share. */
function compare(results: readonly { input: string; graph: () => ResourceGraph; checkId: string; address: string; result: string }[]): Comparison[] {
  const graphs = new Map<string, ResourceGraph>();
  const verdicts = new Map<string, Map<string, "compliant" | "non-compliant">>();
  const out: Comparison[] = [];
  for (const r of results) {
    if (r.result === "skipped") continue;
    const rule = findRule(r.checkId);
    if (!rule || ![rule.id, ...(rule.checkov ?? [])].includes(r.checkId)) continue;
    if (!graphs.has(r.input)) graphs.set(r.input, r.graph());
    const key = `${r.input} ${rule.id}`;
    if (!verdicts.has(key)) verdicts.set(key, ourVerdicts(graphs.get(r.input)!, rule));
    // checkov may judge a neighbour (CKV2_AWS_15: the aws_autoscaling_attachment): our verdict
    // is then the one on the resource of our rule's types that it refers to.
    const graph = graphs.get(r.input)!;
    let subject = r.address;
    if (!rule.resourceTypes.includes(r.address.split(".")[0])) {
      const node = rule.resourceTypes.length > 0 ? graph.ofType(r.address.split(".")[0]).find((n) => n.address === r.address) : undefined;
      const target =
        node &&
        Object.keys(node.references)
          .flatMap((a) => graph.referenced(node, a))
          .find((n) => rule.resourceTypes.includes(n.type));
      if (!target) continue;
      subject = target.address;
    }
    const ours = verdicts.get(key)!.get(subject);
    if (ours === undefined) continue;
    out.push({ input: r.input, check: r.checkId, address: r.address, ours, checkov: r.result as "passed" | "failed" });
  }
  return out;
}

const disagrees = (c: Comparison) => (c.ours === "compliant") !== (c.checkov === "passed");

/**
 * Where checkov and our rules disagree on a resource, and AWS says we are right: checkov's
 * quirks, each with the check's source file (checkov 3.3.30, checkov/terraform/checks/...).
 * The test fails on any other disagreement, and on a quirk that no longer shows.
 */
const CHECKOV_QUIRKS: readonly { readonly check: string; readonly input: RegExp; readonly address: string; readonly source: string; readonly why: string }[] = [
  {
    check: "CKV_AWS_46",
    input: /^fixture CKV_AWS_46-\d+-non-compliant$/,
    address: "aws_instance.server",
    source: "resource/aws/EC2Credentials.py",
    why: "looks only for the secrets its detect-secrets plugins know (AWS keys and the like); a password assignment in user data passes, though anyone with ec2:DescribeInstanceAttribute reads it",
  },
  {
    check: "CKV_AWS_23",
    input: /^fixture CKV_AWS_23-\d+-non-compliant$/,
    address: "aws_security_group.web",
    source: "resource/aws/SecurityGroupRuleDescription.py",
    why: 'accepts any description, also the provider\'s placeholder "Managed by Terraform", which says nothing of what the group is for',
  },
];

const quirk = (c: Comparison) =>
  CHECKOV_QUIRKS.find(
    (q) => q.check === c.check && q.input.test(c.input) && new RegExp(`^${q.address.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`).test(c.address),
  );

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
  let fixtureResults: CheckResult[];
  const fixtures = new Map<string, object>();
  /** The scanned files' contents, read before the temporary directory goes. */
  const contents = new Map<string, unknown>();

  beforeAll(async () => {
    // The plans other test files make too come from the test run's shared ones: the defaults,
    // the experiments variant (modules/experiments.test.ts) and the variant stack
    // multiaz-efs-warm-pool (modules/multiaz.terraform.test.ts); the scan plans the others.
    const experiments = SCAN_VARIANTS.find((v) => v.name === "experiments")!;
    const [defaults, experimentPlans, efsWarmPool] = await Promise.all([
      defaultOfflinePlans(),
      sharedOfflinePlan([...experiments.stacks], experiments.overrides),
      sharedOfflinePlan(["multiaz-efs-warm-pool"]),
    ]);
    // A variant stack is scanned as the variant "defaults" (scan/variants.ts VARIANT_STACKS).
    const shared: Record<string, Record<string, OfflinePlan>> = { defaults: { ...defaults, ...efsWarmPool }, experiments: experimentPlans };
    await withTempDirAsync(async (dir) => {
      const given = path.join(dir, "given");
      fs.mkdirSync(given);
      const planned = (variant: string, stack: string) => {
        const p = shared[variant]?.[stack];
        if (!p) return undefined;
        const offlineSynthesized = path.join(given, `${variant}-${stack}.cdk.tf.json`);
        const plan = path.join(given, `${variant}-${stack}.plan.json`);
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
          spawn(
            path.join(VENV_DIR, "bin", "python"),
            ["-c", "import requests\ntry: requests.get('https://www.bridgecrew.cloud/api/v2/guidelines', timeout=5)\nexcept Exception: pass"],
            { env: process.env, stdio: "ignore" },
          ).on("close", resolve),
        );
        probeConnections = rec.connections();
        // Each rule's fixtures, one directory each (graph checks join a directory's resources).
        const fixtureRoot = path.join(dir, "fixtures");
        CASES.forEach((c, i) => {
          for (const [kind, resource] of [
            ["compliant", c.compliant],
            ["non-compliant", c.nonCompliant],
          ] as const) {
            const name = `${c.rule.id}-${i + 1}-${kind}`;
            fs.mkdirSync(path.join(fixtureRoot, name), { recursive: true });
            fs.writeFileSync(path.join(fixtureRoot, name, "cdk.tf.json"), JSON.stringify({ resource }, null, 2));
            fixtures.set(`${name}/cdk.tf.json`, { resource });
          }
        });
        [report, fixtureResults] = await Promise.all([
          scanTargets(targets, path.join(dir, "checkov"), { skips: [...CHECKOV_SKIPS, STALE], requireEverySkipUsed: true }),
          runCheckov(fixtureRoot, "terraform_json"),
        ]);
        for (const t of targets) for (const f of [t.synthesized, t.plan]) if (f && !contents.has(f)) contents.set(f, JSON.parse(fs.readFileSync(f, "utf8")));
        connections = rec.connections() - probeConnections;
      } finally {
        for (const [v, value] of Object.entries(saved))
          if (value === undefined) delete process.env[v];
          else process.env[v] = value;
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
      expect(
        report.rows
          .filter((r) => r.framework === framework)
          .map((r) => r.target)
          .sort(),
      ).toEqual([...expected].sort());
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

  test("our rules and checkov agree per resource on every stack, variant and fixture, but for checkov's recorded quirks", () => {
    const graphOf = (file: string, plan: boolean) => () => {
      const json = contents.get(file) as object;
      return plan ? ResourceGraph.fromPlanJson(json) : ResourceGraph.fromTerraformJson(json);
    };
    const comparisons = compare([
      ...report.results.map((r) => ({
        input: `${r.target.stack}/${r.target.variant} ${r.framework}`,
        graph: graphOf(r.framework === "terraform_plan" ? r.target.plan! : r.target.synthesized, r.framework === "terraform_plan"),
        checkId: r.checkId,
        address: r.address,
        result: r.result,
      })),
      ...fixtureResults.map((r) => ({
        input: `fixture ${r.file.split("/")[0]}`,
        graph: () => ResourceGraph.fromTerraformJson(fixtures.get(r.file)!),
        checkId: r.checkId,
        address: r.address,
        result: r.result,
      })),
    ]);
    // Every rule is compared somewhere (checkov leaves some fixtures unjudged, e.g. an unset hop limit).
    for (const rule of RULES) {
      const mine = comparisons.filter((c) => [rule.id, ...(rule.checkov ?? [])].includes(c.check));
      expect([rule.id, mine.length > 0]).toEqual([rule.id, true]);
    }
    const unexplained = comparisons.filter((c) => disagrees(c) && !quirk(c));
    expect(unexplained.map((c) => `${c.input}: ${c.check} ${c.address}: ours ${c.ours}, checkov ${c.checkov}`)).toEqual([]);
    const shown = new Set(comparisons.filter(disagrees).map((c) => quirk(c)));
    expect(CHECKOV_QUIRKS.filter((q) => !shown.has(q)).map((q) => `${q.check} ${q.source}`)).toEqual([]);
  });

  test("every id of our catalog is a checkov check id (checkov's own sources)", () => {
    const root = path.join(VENV_DIR, "lib");
    const checks = path.join(
      root,
      fs.readdirSync(root).find((d) => d.startsWith("python"))!,
      "site-packages",
      "checkov",
      "terraform",
      "checks",
    );
    const ids = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(py|json|yaml)$/.test(e.name)) for (const m of fs.readFileSync(p, "utf8").matchAll(/["'](CKV2?_AWS_\d+)["']/g)) ids.add(m[1]);
      }
    };
    walk(checks);
    expect(RULES.flatMap((r) => [r.id, ...(r.checkov ?? [])]).filter((id) => !ids.has(id))).toEqual([]);
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
