/**
 * Configurations a new user writes by mistake, each through the load function `main.ts` uses
 * and, when it loads, the atomic synth of every configured stack: each must fail with one
 * line per problem naming the key, the value given and what is allowed, never with another
 * error (a TypeError or RangeError trace), and leave the output folder exactly as it was.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { synthesizeAtomically } from "../../lib/atomic-synth";
import { ValidationError, formatProblem } from "../../lib/validation";
import { buildStack } from "../../modules";
import { writePreviousOutput, tree, withTempDir } from "../helpers";

/** The problem lines for a STACK_CONFIG file holding `text`, as main.ts would print them. */
function problemLines(text: string): string[] {
  return withTempDir((dir) => {
    const file = path.join(dir, "stack.json");
    fs.writeFileSync(file, text);
    const outdir = path.join(dir, "cdktf.out");
    writePreviousOutput(outdir);
    const before = tree(outdir);
    let lines: string[] = [];
    try {
      const config = loadConfig({ STACK_CONFIG: file });
      synthesizeAtomically(
        outdir,
        config.stacks.map((name) => (app) => void buildStack(app, name, config, { mode: "offline" })),
      );
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      lines = e.problems.map(formatProblem);
    }
    expect(tree(outdir)).toEqual(before);
    return lines;
  });
}

const json = (v: unknown) => JSON.stringify(v);
/** `{"a":{"a":...}}` nested `depth` levels. */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

