/**
 * The plan review generated from real offline plans of all three stacks (one terraform plan
 * each, made once), laid out as `npm run plan` leaves them; then the same review through the
 * CLI, for the whole app and for one plan JSON as it would come from a real account.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ResourceGraph } from "../../lib/resource-graph";
import { checkStack, suppressionsOf } from "../../policy";
import { WrittenStack, writeReview, writeStackReview } from "../../review";
import { architectureDot } from "../../review/diagram";
import { manifestInputs } from "../../review/inputs";
import { OfflinePlan, defaultOfflinePlans } from "../helpers";
import { run as review } from "../../scripts/review";
import { entryArgs, runInProcess } from "../run-path";

const STACK_NAMES = ["recovery", "multiaz", "web"] as const;
const ROOT = path.resolve(__dirname, "..", "..");

/** Entities Graphviz writes into SVG text ("-" as &#45;), decoded. */
const svgText = (file: string) => fs.readFileSync(file, "utf8").replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

/** Runs the review CLI as `npm run review` runs it: a Node process through scripts/run.js. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = spawnSync(process.execPath, entryArgs("scripts/review.ts", ...args), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same command in this process (its `run`). */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = await runInProcess(review, args, { ...process.env, ...env }, ROOT);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The rows of the Markdown tables in `markdown` whose first cell matches `first`, split into cells. */
function rows(markdown: string, first: RegExp): string[][] {
  return markdown
    .split("\n")
    .filter((l) => l.startsWith("| ") && first.test(l.split(" | ")[0].slice(2)))
    .map((l) => l.slice(2, -2).split(" | "));
}

/** The one such row. */
function row(markdown: string, first: RegExp): string[] {
  const found = rows(markdown, first);
  if (found.length !== 1) throw new Error(`${found.length} table rows start with ${first} in:\n${markdown}`);
  return found[0];
}

