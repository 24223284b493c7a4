/**
 * What the rehearsals ask the emulator beyond the AWS SDK clients of package.json: a Lambda
 * function's deployed configuration (Lambda's REST API), a queue subscribed to an SNS topic to
 * see what the topic publishes (SQS's JSON API), and our handlers' JSON log lines, kept out of
 * the run's output and given to the checks.
 */
import { SNSClient, SubscribeCommand, UnsubscribeCommand } from "@aws-sdk/client-sns";
import type { Sandbox } from "../sandbox";

/** A request signed only in form: the emulator routes by the credential scope and checks no signature. */
function scope(sandbox: Sandbox, service: string): Record<string, string> {
  const { credentials, region } = sandbox.clientConfig();
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
  };
}

/** A Lambda function as deployed (GetFunction): its role's name and its environment variables. */
export async function functionRole(sandbox: Sandbox, functionName: string): Promise<{ roleName: string; environment: Record<string, string> }> {
  const res = await fetch(`${sandbox.endpoint}/2015-03-31/functions/${encodeURIComponent(functionName)}`, { headers: scope(sandbox, "lambda") });
  if (!res.ok) throw new Error(`lambda:GetFunction ${functionName} at the emulator failed (${res.status}): ${await res.text()}`);
  const body = (await res.json()) as { Configuration?: { Role?: string; Environment?: { Variables?: Record<string, string> } } };
  return { roleName: body.Configuration?.Role?.split("/").pop() ?? "", environment: body.Configuration?.Environment?.Variables ?? {} };
}

/** The environment variables a Lambda function was deployed with. */
export async function functionEnvironment(sandbox: Sandbox, functionName: string): Promise<Record<string, string>> {
  return (await functionRole(sandbox, functionName)).environment;
}

async function sqs<T>(sandbox: Sandbox, operation: string, input: unknown): Promise<T> {
  const res = await fetch(sandbox.endpoint, {
    method: "POST",
    headers: { ...scope(sandbox, "sqs"), "content-type": "application/x-amz-json-1.0", "x-amz-target": `AmazonSQS.${operation}` },
    body: JSON.stringify(input),
  });
  if (!res.ok) throw new Error(`sqs:${operation} at the emulator failed (${res.status}): ${await res.text()}`);
  return (await res.json()) as T;
}

/** A message as SNS delivers it to a queue (not raw): the envelope around the published subject and message. */
export interface TopicMessage {
  readonly Subject?: string;
  readonly Message: string;
}

export interface TopicListener {
  /** What the topic delivered since the last call. */
  received(): Promise<TopicMessage[]>;
  /** Unsubscribes and deletes the queue. */
  close(): Promise<void>;
}

/** Subscribes a new queue to `topicArn`: what the topic publishes from now on arrives there. */
export async function listenToTopic(sandbox: Sandbox, topicArn: string, name: string): Promise<TopicListener> {
  const { QueueUrl } = await sqs<{ QueueUrl: string }>(sandbox, "CreateQueue", { QueueName: name });
  const { Attributes } = await sqs<{ Attributes: { QueueArn: string } }>(sandbox, "GetQueueAttributes", { QueueUrl, AttributeNames: ["QueueArn"] });
  const sns = new SNSClient(sandbox.clientConfig());
  const { SubscriptionArn } = await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn, ReturnSubscriptionArn: true }),
  );
  return {
    async received() {
      const out: TopicMessage[] = [];
      for (;;) {
        const { Messages = [] } = await sqs<{ Messages?: { Body: string; ReceiptHandle: string }[] }>(sandbox, "ReceiveMessage", {
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        });
        if (Messages.length === 0) return out;
        for (const m of Messages) {
          out.push(JSON.parse(m.Body) as TopicMessage);
          await sqs(sandbox, "DeleteMessage", { QueueUrl, ReceiptHandle: m.ReceiptHandle });
        }
      }
    },
    async close() {
      if (SubscriptionArn) await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
      await sqs(sandbox, "DeleteQueue", { QueueUrl });
    },
  };
}

/**
 * Runs `body` with our handlers' JSON log lines (a line that is one JSON object, which is how
 * handler-support/reporting.js logs) collected instead of printed; other output passes.
 */
export async function collectingLogs<T>(body: () => Promise<T>): Promise<{ value: T; logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    if (args.length === 1 && typeof args[0] === "string" && args[0].startsWith("{")) {
      try {
        logs.push(JSON.parse(args[0]) as Record<string, unknown>);
        return;
      } catch {
        // not one of ours
      }
    }
    original(...args);
  };
  try {
    return { value: await body(), logs };
  } finally {
    console.log = original;
  }
}
