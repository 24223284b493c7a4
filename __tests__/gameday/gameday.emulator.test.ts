/**
 * The game-day runner on the AWS SDK against the emulator (moto 5.2.5), as far as moto goes:
 * it stores an FIS template, starts an experiment and walks it through its states (set to
 * advance every second here), stops it, and answers STS, EC2, Auto Scaling and SSM. It runs no
 * FIS action (nothing is injected: the loopback endpoint keeps answering), runs no SSM command
 * (the marker reads back empty, so it counts as lost), and lacks CloudWatch's
 * DescribeAlarmHistory: the runner names each alarm whose history it could not read and goes on.
 */
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { AutoScalingClient, CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, DescribeImagesCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { CreateExperimentTemplateCommand, FisClient } from "@aws-sdk/client-fis";
import { EMULATOR_ACCOUNT_ID, Emulator, startEmulator } from "../../lib/emulator";
import { ClientConfig, sdkClients } from "../../gameday/clients";
import { resolveTarget } from "../../gameday/deployment";
import { probe } from "../../gameday/probe";
import { RunResult, abortableSleep, runGameday } from "../../gameday/runner";
import { config, synthStack } from "../helpers";

jest.setTimeout(5 * 60 * 1000);

const REGION = "ap-northeast-2";
const TAGS = { Project: "multiaz-ref", Stack: "multiaz" };
let emulator: Emulator;
let aws: ClientConfig;
let server: http.Server;
let endpoint: string;
let templateId: string;
let dir: string;

async function transitions(seconds: number): Promise<void> {
  const res = await fetch(`${emulator.endpoint}/moto-api/state-manager/set-transition`, {
    method: "POST",
    body: JSON.stringify({ model_name: "fis::experiment", transition: { progression: "time", seconds } }),
  });
  expect(res.ok).toBe(true);
}

beforeAll(async () => {
  emulator = await startEmulator();
  aws = { region: REGION, endpoint: emulator.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gameday-emulator-"));
  server = http.createServer((_req, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;

  // The stack's server, its group, and the terminate template as the stack defines it: targets by the stack's tags.
  const ec2 = new EC2Client(aws);
  const image = (await ec2.send(new DescribeImagesCommand({}))).Images![0].ImageId!;
  await ec2.send(
    new RunInstancesCommand({
      ImageId: image,
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [{ ResourceType: "instance", Tags: Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value })) }],
    }),
  );
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "server", LaunchTemplateData: { ImageId: image } }));
  await new AutoScalingClient(aws).send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "multiaz-ref-multiaz",
      MinSize: 0,
      MaxSize: 1,
      LaunchTemplate: { LaunchTemplateName: "server" },
      AvailabilityZones: [`${REGION}a`],
    }),
  );
  const created = await new FisClient(aws).send(
    new CreateExperimentTemplateCommand({
      clientToken: "t1",
      description: "multiaz: terminate the stack's server",
      roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/multiaz-ref-multiaz-fis-terminate-${REGION}`,
      stopConditions: [{ source: "none" }],
      targets: {
        servers: { resourceType: "aws:ec2:instance", resourceTags: TAGS, selectionMode: "COUNT(1)", filters: [{ path: "State.Name", values: ["running"] }] },
      },
      actions: { terminate: { actionId: "aws:ec2:terminate-instances", targets: { Instances: "servers" } } },
      tags: TAGS,
    }),
  );
  templateId = created.experimentTemplate!.id!;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await emulator?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function run(abortAfterMs?: number): Promise<{ result: RunResult; lines: string[] }> {
  const cfg = config({ experiments: { enabled: true }, region: REGION });
  const outputs = { experiment_templates: { terminate: templateId }, elastic_ip: "127.0.0.1", group_name: "multiaz-ref-multiaz" };
  const target = {
    ...resolveTarget({
      stack: "multiaz",
      experiment: "terminate",
      config: cfg,
      outputs,
      synthesized: synthStack("multiaz", { experiments: { enabled: true } }).tf,
    }),
    endpoint,
  };
  const interrupt = new AbortController();
  if (abortAfterMs !== undefined) setTimeout(() => interrupt.abort(), abortAfterMs);
  const lines: string[] = [];
  const result = await runGameday(
    target,
    { yes: true, outDir: dir, settleSeconds: 1, probeIntervalMs: 100, pollIntervalMs: 300, baselineProbes: 2, timeoutSeconds: 60 },
    {
      clients: await sdkClients(aws),
      region: REGION,
      probe: (u) => probe(u),
      now: Date.now,
      sleep: abortableSleep,
      interrupt: interrupt.signal,
      print: (l) => lines.push(l),
    },
  );
  return { result, lines };
}

describe("the game-day runner against the emulator", () => {
  test("starts the experiment on the template, follows it to completed, and reports what moto can show", async () => {
    await transitions(1);
    const { result, lines } = await run();
    expect(lines[0]).toBe(`account ${EMULATOR_ACCOUNT_ID} (arn:aws:sts::${EMULATOR_ACCOUNT_ID}:user/moto), region ${REGION}`);
    const r = result.record!;
    expect(r.experimentId).toMatch(/^[0-9a-f]+$/);
    const states = r.events.filter((e) => e.source === "experiment").map((e) => e.text.split(":")[0]);
    expect(states).toEqual(expect.arrayContaining(["experiment running", "experiment completed"]));
    expect(r.observation.endedBy).toBe("settled");
    // The marker was sent through SSM to the stack's instance; moto runs no command, so it reads back empty.
    expect(r.observation.marker).toMatchObject({ kind: "lost", instance: expect.stringMatching(/^i-/) });
    // moto lacks DescribeAlarmHistory: each alarm of the stack is named, the run goes on.
    const unread = r.events.filter((e) => /^DescribeAlarmHistory \S+ failed: /.test(e.text));
    expect(unread.map((e) => e.text.split(" ")[1])).toEqual(target().alarmNames);
    expect(unread.every((e) => !e.text.includes("\n"))).toBe(true);
    // Nothing was injected: no probe failed, which the claim allows; the bounded RPO allows the lost marker.
    expect(r.verdict).toMatchObject({ result: "pass", notes: [expect.stringMatching(/^no probe failed/)] });
    expect(result.code).toBe(0);
    expect(result.files.map((f) => fs.existsSync(f))).toEqual([true, true, true]);
  });

  test("Ctrl-C stops the running experiment through FIS, and the report says so", async () => {
    await transitions(3);
    const { result, lines } = await run(4000);
    const r = result.record!;
    expect(r.observation.endedBy).toBe("interrupted");
    expect(r.stopped).toBe("the runner stopped the experiment (Ctrl-C)");
    expect(lines).toContain(`stopping experiment ${r.experimentId}: Ctrl-C`);
    expect(r.events.map((e) => e.text)).toContainEqual(expect.stringMatching(/^experiment stopped/));
    expect(result.code).toBe(1);
  });
});

function target() {
  const cfg = config({ experiments: { enabled: true }, region: REGION });
  return resolveTarget({
    stack: "multiaz",
    experiment: "terminate",
    config: cfg,
    outputs: { experiment_templates: { terminate: "x" }, elastic_ip: "127.0.0.1", group_name: "g" },
    synthesized: synthStack("multiaz", { experiments: { enabled: true } }).tf,
  });
}
