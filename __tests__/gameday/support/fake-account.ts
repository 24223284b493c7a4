/**
 * A fake AWS account for the game-day runner, driven by a virtual clock: the experiment, the
 * instances, the group's activities, the alarms and what each instance's disk holds follow a
 * script of times after the injection. Its endpoint is a real HTTP server on loopback whose
 * /health answers 200 while the script says the endpoint is up, 503 otherwise.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { CommandResult, ExperimentView, GamedayClients, TemplateView } from "../../../gameday/clients";
import { AlarmTransition, InstancePoll, ScalingActivity } from "../../../gameday/timeline";

export const T0 = Date.UTC(2027, 0, 14, 9, 0, 0);

/** The virtual clock: sleeping advances it at once; `at(s)` runs `fn` when it passes s seconds after T0. */
export class Clock {
  t = T0;
  private readonly hooks: { at: number; fn: () => void }[] = [];
  readonly now = () => this.t;
  readonly sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) return;
    this.t += ms;
    for (const h of this.hooks.filter((h) => h.at <= this.t)) {
      this.hooks.splice(this.hooks.indexOf(h), 1);
      h.fn();
    }
  };
  at(seconds: number, fn: () => void): void {
    this.hooks.push({ at: T0 + seconds * 1000, fn });
  }
}

export interface Script {
  /** Seconds after the experiment's start when its first action starts (the injection). @default 1 */
  readonly injectAfter?: number;
  /** Seconds after the injection when the experiment completes by itself. @default never */
  readonly completesAfter?: number;
  /** The endpoint is down in [from, to) seconds after the injection (to undefined: for good). */
  readonly down?: { readonly from: number; readonly to?: number };
  /** Instances: id -> their states from seconds after the injection on ([-Infinity, "running"] for one there before). */
  readonly instances: Readonly<Record<string, readonly (readonly [number, string])[]>>;
  /** Auto Scaling activities, at seconds after the injection. */
  readonly activities?: readonly { readonly description: string; readonly start: number; readonly end?: number }[];
  readonly alarms?: readonly { readonly alarm: string; readonly at: number; readonly summary: string }[];
  /** Instances that keep the disk of another (launched from it): a marker written there is found on them. */
  readonly sameDisk?: Readonly<Record<string, string>>;
  /** The experiment fails before any action, with this reason. */
  readonly failsWith?: string;
}

export class FakeAccount implements GamedayClients {
  readonly calls: string[] = [];
  account = "111122223333";
  templateRole = "arn:aws:iam::111122223333:role/multiaz-ref-multiaz-fis-terminate";
  templateStack = "multiaz";
  private startedAt?: number;
  private stoppedAt?: number;
  private readonly disks = new Map<string, string>();
  private server?: http.Server;

  constructor(
    readonly clock: Clock,
    readonly script: Script,
  ) {}

  /** Seconds since the injection (undefined before the experiment started). */
  private since(): number | undefined {
    if (this.startedAt === undefined) return undefined;
    return (this.clock.now() - this.injectionAt()) / 1000;
  }
  private injectionAt(): number {
    return this.startedAt! + (this.script.injectAfter ?? 1) * 1000;
  }

  endpointUp(): boolean {
    const s = this.since();
    const d = this.script.down;
    if (s === undefined || !d) return true;
    return s < d.from || (d.to !== undefined && s >= d.to);
  }

