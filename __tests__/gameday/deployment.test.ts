/**
 * What the runner reads of a deployed stack, and the bad input it refuses with one line naming
 * the key, the value and the fix; and the CLI's exit code 2 for it, with nothing started.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { experimentsOf } from "../../model/experiments";
import { checkStack, parseOutputs, resolveTarget } from "../../gameday/deployment";
import { config, synthStack } from "../helpers";
import { entryArgs } from "../run-path";

const ON = { experiments: { enabled: true } };
const cfg = config(ON);
const templates = (stack: string) => Object.fromEntries(experimentsOf(stack, cfg.azs).map((e) => [e.key, `EXT-${e.key}`]));

describe("the deployed stack", () => {
  const web = synthStack("web", ON).tf;
  const multiaz = synthStack("multiaz", ON).tf;

  test("terraform output -json is read as values by name", () => {
    expect(parseOutputs(JSON.stringify({ url: { value: "http://www.x/", type: "string", sensitive: false }, ids: { value: { a: "1" } } }))).toEqual({
      url: "http://www.x/",
      ids: { a: "1" },
    });
  });

  test("web: the health path of the configuration on the URL, the group, the stack's alarms, no marker (stateless)", () => {
    const t = resolveTarget({
      stack: "web",
      experiment: "az-power-ap-northeast-2b",
      config: cfg,
      synthesized: web,
      outputs: { experiment_templates: templates("web"), url: "http://www.ha.example.com/", group_name: "g" },
    });
    expect(t).toMatchObject({
      endpoint: "http://www.ha.example.com/health",
      groupName: "g",
      templateId: "EXT-az-power-ap-northeast-2b",
      markerDirectory: undefined,
      selectionTags: { Project: "multiaz-ref", Stack: "web" },
    });
    expect(t.experiment).toMatchObject({ name: "az-power", az: "ap-northeast-2b" });
    expect(t.alarmNames).toContain("multiaz-ref-web-elb-5xx");
    expect(t.expected.kind).toBe("healed");
  });

  test("multiaz: /health on the Elastic IP, the marker in the state directory", () => {
    const t = resolveTarget({
      stack: "multiaz",
      experiment: "app-crash",
      config: cfg,
      synthesized: multiaz,
      outputs: { experiment_templates: templates("multiaz"), elastic_ip: "203.0.113.7", group_name: "g" },
    });
    expect(t).toMatchObject({ endpoint: "http://203.0.113.7/health", markerDirectory: "/srv/state" });
  });

  test.each([
    ["an unknown stack", () => checkStack("webb", cfg), "--stack (webb): not a stack of this project; use one of recovery, multiaz, web (did you mean web?)"],
    [
      "a stack that is not configured",
      () => checkStack("web-https", cfg),
      "--stack (web-https): not among the configured stacks; add it to stacks in STACK_CONFIG (now recovery, multiaz, web) and deploy it",
    ],
    [
      "experiments not enabled in the deployed stack",
      () => resolveTarget({ stack: "web", experiment: "terminate", config: cfg, synthesized: web, outputs: { url: "http://x/" } }),
      'experiments.enabled (false in the deployed stack): web has no output experiment_templates, so no experiment templates; set "experiments": { "enabled": true } in STACK_CONFIG and run npx cdktf deploy web',
    ],
    [
      "an unknown experiment",
      () =>
        resolveTarget({
          stack: "multiaz",
          experiment: "az-power-ap-northeast-2x",
          config: cfg,
          synthesized: multiaz,
          outputs: { experiment_templates: templates("multiaz") },
        }),
      /^--experiment \(az-power-ap-northeast-2x\): not an experiment of the deployed multiaz; use one of app-crash, app-freeze, az-launch-failure-ap-northeast-2a, .* \(did you mean az-power-ap-northeast-2a or .*\?\)$/,
    ],
    [
      "a deployment without the endpoint's output",
      () =>
        resolveTarget({
          stack: "multiaz",
          experiment: "terminate",
          config: cfg,
          synthesized: multiaz,
          outputs: { experiment_templates: templates("multiaz") },
        }),
      "--stack (multiaz): the deployed stack has no output elastic_ip; deploy the stack as this project defines it: npx cdktf deploy multiaz",
    ],
  ])("%s: one line with the key, the value and the fix", (_what, fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe("npm run gameday, bad input", () => {
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, entryArgs("scripts/gameday.ts", ...args), { encoding: "utf8", env: { ...process.env, ...env } });

  test("exit 2 and one line, no stack trace, nothing written", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "gameday-cli-"));
    try {
      const unknown = cli(["--stack", "multiax", "--experiment", "terminate", "--dir", out]);
      expect([unknown.status, unknown.stderr.trim(), unknown.stdout]).toEqual([
        2,
        "--stack (multiax): not a stack of this project; use one of recovery, multiaz, web (did you mean multiaz?)",
        "",
      ]);
      const undeployed = cli(["--stack", "web", "--experiment", "terminate", "--dir", out], { CDKTF_OUTDIR: out });
      expect(undeployed.status).toBe(2);
      expect(undeployed.stderr.trim()).toBe(
        `--stack (web): no synthesized configuration at ${path.join(out, "stacks", "web", "cdk.tf.json")}; deploy it first: STACK_CONFIG=<your file> npx cdktf deploy web`,
      );
      expect(fs.readdirSync(out)).toEqual([]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