/** The text under a heading, up to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length;
  const start = markdown.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, "m"));
  return end < 0 ? rest : rest.slice(0, end);
}

describe("plan review from real offline plans", () => {
  let work: string;
  let plans: Record<string, OfflinePlan>;
  let written: { stacks: WrittenStack[]; readme: string };
  const read = (file: string) => fs.readFileSync(path.join(work, "plan-review", file), "utf8");

  beforeAll(async () => {
    // GIVEN the three stacks planned offline, saved where `npm run plan` saves them
    plans = await defaultOfflinePlans();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "plan-review-test-"));
    const manifest: Record<string, { synthesizedStackPath: string }> = {};
    for (const name of STACK_NAMES) {
      const stackDir = path.join(work, "cdktf.out", "stacks", name);
      fs.mkdirSync(stackDir, { recursive: true });
      fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(plans[name].cdkTfJson));
      manifest[name] = { synthesizedStackPath: `stacks/${name}/cdk.tf.json` };
    }
    fs.writeFileSync(path.join(work, "cdktf.out", "manifest.json"), JSON.stringify({ stacks: manifest }));
    fs.mkdirSync(path.join(work, "plan-review"));
    for (const name of STACK_NAMES) fs.writeFileSync(path.join(work, "plan-review", `${name}.plan.json`), JSON.stringify(plans[name].plan));
    // WHEN the review is generated
    written = await writeReview(path.join(work, "plan-review"), manifestInputs(path.join(work, "cdktf.out"), path.join(work, "plan-review")));
  }, 300_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test("writes a report and a picture per stack, and the README", () => {
    expect(
      fs
        .readdirSync(path.join(work, "plan-review"))
        .filter((f) => !f.endsWith(".plan.json"))
        .sort(),
    ).toEqual(["README.md", "multiaz.md", "multiaz.svg", "recovery.md", "recovery.svg", "web.md", "web.svg"]);
    expect(written.stacks.map((s) => [s.stack, s.openErrors.length])).toEqual([
      ["recovery", 0],
      ["multiaz", 0],
      ["web", 0],
    ]);
  });

  test("draws the picture with no Graphviz program on the machine: Graphviz runs in process", async () => {
    // GIVEN a PATH with no `dot` (nor anything else) WHEN one stack's review is written
    const out = path.join(work, "no-path");
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    let stack: WrittenStack;
    try {
      stack = await writeStackReview(out, manifestInputs(path.join(work, "cdktf.out"), path.join(work, "plan-review"))[0]);
    } finally {
      process.env.PATH = saved;
    }
    // THEN the report and its picture are written, the picture an SVG of the stack
    expect(fs.readdirSync(out).sort()).toEqual([`${stack.stack}.md`, `${stack.stack}.svg`]);
    expect(svgText(path.join(out, `${stack.stack}.svg`))).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*>ap-northeast-2a</);
  });

  test("the README holds every stack's verdict per failure mode, the compared variants not synthesized, and the book's comparison", () => {
    const readme = read("README.md");
    const stackSection = (heading: RegExp) => {
      const title = readme.split("\n").find((l) => l.startsWith("### ") && heading.test(l.slice(4)));
      if (!title) throw new Error(`no section ${heading}`);
      return section(readme, title);
    };
    const P = /^P50 \d+ (s|min) \/ P90 \d+ (s|min) \/ P99 \d+ (s|min)$/;
    // EC2 recovery heals a host failure with no data lost, and dies with its AZ (the data unavailable, not lost).
    const recovery = stackSection(/^\[`recovery`: CloudWatch alarm -> EC2 recover\]\(recovery\.md\)$/);
    const host = row(recovery, /^host failure$/);
    expect(host[1]).toBe("healed");
    expect(host[2]).toMatch(P);
    expect(host[4]).toBe("0 (EBS kept)");
    expect(row(recovery, /^AZ outage$/).slice(1, 5)).toEqual(["not survived", "-", "-", expect.stringMatching(/^0 lost, unavailable until the AZ returns/)]);
    // The group survives the AZ, and loses what was written since the last image.
    const multiaz = stackSection(/^\[`multiaz`: Auto Scaling group across AZs\]/);
    const az = row(multiaz, /^AZ outage$/);
    expect(az[1]).toBe("healed");
    expect(az[2]).toMatch(P);
    expect(az[4]).toMatch(/^up to 26 h 1 min \(/);
    expect(row(multiaz, /^AMI pipeline stall$/)[1]).toBe("alarmed");
    // The load-balanced tier, and the variants with state on EFS.
    expect(row(stackSection(/^\[`web`/), /^host failure$/).slice(1, 5)).toEqual([
      "healed",
      expect.stringMatching(P),
      "7-12 s",
      "none (interchangeable servers behind a load balancer)",
    ]);
    // The variants the review compares are stacks of their own: not synthesized here, they are named with how to add them.
    expect(readme).toMatch(/^Not compared, as `stacks` does not name them: `multiaz-efs` .*, `multiaz-efs-warm-pool` /m);
    // The overview: one line per mode, a cell per stack.
    expect(row(readme.split("\n### ")[0], /^application hang$/)).toHaveLength(4);
    // The book's comparison stays beside ours.
    expect(readme).toContain("| CloudWatch alarm -> EC2 recover | about 10 min | nothing lost (the EBS volume is kept) | yes | no: it dies with its AZ |");
    // And the checks behind each report's findings, by their scanner ids.
    expect(row(readme, /^CKV_AWS_2$/)).toEqual(["CKV_AWS_2", "-", "AWS-0054", "warning", expect.stringMatching(/HTTPS/)]);
  });

  test("each report has the recovery table, the routes' terms, the claims, the assumptions with sources, and links its picture", () => {
    const report = read("recovery.md");
    const modes = section(report, "## Recovery");
    expect(row(modes, /^host failure$/).slice(1, 2)).toEqual(["healed"]);
    expect(row(modes, /^AZ outage$/)[1]).toBe("not survived");
    // An assumed term is marked in the route's terms and sourced in the assumptions.
    const host = section(report, "### host failure");
    expect(rows(host, /^recover alarm /).find((r) => /^EC2 recovery: instance moved to a new host/.test(r[1]))?.[3]).toBe("assumption, see below");
    expect(host).toMatch(/^Claim: inject .*; must hold: last failed probe within \d+ min of the injection/m);
    expect(row(section(report, "### Assumptions"), /^EC2 recovery: instance moved to a new host/)[3]).toMatch(/docs\.aws\.amazon\.com/);
    expect(report).toContain("![architecture of stack recovery](recovery.svg)");
  });

  test("security findings are listed with their ids; the intended exception shows as suppressed with its reason", () => {
    const recovery = read("recovery.md");
    expect(recovery).toContain("0 open error(s), 0 open warning(s), 3 suppressed.");
    const findings = rows(section(recovery, "## Security checks"), /^error$/);
    expect(findings.map((f) => [f[1], f[2].replace(/_[0-9A-F]{8}`/, "`"), f[4].slice(0, 50)])).toEqual([
      ["CKV_AWS_88, AWS-0009", "`aws_instance.server_instance` (server/instance)", "suppressed: This server is its own public endpoint"],
      [
        "CKV_AWS_88, AWS-0009",
        "`aws_launch_template.server_launch-template` (server/launch-template/launch-template)",
        "suppressed: This server is its own public endpoint",
      ],
      ["CKV_AWS_8, CKV_AWS_3, AWS-0131, AWS-0008", "`aws_instance.server_instance` (server/instance)", "suppressed: the root volume is encrypted by the la"],
    ]);
    // The web tier runs plain HTTP, as the course did: a reported exception until a certificate is set.
    const web = rows(section(read("web.md"), "## Security checks"), /^warning$/).find((f) => f[1].startsWith("CKV_AWS_2,"));
    expect(web && [web[1], web[4]]).toEqual([
      "CKV_AWS_2, AWS-0054",
      expect.stringMatching(/^suppressed: no certificate is configured \(web\.certificateArn\)/),
    ]);

    // Beside them, the checkov checks skipped on the stack's resources, with their reasons.
    const skips = rows(section(read("web.md"), "## Security checks"), /^CKV2?_AWS_\d+$/).map((f) => f[0]);
    expect(skips).toEqual(expect.arrayContaining(["CKV_AWS_378", "CKV2_AWS_20"]));
    // no stack holds the hosted zone: its DNSSEC and query-logging checks are skipped nowhere
    expect(skips).not.toContain("CKV2_AWS_38");
    expect(rows(section(read("recovery.md"), "## Security checks"), /^CKV2?_AWS_\d+$/).map((f) => f[0])).not.toContain("CKV_AWS_378");
  });

  test("counts what the plan creates by resource type and by AZ", () => {
    const recovery = read("recovery.md");
    expect(recovery).toMatch(/^Plan: \d+ to create\.$/m);
    expect(row(recovery, /^`aws_instance`$/)).toEqual(["`aws_instance`", "1"]);
    expect(row(recovery, /^ap-northeast-2a$/)[2]).toContain("1 aws_instance");
    expect(row(recovery, /^ap-northeast-2b$/)[2]).not.toContain("aws_instance");
    // The multiaz group spans every AZ.
    expect(row(read("multiaz.md"), /^`aws_autoscaling_group\./)[1]).toBe("ap-northeast-2a, ap-northeast-2b, ap-northeast-2c");
  });

  test("each picture is an SVG showing the stack's AZs, subnets and endpoint", () => {
    const svg = svgText(path.join(work, "plan-review", "multiaz.svg"));
    expect(svg).toMatch(/<svg /);
    for (const text of [
      ">ap-northeast-2a<",
      ">ap-northeast-2c<",
      ">public 10.0.128.0/24<",
      ">Auto Scaling group<",
      ">multiaz.ha.example.com<",
      ">moves at launch<",
      ">on the server in service<",
    ]) {
      expect(svg).toContain(text);
    }
  });

  test("a picture drawn from a plan alone has the edges of the one drawn from its configuration", () => {
    // GIVEN each stack's plan, where ids (the gateway's in a route, say) are known only after apply
    for (const name of STACK_NAMES) {
      const edges = (graph: ResourceGraph) =>
        architectureDot(graph, { stack: name, mechanisms: [] })
          .split("\n")
          .filter((l) => / -> /.test(l) && !l.includes("style=invis"));
      // THEN the same links are drawn, the internet gateway's routes and the spans to subnets included
      const fromPlan = edges(ResourceGraph.fromPlanJson(plans[name].plan));
      expect(fromPlan).toEqual(edges(ResourceGraph.fromTerraformJson(plans[name].cdkTfJson)));
      expect(fromPlan.filter((l) => l.includes('label="route 0.0.0.0/0"'))).toHaveLength(1);
    }
  });

  test("the checks find the same in a plan as in the configuration it was made from", () => {
    for (const name of STACK_NAMES) {
      const tf = plans[name].cdkTfJson;
      const keys = (graph: ResourceGraph) =>
        checkStack(graph, suppressionsOf(tf)).findings.map((f) => `${f.rule.id} ${f.resource.address} ${f.suppression ? "suppressed" : "open"}`);
      expect(keys(ResourceGraph.fromPlanJson(plans[name].plan))).toEqual(keys(ResourceGraph.fromTerraformJson(tf)));
    }
  });

  test("CLI: reviews every stack of the manifest, one line per file written (a Node process, the real run path)", () => {
    const out = path.join(work, "cli");
    fs.cpSync(path.join(work, "plan-review"), out, { recursive: true });
    const run = spawnCli(["--dir", out], { CDKTF_OUTDIR: path.join(work, "cdktf.out") });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(
      run.stdout
        .trim()
        .split("\n")
        .map((l) => l.replace(out, "<dir>").replace(/ \(security: .*\)$/, "")),
    ).toEqual([
      "wrote <dir>/recovery.md",
      "wrote <dir>/recovery.svg",
      "wrote <dir>/multiaz.md",
      "wrote <dir>/multiaz.svg",
      "wrote <dir>/web.md",
      "wrote <dir>/web.svg",
      "wrote <dir>/README.md",
    ]);
  });

  test("CLI: reviews one plan JSON from elsewhere (a real account), with the configuration for its suppressions", async () => {
    const out = path.join(work, "account");
    const planFile = path.join(work, "plan-review", "recovery.plan.json");
    const synth = path.join(work, "cdktf.out", "stacks", "recovery", "cdk.tf.json");
    const run = await cli(["--plan", planFile, "--stack", "recovery", "--synth", synth, "--dir", out]);
    expect(run.code).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual(["recovery.md", "recovery.svg"]);
    expect(fs.readFileSync(path.join(out, "recovery.md"), "utf8")).toContain(`made from \`${synth}\``);
    // Without the configuration the plan carries no suppressions: the exception is an open error, and the review fails.
    const bare = await cli(["--plan", planFile, "--stack", "recovery", "--dir", out]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toMatch(/^recovery: CKV_AWS_88 aws_launch_template\..*: the primary network interface gets a public IP/m);
  });

  test("CLI: --measurements (repeated) replaces the model's priors with a game day's pooled samples", async () => {
    const out = path.join(work, "measured");
    fs.mkdirSync(out);
    const file = (name: string, samples: number[]) => {
      const f = path.join(out, name);
      fs.writeFileSync(f, JSON.stringify({ measured: { instanceLaunch: { samples, source: `game day ${name}` } } }));
      return f;
    };
    const planFile = path.join(work, "plan-review", "multiaz.plan.json");
    const synth = path.join(work, "cdktf.out", "stacks", "multiaz", "cdk.tf.json");
    const args = ["--plan", planFile, "--stack", "multiaz", "--synth", synth, "--dir", out];
    const run = await cli([...args, "--measurements", file("a.json", [400, 410]), "--measurements", file("b.json", [420])]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.split("\n")[0]).toMatch(/^priors replaced by measurements \(.*a\.json, .*b\.json\): instanceLaunch$/);
    const measured = row(fs.readFileSync(path.join(out, "multiaz.md"), "utf8"), /^replacement instance launched/);
    expect(measured.slice(1)).toEqual(["6-7 min", "measured, 3 sample(s) 400-420 s", "game day a.json; game day b.json"]);
    // The replacement's RTO follows the slower launches: the same stack without them is faster.
    const before = fs.readFileSync(path.join(work, "plan-review", "multiaz.md"), "utf8");
    const host = (md: string) => row(md, /^host failure$/);
    expect(host(fs.readFileSync(path.join(out, "multiaz.md"), "utf8"))).not.toEqual(host(before));
    const bad = await cli([...args, "--measurements", path.join(out, "missing.json")]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(
      `--measurements ${path.join(out, "missing.json")}: cannot read the file; give the .measurements.json a game day wrote (npm run gameday)`,
    );
  });

  test("CLI: a file that is not a plan is refused with the command that makes one", async () => {
    const run = await cli(["--plan", path.join(work, "cdktf.out", "manifest.json"), "--stack", "web", "--dir", path.join(work, "x")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/has no planned_values: it is not the JSON of a saved plan; make it with `terraform show -json tfplan > plan.json`/);
  });
});