  /** Starts the loopback endpoint; its URL. */
  async listen(): Promise<string> {
    this.server = http.createServer((req, res) => {
      res.statusCode = req.url === "/health" && this.endpointUp() ? 200 : 503;
      res.end();
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/health`;
  }
  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  async callerIdentity() {
    this.calls.push("sts:GetCallerIdentity");
    return { account: this.account, arn: `arn:aws:iam::${this.account}:user/operator` };
  }
  async getTemplate(id: string): Promise<TemplateView> {
    this.calls.push("fis:GetExperimentTemplate");
    return { id, roleArn: this.templateRole, tags: { Stack: this.templateStack } };
  }
  private view(): ExperimentView {
    const s = this.since()!;
    const injected = !this.script.failsWith && s >= 0;
    const stopped = this.stoppedAt !== undefined;
    const completed = !stopped && this.script.completesAfter !== undefined && s >= this.script.completesAfter;
    const status = this.script.failsWith ? "failed" : stopped ? "stopped" : completed ? "completed" : injected ? "running" : "initiating";
    return {
      id: "EXP123",
      status,
      reason: this.script.failsWith,
      startAt: this.startedAt,
      endAt: stopped ? this.stoppedAt : completed ? this.injectionAt() + this.script.completesAfter! * 1000 : undefined,
      firstActionAt: injected ? this.injectionAt() : undefined,
    };
  }
  async startExperiment(): Promise<ExperimentView> {
    this.calls.push("fis:StartExperiment");
    this.startedAt = this.clock.now();
    return { ...this.view(), status: "initiating", firstActionAt: undefined };
  }
  async getExperiment(): Promise<ExperimentView> {
    this.calls.push("fis:GetExperiment");
    return this.view();
  }
  async stopExperiment(): Promise<ExperimentView> {
    this.calls.push("fis:StopExperiment");
    this.stoppedAt ??= this.clock.now();
    return { ...this.view(), status: "stopping" };
  }
  private stateOf(id: string): string | undefined {
    const s = this.since() ?? Number.NEGATIVE_INFINITY;
    return this.script.instances[id].filter(([from]) => from <= s).at(-1)?.[1];
  }
  async instances(tags: Readonly<Record<string, string>>): Promise<InstancePoll["instances"]> {
    this.calls.push(
      `ec2:DescribeInstances ${Object.entries(tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(",")}`,
    );
    const out: Record<string, { state: string; az: string }> = {};
    for (const id of Object.keys(this.script.instances)) {
      const state = this.stateOf(id);
      if (state) out[id] = { state, az: "ap-northeast-2a" };
    }
    return out;
  }
  async scalingActivities(group: string, since: number): Promise<ScalingActivity[]> {
    this.calls.push(`autoscaling:DescribeScalingActivities ${group} since ${new Date(since).toISOString()}`);
    const at = (s: number) => this.injectionAt() + s * 1000;
    return (this.script.activities ?? [])
      .map((a, i) => ({
        id: `act-${i}`,
        description: a.description,
        status: a.end !== undefined ? "Successful" : "InProgress",
        startAt: at(a.start),
        endAt: a.end !== undefined ? at(a.end) : undefined,
      }))
      .filter((a) => a.startAt >= since);
  }
  async alarmHistory(alarm: string, from: number, to: number): Promise<AlarmTransition[]> {
    this.calls.push(`cloudwatch:DescribeAlarmHistory ${alarm}`);
    return (this.script.alarms ?? [])
      .filter((a) => a.alarm === alarm)
      .map((a) => ({ at: this.injectionAt() + a.at * 1000, alarm, summary: a.summary, to: /to (\w+)$/.exec(a.summary)?.[1] }))
      .filter((a) => a.at >= from && a.at <= to);
  }
  async runCommand(instanceId: string, commands: readonly string[]): Promise<CommandResult> {
    this.calls.push(`ssm:SendCommand ${instanceId}: ${commands.join("; ")}`);
    const disk = this.script.sameDisk?.[instanceId] ?? instanceId;
    const write = /^printf '%s\\n' (\S+) > (\S+)$/.exec(commands.find((c) => c.startsWith("printf")) ?? "");
    if (write) {
      this.disks.set(`${disk}:${write[2]}`, write[1]);
      return { ok: true, output: "" };
    }
    const read = /^cat (\S+) /.exec(commands[0]);
    return { ok: true, output: read ? (this.disks.get(`${disk}:${read[1]}`) ?? "") : "" };
  }
}
