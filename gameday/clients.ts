/**
 * The AWS calls a game day makes, as small interfaces the runner uses (the tests give fakes),
 * and their implementation on the AWS SDK v3 clients. Every API the runner calls is here, so
 * the README's list of permissions is this file's list:
 *
 * sts:GetCallerIdentity; fis:GetExperimentTemplate, fis:StartExperiment (on the template and
 * experiment/*, the experiment's tags under its own aws:RequestTag keys; its dependent action
 * iam:CreateServiceLinkedRole for FIS's service-linked role, no iam:PassRole), fis:GetExperiment,
 * fis:StopExperiment; ec2:DescribeInstances;
 * autoscaling:DescribeScalingActivities (every page since the experiment); cloudwatch:DescribeAlarmHistory; ssm:SendCommand,
 * ssm:GetCommandInvocation (the data marker).
 */
import { ACTIVITY_PAGE_MAX, activitiesSince } from "./scaling-activities";
import { AlarmTransition, InstancePoll, ScalingActivity, transitionTarget } from "./timeline";

export interface ExperimentView {
  readonly id: string;
  readonly status: string;
  readonly reason?: string;
  readonly startAt?: number;
  readonly endAt?: number;
  /** When the first action that injects something (not `aws:fis:wait`) started. */
  readonly firstActionAt?: number;
}

