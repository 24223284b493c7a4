/**
 * What the emulator test does with a sandbox: every stack through apply, its rehearsals and
 * destroy side by side (sandbox/lifecycle.ts), with what the test asks the emulator while a
 * stack is up and right before its destroy recorded for the assertions.
 */
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancerAttributesCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { StackId } from "../../config/schema";
import { GAPS } from "../../sandbox/gaps";
import { StackLifecycle, runStacks } from "../../sandbox/lifecycle";
import { REHEARSALS } from "../../sandbox/rehearsals";
import { Rehearsal } from "../../sandbox/rehearsals/rehearsal";
import { AppliedStack, Sandbox, SandboxOptions } from "../../sandbox/sandbox";

/** The target: at least this share of every stack's resources applied. */
export const APPLIED_SHARE = 0.95;

/** What the test reads from the emulator while a stack is up, before its rehearsals. */
export interface WhileUp {
  /** What the emulator holds of the stack by tag (so the empty answer after destroy means something). */
  readonly tagged: number;
  /** The state of the stack's `instance_id` output's instance, when it has that output. */
  readonly instanceState?: string;
  /** `deletion_protection.enabled` of the stack's load balancer, when it has one. */
  readonly deletionProtection?: string;
}

export interface EmulatorRun {
  readonly sandbox: Sandbox;
  readonly stacks: Readonly<Partial<Record<StackId, StackLifecycle<WhileUp> & { readonly deletionProtectionBeforeDestroy?: string }>>>;
}

/** `deletion_protection.enabled` of the stack's load balancer (read from the emulator), if it has one. */
async function deletionProtection(sandbox: Sandbox, stack: StackId): Promise<string | undefined> {
  const lb = sandbox.stateResources(stack, "aws_lb")[0];
  if (!lb) return undefined;
  const elb = new ElasticLoadBalancingV2Client(sandbox.clientConfig());
  const { Attributes } = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: String(lb.attributes.arn) }));
  return Attributes?.find((a) => a.Key === "deletion_protection.enabled")?.Value;
}

async function whileUp(sandbox: Sandbox, a: AppliedStack): Promise<WhileUp> {
  const instanceId = a.outputs.instance_id;
  let instanceState: string | undefined;
  if (typeof instanceId === "string") {
    const found = await new EC2Client(sandbox.clientConfig()).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    instanceState = found.Reservations?.[0]?.Instances?.[0]?.State?.Name;
  }
  return { tagged: (await sandbox.remaining(a.stack)).length, instanceState, deletionProtection: await deletionProtection(sandbox, a.stack) };
}

/**
 * Starts a sandbox and takes every stack through apply, rehearsals and destroy side by side;
 * the sandbox is stopped at the end, and on every path. Throws when a stack's apply or destroy failed.
 */
export async function runSandbox(options: SandboxOptions): Promise<EmulatorRun> {
  const sandbox = await Sandbox.start(options);
  try {
    const before: Partial<Record<StackId, string>> = {};
    const results = await runStacks<WhileUp>(sandbox, {
      hooks: {
        applied: (a) => whileUp(sandbox, a),
        beforeDestroy: async (a) => {
          before[a.stack] = await deletionProtection(sandbox, a.stack);
        },
      },
    });
    const failed = results.filter((r) => r.failed);
    if (failed.length > 0) throw new Error(failed.map((r) => `${r.stack}: ${r.failed!.step} failed: ${r.failed!.message}`).join("\n"));
    return { sandbox, stacks: Object.fromEntries(results.map((r) => [r.stack, { ...r, deletionProtectionBeforeDestroy: before[r.stack] }])) };
  } finally {
    await sandbox.stop();
  }
}

/** Per stack: the share applied (for real or on a stand-in), and every resource not applied for real with its gap. */
export function appliedSummary(a: AppliedStack): { stack: StackId; atTarget: boolean; accounted: boolean; gapsNamed: boolean } {
  return {
    stack: a.stack,
    atTarget: a.applied.length / a.resources.length >= APPLIED_SHARE,
    accounted: a.applied.length + a.standIn.length + a.leftOut.length === a.resources.length,
    gapsNamed: [...a.standIn, ...a.leftOut].every((r) => r.gap === GAPS[r.address.split(".")[0]]),
  };
}

/** The registered rehearsals of these stacks. */
export function rehearsalsOf(stacks: readonly StackId[]): Rehearsal[] {
  return REHEARSALS.filter((r) => stacks.includes(r.stack));
}