const CASES: [string, string, RegExp[]][] = [
  // strings for booleans
  ['"false" for network.isolatedSubnets', json({ network: { isolatedSubnets: "false" } }), [/^network\.isolatedSubnets \("false"\): must be true or false$/]],
  [
    '"false" for network.flowLogs.enabled',
    json({ network: { flowLogs: { enabled: "false" } } }),
    [/^network\.flowLogs\.enabled \("false"\): must be true or false$/],
  ],
  ['"no" for web.deletionProtection', json({ web: { deletionProtection: "no" } }), [/^web\.deletionProtection \("no"\): must be true or false$/]],
  ["0 for encryption.customerManagedKey", json({ encryption: { customerManagedKey: 0 } }), [/^encryption\.customerManagedKey \(0\): must be true or false$/]],
  ['"yes" for web.waf.enabled', json({ web: { waf: { enabled: "yes" } } }), [/^web\.waf\.enabled \("yes"\): must be true or false$/]],
  // backend keys
  [
    '"true" for backend.encrypt',
    json({ backend: { type: "s3", bucket: "my-state", encrypt: "true" } }),
    [/^backend\.encrypt \("true"\): must be true or false$/],
  ],
  ["1 for backend.useLockfile", json({ backend: { type: "s3", bucket: "my-state", useLockfile: 1 } }), [/^backend\.useLockfile \(1\): must be true or false$/]],
  [
    "a backend.keyPrefix with slashes at its ends",
    json({ backend: { type: "s3", bucket: "my-state", keyPrefix: "/state/" } }),
    [/^backend\.keyPrefix \("\/state\/"\): must be an S3 key prefix .*no slash at either end/],
  ],
  [
    "a number for backend.keyPrefix",
    json({ backend: { type: "s3", bucket: "my-state", keyPrefix: 7 } }),
    [/^backend\.keyPrefix \(7\): must be an S3 key prefix/],
  ],
  ["an S3 backend without a bucket", json({ backend: { type: "s3" } }), [/^backend\.bucket \(not set\): must be an S3 bucket name/]],
  [
    "a bucket with the local backend",
    json({ backend: { bucket: "my-state" } }),
    [/^backend\.bucket \("my-state"\): is a setting only with backend\.type "s3"/],
  ],
  ["an unknown backend type", json({ backend: { type: "gcs" } }), [/^backend\.type \("gcs"\): must be one of "local", "s3"$/]],
  [
    "an unknown backend region",
    json({ backend: { type: "s3", bucket: "my-state", region: "eu-west-9" } }),
    [/^backend\.region \("eu-west-9"\): must be an AWS region name .*did you mean eu-west-1/],
  ],
  // sections of the wrong kind
  ["null for network", json({ network: null }), [/^network \(null\): must be an object of settings \(subnetMasks, .*\), not null$/]],
  ["a list for web", json({ web: [] }), [/^web \(\[\]\): must be an object of settings \(instanceType, .*\), not a list$/]],
  ["null for backend", json({ backend: null }), [/^backend \(null\): must be an object of settings \(type, bucket, .*\), not null$/]],
  ["a string for recovery", json({ recovery: "t3.micro" }), [/^recovery \("t3\.micro"\): must be an object of settings .*not a string$/]],
  [
    "a number for multiaz.amiPipeline",
    json({ multiaz: { amiPipeline: 24 } }),
    [/^multiaz\.amiPipeline \(24\): must be an object of settings \(enabled, intervalHours, retainCount, noReboot\), not a number$/],
  ],
  ["a list as the whole file", "[1, 2]", [/^\(root\) \(\[1,2\]\): the configuration must be a JSON object$/]],
  ["null as the whole file", "null", [/^\(root\) \(null\): the configuration must be a JSON object$/]],
  // lists with duplicates
  [
    "an e-mail address listed twice",
    json({ notifications: { emails: ["ops@example.com", "Ops@Example.com"] } }),
    [/^notifications\.emails\[1\] \("Ops@Example\.com"\): is listed twice/],
  ],
  ["a stack listed twice", json({ stacks: ["web", "recovery", "web"] }), [/^stacks\[2\] \("web"\): is listed twice; list each stack once/]],
  [
    "an unknown stack",
    json({ stacks: ["recovery", "database"] }),
    [/^stacks\[1\] \("database"\): must be one of "recovery", "multiaz", "web", "multiaz-efs", .*"web-step-scaling"$/],
  ],
  ["a misspelled variant stack", json({ stacks: ["web-http"] }), [/^stacks\[0\] \("web-http"\): must be one of .*; did you mean web-https\?$/]],
  [
    "a string for notifications.emails",
    json({ notifications: { emails: "ops@example.com" } }),
    [/^notifications\.emails \("ops@example\.com"\): must be a list of e-mail addresses$/],
  ],
  // shapes no setting has
  ["nesting 100,000 levels deep", `{"web": ${nested(100000)}}`, [/^web(\.a)+ \("\(nested deeper\)"\): nests deeper than 8 levels/]],
  ["a deeply nested tag value", `{"tags": {"Team": ${nested(5000)}}}`, [/^tags\.Team(\.a)+ \("\(nested deeper\)"\): nests deeper than 8 levels/]],
  ["constructor as a key", json({ constructor: { name: "x" } }), [/^constructor \(\{"name":"x"\}\): is not a setting; known keys here: /]],
  ["toString as a key of a section", json({ web: { toString: 1 } }), [/^web\.toString \(1\): is not a setting; known keys here: instanceType/]],
  ["__proto__ as a tag name", '{"tags": {"__proto__": "x"}}', [/^tags\.__proto__ \("x"\): is not a setting \(and a name JavaScript objects cannot hold\)/]],
  [
    "a number that overflows",
    '{"dns": {"ttlSeconds": 1e400}}',
    [/^dns\.ttlSeconds \(Infinity\): is a number too large to hold \(it overflows to Infinity\); must be a whole number from 0 to 2147483647$/],
  ],
  ["a byte order mark before a misspelled key", `\uFEFF${json({ regoin: "eu-west-1" })}`, [/^regoin \("eu-west-1"\): is not a setting; did you mean region\?/]],
  // Comments and trailing commas are allowed (JSON5); an unclosed object is not.
  [
    "an unclosed object",
    '{"region": "eu-west-1", // a comment\n',
    [/^STACK_CONFIG \(".*stack\.json"\): is not valid JSON \(comments and trailing commas are allowed\): /],
  ],
  // misspelled keys
  [
    "a misspelled section key",
    json({ web: { healthchek: { path: "/" } } }),
    [/^web\.healthchek \(\{"path":"\/"\}\): is not a setting; did you mean web\.healthCheck\?/],
  ],
  [
    "a misspelled nested key",
    json({ multiaz: { amiPipeline: { intervalHour: 6 } } }),
    [/^multiaz\.amiPipeline\.intervalHour \(6\): is not a setting; did you mean multiaz\.amiPipeline\.intervalHours\?/],
  ],
  [
    "a step setting without step mode",
    json({ web: { scaling: { highCpuPercent: 70 } } }),
    [/^web\.scaling\.highCpuPercent \(70\): is a setting only with web\.scaling\.mode "step"/],
  ],
  // tags
  [
    "a Project tag",
    json({ tags: { Project: "billing" } }),
    [/^tags\.Project \("billing"\): is a tag the stacks set on every resource .*choose another key, or set project$/],
  ],
  [
    "Stack and ManagedBy tags",
    json({ tags: { Stack: "x", ManagedBy: "terraform" } }),
    [/^tags\.Stack \("x"\): is a tag the stacks set/, /^tags\.ManagedBy \("terraform"\): is a tag the stacks set/],
  ],
  ["a number as a tag value", json({ tags: { Team: 5 } }), [/^tags\.Team \(5\): tag values are strings/]],
  ["an aws: tag", json({ tags: { "aws:owner": "me" } }), [/^tags\.aws:owner \("me"\): tag keys are at most 128 characters and may not start with aws:/]],
  [
    "more tags than a resource holds",
    json({ tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`T${i}`, "x"])) }),
    [/^tags \(\{.*\): holds 48 tags; with the stacks' own 3, a resource may carry at most 50/],
  ],
  // names AWS does not have
  [
    "an unknown region",
    json({ region: "ap-northeast-9" }),
    [/^region \("ap-northeast-9"\): must be an AWS region name such as ap-northeast-2 .*did you mean ap-northeast-1 or ap-northeast-2 or ap-northeast-3\?$/],
  ],
  [
    "a made-up region",
    json({ region: "mars-1" }),
    [/^region \("mars-1"\): must be an AWS region name such as ap-northeast-2 \(the regions of the AWS SDK's partition data, lib\/aws-names\.ts\)$/],
  ],
  [
    "a misspelled instance type",
    json({ recovery: { instanceType: "t3.mirco" } }),
    [/^recovery\.instanceType \("t3\.mirco"\): must be an EC2 instance type such as t3\.micro .*did you mean t3\.micro\?$/],
  ],
  ["an instance type that does not exist", json({ web: { instanceType: "t9.micro" } }), [/^web\.instanceType \("t9\.micro"\): must be an EC2 instance type/]],
  // section by section
  ["a project name with capitals", json({ project: "MyProject" }), [/^project \("MyProject"\): must be 3-24 lowercase letters/]],
  ["a string for azs", json({ azs: "ap-northeast-2a" }), [/^azs \("ap-northeast-2a"\): must be a list of 2 to 6 availability zones/]],
  [
    "AZs of another region",
    json({ azs: ["us-east-1a", "us-east-1b"] }),
    [/^azs\[0\] \("us-east-1a"\): is not an AZ of region ap-northeast-2/, /^azs\[1\] \("us-east-1b"\): is not an AZ of region ap-northeast-2/],
  ],
  ["a VPC block too large", json({ vpcCidr: "10.0.0.0/8" }), [/^vpcCidr \("10\.0\.0\.0\/8"\): /]],
  [
    "a string for a subnet mask",
    json({ network: { subnetMasks: { private: "20" } } }),
    [/^network\.subnetMasks\.private \("20"\): must be a whole number from 16 to 28$/],
  ],
  [
    "a retention CloudWatch Logs refuses",
    json({ network: { flowLogs: { retentionDays: 10 } } }),
    [/^network\.flowLogs\.retentionDays \(10\): must be one of 1, 3, 5, .* \(the retentions CloudWatch Logs accepts\)$/],
  ],
  ["an unknown NAT mode", json({ network: { natGateways: "per_az" } }), [/^network\.natGateways \("per_az"\): must be one of "none", "single", "one_per_az"$/]],
  ["a string for dns.ttlSeconds", json({ dns: { ttlSeconds: "60" } }), [/^dns\.ttlSeconds \("60"\): must be a whole number from 0 to 2147483647$/]],
  ["a malformed zone id", json({ dns: { zoneId: "zone-1" } }), [/^dns\.zoneId \("zone-1"\): must be a Route 53 hosted zone id/]],
  [
    "equal recovery evaluation periods",
    json({ recovery: { recoverEvaluationPeriods: 3 } }),
    [/^recovery\.recoverEvaluationPeriods \(3\): must differ from recovery\.rebootEvaluationPeriods \(3\)/],
  ],
  [
    "a fractional evaluation period",
    json({ recovery: { rebootEvaluationPeriods: 2.5 } }),
    [/^recovery\.rebootEvaluationPeriods \(2\.5\): must be a whole number of periods, at least 1/],
  ],
  [
    "an interval DLM refuses",
    json({ multiaz: { amiPipeline: { intervalHours: 5 } } }),
    [/^multiaz\.amiPipeline\.intervalHours \(5\): must be one of 1, 2, 3, 4, 6, 8, 12, 24/],
  ],
  [
    "a warm pool with the pipeline and no EFS",
    json({ multiaz: { warmPool: { enabled: true } } }),
    [/^multiaz\.warmPool\.enabled \(true\): cannot be combined with the AMI pipeline/],
  ],
  [
    "SSH open to the internet",
    json({ recovery: { sshCidr: "0.0.0.0/0" } }),
    [/^recovery\.sshCidr \("0\.0\.0\.0\/0"\): SSH from the whole internet is not allowed/],
  ],
  [
    "more warm instances than AZs",
    json({ multiaz: { warmPool: { minSize: 4 } } }),
    [/^multiaz\.warmPool\.minSize \(4\): must be a whole number from 1 to 3, the number of azs/],
  ],
  [
    "a hibernated warm pool",
    json({ multiaz: { warmPool: { poolState: "Hibernated" } } }),
    [/^multiaz\.warmPool\.poolState \("Hibernated"\): must be "Stopped" or "Running"/],
  ],
  [
    "a fractional health check interval",
    json({ web: { healthCheck: { intervalSeconds: 4.5 } } }),
    [/^web\.healthCheck\.intervalSeconds \(4\.5\): must be a whole number from 5 to 300$/],
  ],
  ["a group whose minimum exceeds its maximum", json({ web: { minSize: 4, maxSize: 3 } }), [/^web\.minSize \(4\): must be at most maxSize \(3\)/]],
  [
    "an unknown scaling mode",
    json({ web: { scaling: { mode: "predictive" } } }),
    [/^web\.scaling\.mode \("predictive"\): must be one of "target_tracking", "step"$/],
  ],
  [
    "several problems at once",
    json({ project: "X", network: { isolatedSubnets: "true" }, web: { waf: null } }),
    [/^project \("X"\)/, /^network\.isolatedSubnets \("true"\)/, /^web\.waf \(null\)/],
  ],
];

describe("hostile configurations", () => {
  test("cover every section of the schema", () => {
    const sections = new Set(CASES.flatMap(([, , expected]) => expected.map((re) => /^\^\(?([a-zA-Z$_]+)/.exec(re.source)?.[1])));
    for (const section of [
      "project",
      "region",
      "azs",
      "vpcCidr",
      "tags",
      "stacks",
      "network",
      "backend",
      "dns",
      "notifications",
      "encryption",
      "recovery",
      "multiaz",
      "web",
      "STACK_CONFIG",
    ]) {
      expect([section, sections.has(section)]).toEqual([section, true]);
    }
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  test.each(CASES)("%s: one line per problem with key, value and fix; the output untouched", (_case, text, expected) => {
    const lines = problemLines(text);
    expect(lines).toHaveLength(expected.length);
    for (const re of expected) expect(lines.filter((l) => re.test(l))).toHaveLength(1);
    for (const line of lines) expect(line).toMatch(/^\S+ \(.+\): \S.*$/);
  });
});