export interface TemplateView {
  readonly id: string;
  readonly roleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface CommandResult {
  readonly ok: boolean;
  readonly output: string;
  /** Why it failed (the command's status, or the API's error). */
  readonly error?: string;
}

export interface GamedayClients {
  callerIdentity(): Promise<{ readonly account: string; readonly arn: string }>;
  getTemplate(id: string): Promise<TemplateView>;
  startExperiment(templateId: string, clientToken: string, tags: Readonly<Record<string, string>>): Promise<ExperimentView>;
  getExperiment(id: string): Promise<ExperimentView>;
  stopExperiment(id: string): Promise<ExperimentView>;
  /** The instances carrying every one of `tags` (terminated ones too, while EC2 lists them). */
  instances(tags: Readonly<Record<string, string>>): Promise<InstancePoll["instances"]>;
  /** The group's activities that started at or after `since` (every page of them). */
  scalingActivities(groupName: string, since: number): Promise<ScalingActivity[]>;
  alarmHistory(alarmName: string, from: number, to: number): Promise<AlarmTransition[]>;
  /** Runs a shell script on an instance through SSM Run Command and waits for it. */
  runCommand(instanceId: string, commands: readonly string[], signal?: AbortSignal): Promise<CommandResult>;
}

const ms = (d: Date | undefined) => (d === undefined ? undefined : new Date(d).getTime());

/** Time between GetCommandInvocation calls, and how long a command may take. */
const COMMAND_POLL_MS = 2000;
const COMMAND_TIMEOUT_MS = 120_000;

function experimentView(e: {
  id?: string;
  state?: { status?: string; reason?: string };
  startTime?: Date;
  endTime?: Date;
  actions?: Record<string, { actionId?: string; startTime?: Date }>;
}): ExperimentView {
  const starts = Object.values(e.actions ?? {})
    .filter((a) => a.actionId !== "aws:fis:wait")
    .map((a) => ms(a.startTime))
    .filter((t): t is number => t !== undefined);
  return {
    id: e.id ?? "",
    status: e.state?.status ?? "unknown",
    reason: e.state?.reason,
    startAt: ms(e.startTime),
    endAt: ms(e.endTime),
    firstActionAt: starts.length > 0 ? Math.min(...starts) : undefined,
  };
}

/** Where the clients go: the region, and an endpoint and credentials only to override the SDK's own chain (an emulator). */
export interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The clients on the AWS SDK v3, with the SDK's usual credentials unless `config` gives others. */
export async function sdkClients(config: ClientConfig): Promise<GamedayClients> {
  // Loaded here only: the tests give fakes, and a run refused early needs none.
  const [
    { FisClient, GetExperimentTemplateCommand, StartExperimentCommand, GetExperimentCommand, StopExperimentCommand },
    { STS },
    { EC2 },
    { AutoScaling },
    { CloudWatch },
    { SSM },
  ] = await Promise.all([
    import("@aws-sdk/client-fis"),
    import("@aws-sdk/client-sts"),
    import("@aws-sdk/client-ec2"),
    import("@aws-sdk/client-auto-scaling"),
    import("@aws-sdk/client-cloudwatch"),
    import("@aws-sdk/client-ssm"),
  ]);
  const options = {
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    ...(config.credentials ? { credentials: { ...config.credentials } } : {}),
  };
  const fis = new FisClient({ ...options });
  const sts = new STS({ ...options });
  const ec2 = new EC2({ ...options });
  const autoscaling = new AutoScaling({ ...options });
  const cloudwatch = new CloudWatch({ ...options });
  const ssm = new SSM({ ...options });
  return {
    async callerIdentity() {
      const id = await sts.getCallerIdentity({});
      return { account: id.Account ?? "", arn: id.Arn ?? "" };
    },
    async getTemplate(id) {
      const t = (await fis.send(new GetExperimentTemplateCommand({ id }))).experimentTemplate;
      return { id: t?.id ?? id, roleArn: t?.roleArn, tags: t?.tags ?? {} };
    },
    async startExperiment(experimentTemplateId, clientToken, tags) {
      return experimentView((await fis.send(new StartExperimentCommand({ experimentTemplateId, clientToken, tags: { ...tags } }))).experiment ?? {});
    },
    async getExperiment(id) {
      return experimentView((await fis.send(new GetExperimentCommand({ id }))).experiment ?? {});
    },
    async stopExperiment(id) {
      return experimentView((await fis.send(new StopExperimentCommand({ id }))).experiment ?? {});
    },
    async instances(tags) {
      const out: Record<string, { state: string; az?: string }> = {};
      let NextToken: string | undefined;
      do {
        const page = await ec2.describeInstances({ Filters: Object.entries(tags).map(([k, v]) => ({ Name: `tag:${k}`, Values: [v] })), NextToken });
        for (const r of page.Reservations ?? [])
          for (const i of r.Instances ?? []) if (i.InstanceId) out[i.InstanceId] = { state: i.State?.Name ?? "unknown", az: i.Placement?.AvailabilityZone };
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    async scalingActivities(AutoScalingGroupName, since) {
      return activitiesSince(async (NextToken) => {
        const page = await autoscaling.describeScalingActivities({ AutoScalingGroupName, MaxRecords: ACTIVITY_PAGE_MAX, NextToken });
        return {
          nextToken: page.NextToken,
          activities: (page.Activities ?? []).map((a) => ({
            id: a.ActivityId ?? "",
            description: a.Description ?? "",
            cause: a.Cause,
            status: a.StatusCode ?? "",
            startAt: ms(a.StartTime) ?? 0,
            endAt: ms(a.EndTime),
          })),
        };
      }, since);
    },
    async alarmHistory(AlarmName, from, to) {
      const out: AlarmTransition[] = [];
      let NextToken: string | undefined;
      do {
        const page = await cloudwatch.describeAlarmHistory({
          AlarmName,
          HistoryItemType: "StateUpdate",
          StartDate: new Date(from),
          EndDate: new Date(to),
          NextToken,
        });
        for (const h of page.AlarmHistoryItems ?? []) {
          const summary = h.HistorySummary ?? "";
          out.push({ at: ms(h.Timestamp) ?? 0, alarm: h.AlarmName ?? AlarmName, summary, to: transitionTarget(summary) });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    async runCommand(instanceId, commands, signal) {
      try {
        const sent = await ssm.sendCommand({
          InstanceIds: [instanceId],
          DocumentName: "AWS-RunShellScript",
          Parameters: { commands: [...commands] },
          TimeoutSeconds: 60,
        });
        const CommandId = sent.Command?.CommandId;
        if (!CommandId) return { ok: false, output: "", error: "SendCommand returned no command id" };
        const deadline = Date.now() + COMMAND_TIMEOUT_MS;
        while (Date.now() < deadline && !signal?.aborted) {
          await new Promise((r) => setTimeout(r, COMMAND_POLL_MS));
          try {
            const inv = await ssm.getCommandInvocation({ CommandId, InstanceId: instanceId });
            const status = inv.Status ?? "";
            if (["Pending", "InProgress", "Delayed"].includes(status)) continue;
            return status === "Success"
              ? { ok: true, output: inv.StandardOutputContent ?? "" }
              : { ok: false, output: inv.StandardOutputContent ?? "", error: `${status}: ${(inv.StandardErrorContent ?? "").trim()}` };
          } catch (e) {
            // The invocation may not be visible yet right after SendCommand.
            if ((e as Error).name !== "InvocationDoesNotExist") throw e;
          }
        }
        return { ok: false, output: "", error: signal?.aborted ? "interrupted" : `no result within ${COMMAND_TIMEOUT_MS / 1000} s` };
      } catch (e) {
        return { ok: false, output: "", error: (e as Error).message };
      }
    },
  };
}
