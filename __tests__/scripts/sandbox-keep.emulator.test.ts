/**
 * `npm run sandbox -- --keep`: the script prints the export lines, the stack stays up and
 * answers through them (the AWS SDK and Terraform), and Ctrl-C (SIGINT) ends the script, stops
 * the emulator and leaves no process of it. One run, of the recovery stack: the script waits
 * for SIGINT and SIGTERM alike, and that a parent ended by either (or by SIGKILL) leaves no
 * emulator is __tests__/lib/emulator.test.ts's, on an emulator with nothing applied (a second
 * kept run here, one per signal, cost a whole apply of the stack more).
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { terraform, terraformEnv } from "../../lib/terraform";
import { processAlive } from "../helpers";
import { entryArgs } from "../run-path";

jest.setTimeout(20 * 60 * 1000);

interface KeptRun {
  readonly child: ChildProcess;
  readonly dir: string;
  output: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function withoutStackConfig(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.STACK_CONFIG;
  return copy;
}

function startKept(): KeptRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-keep-"));
  const child = spawn(process.execPath, entryArgs("scripts/sandbox.ts", "--stack", "recovery", "--keep", "--outdir", path.join(dir, "out")), {
    env: { ...withoutStackConfig(process.env), CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: KeptRun = {
    child,
    dir,
    output: "",
    exited: new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal }))),
  };
  child.stdout!.on("data", (d: Buffer) => (run.output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (run.output += d.toString()));
  return run;
}

/** Resolves once the script says how to stop it (the stacks are up), or rejects with its output when it ends first. */
async function kept(run: KeptRun): Promise<void> {
  const deadline = Date.now() + 15 * 60 * 1000;
  while (!/Stop it with Ctrl-C/.test(run.output)) {
    if (run.child.exitCode !== null || run.child.signalCode !== null || Date.now() > deadline)
      throw new Error(`the script did not keep the stacks up:\n${run.output.slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

let run: KeptRun;

beforeAll(() => {
  run = startKept();
});

afterAll(async () => {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
  await run.exited;
  fs.rmSync(run.dir, { recursive: true, force: true });
});

test("--keep prints the exports, keeps the stack up, and Ctrl-C (SIGINT) stops the emulator leaving no process", async () => {
  await kept(run);

  const exports = Object.fromEntries([...run.output.matchAll(/^ {2}export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
  expect(Object.keys(exports).sort()).toEqual(["AWS_ACCESS_KEY_ID", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_SECRET_ACCESS_KEY", "SANDBOX_ENDPOINT"]);
  expect(exports.AWS_ENDPOINT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  const emulatorPid = Number(/emulator ready at \S+ \(pid (\d+)\)/.exec(run.output)?.[1]);
  expect(processAlive(emulatorPid)).toBe(true);

  // The SDK, with what the script printed, finds the stack's server running.
  const ec2 = new EC2Client({
    endpoint: exports.AWS_ENDPOINT_URL,
    region: exports.AWS_REGION,
    credentials: { accessKeyId: exports.AWS_ACCESS_KEY_ID, secretAccessKey: exports.AWS_SECRET_ACCESS_KEY },
  });
  const instances = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "tag:Stack", Values: ["recovery"] },
        { Name: "instance-state-name", Values: ["running"] },
      ],
    }),
  );
  expect(instances.Reservations?.flatMap((r) => r.Instances ?? [])).toHaveLength(1);
  // Terraform, in the folder the script names, with the same environment, sees the applied stack.
  const cd = /^ {2}cd (\S+) && terraform plan/m.exec(run.output)?.[1];
  expect(cd).toBeDefined();
  const env = terraformEnv({ ...exports });
  delete env.OFFLINE_PLAN;
  const output = await terraform(["output", "-raw", "instance_id"], path.resolve(cd!), env);
  expect(output.stdout).toBe(instances.Reservations?.[0]?.Instances?.[0]?.InstanceId);
  // A plan refreshes every resource from the emulator (it may show the emulator's own drift; it must run).
  await terraform(["plan", "-input=false", "-no-color", "-lock=false"], path.resolve(cd!), env);

  run.child.kill("SIGINT");
  const exit = await run.exited;
  expect([exit, processAlive(emulatorPid)]).toEqual([{ code: 0, signal: null }, false]);
  expect(run.output).toMatch(/emulator stopped/);
});
