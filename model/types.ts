/**
 * The vocabulary of the recovery model: what it finds in a stack's Terraform (mechanisms),
 * what it assumes (priors with their sources) and what it concludes for each failure mode:
 * healed, alarmed or not survived, the RTO as percentiles of a Monte Carlo over named terms,
 * the RPO, and a claim a game day can falsify.
 *
 * RTO = time from the failure until the service answers again; RPO = the window of data that
 * can be lost, measured in time (AWS Well-Architected, Reliability pillar, REL13:
 * https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/disaster-recovery-dr-objectives.html).
 */
import type { Distribution } from "./distributions";
import type { Estimate, Plane, Route, Term } from "./simulate";

export type { Distribution } from "./distributions";
export type { Estimate, Plane, Route, Step, Term, Together } from "./simulate";

/** The failure modes every stack is assessed for; see `modes.ts` for what each one is. */
export type FailureMode = "host" | "guest-os" | "app-crash" | "app-hang" | "eip-takeover" | "ami-stall" | "az-outage" | "az-gray" | "control-plane";

/** Every failure mode, in the order the tables list them. */
export const FAILURE_MODES: readonly FailureMode[] = [
  "host",
  "guest-os",
  "app-crash",
  "app-hang",
  "eip-takeover",
  "ami-stall",
  "az-outage",
  "az-gray",
  "control-plane",
];

/**
 * What the stack does about a failure: heals it by itself, tells an operator (an alarm or a
 * notification on the stack's topic) who must act, or neither; or the mode cannot happen to
 * this stack (no Elastic IP to take over, no image pipeline to stall).
 */
export type Outcome = "healed" | "alarmed" | "not-survived" | "not-applicable";

/** A duration that is known only within bounds, in seconds; `min <= max`. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/** An RTO: the routes that race to heal the failure and the Monte Carlo's summary of them. */
export interface Rto extends Estimate {
  readonly routes: readonly Route[];
}

/** How much data a failure can cost. */
export type Rpo =
  /** Nothing is lost: the data volume survives (EC2 recovery keeps EBS) or lives on EFS. */
  | { readonly kind: "zero"; readonly reason: string }
  /** Up to `estimate.hull.max` seconds of data: a replacement starts from the newest scheduled image. */
  | { readonly kind: "bounded"; readonly reason: string; readonly terms: readonly Term[]; readonly estimate: Estimate }
  /** Not lost but out of reach until the AZ returns: the only copy is on an EBS volume there. */
  | { readonly kind: "unavailable"; readonly reason: string }
  /** Growing while the failure lasts (an image pipeline that stopped); `alarmAtSeconds`: when an alarm tells. */
  | { readonly kind: "growing"; readonly reason: string; readonly alarmAtSeconds?: number }
  /** All data written since the server was built (or since a fixed image was made). */
  | { readonly kind: "everything"; readonly reason: string }
  /** The servers keep no data, there is nothing to lose. */
  | { readonly kind: "stateless"; readonly reason: string };

export type RpoKind = Rpo["kind"];

/**
 * What a game day does and measures to test the model on one (stack, mode): the injection,
 * what to observe (an external probe of the endpoint once a second, the state-change
 * timestamps), and the band the result must fall in, or the model is wrong.
 */
export interface Claim {
  readonly injection: string;
  readonly observable: string;
  /** "last failed probe within 12 s of the injection"; for a mode not healed, what must be seen instead. */
  readonly band: string;
  /** The band's upper bound in seconds, when the claim is a time. */
  readonly withinSeconds?: number;
}

/** The model's conclusion for one failure mode. */
export interface ModeAssessment {
  readonly mode: FailureMode;
  readonly outcome: Outcome;
  /** Whether the service comes back by itself, without an operator (outcome `healed`). */
  readonly survives: boolean;
  /** The healing mechanism, or what tells the operator, or why nothing does. */
  readonly mechanism: string;
  /** Time to recover; only when healed. */
  readonly rto?: Rto;
  readonly rpo: Rpo;
  /** One or two sentences: how it heals or why not, and what an operator does. */
  readonly explanation: string;
  readonly claim: Claim;
}

/** The kinds of recovery-relevant building blocks the model recognises. */
export type MechanismKind =
  | "recover-alarm"
  | "reboot-alarm"
  | "simplified-recovery"
  | "auto-scaling-group"
  | "elb-health-check"
  | "warm-pool"
  | "ami-pipeline"
  | "image-age-alarm"
  | "efs"
  | "elastic-ip"
  | "endpoint-takeover"
  | "dns-record"
  | "load-balancer"
  | "zonal-shift"
  | "process-restart"
  | "health-watchdog";

/** A recovery-relevant resource found in the stack. */
export interface Mechanism {
  readonly kind: MechanismKind;
  /** Terraform address, `type.name`. */
  readonly address: string;
  /** The settings that matter, for humans ("StatusCheckFailed_System, 2 x 60 s"). */
  readonly detail: string;
  /** AZs the mechanism spans, where that is known from the configuration. */
  readonly azs?: readonly string[];
}

/** Names of the assumed priors; see `assumptions.ts` for their values and sources. */
export type AssumptionKey =
  | "statusCheckReport"
  | "alarmLatency"
  | "ec2Recovery"
  | "simplifiedRecoveryStart"
  | "ec2Reboot"
  | "serviceStartAtBoot"
  | "appRestart"
  | "asgReplaceAtOnce"
  | "asgImpairedWait"
  | "instanceLaunch"
  | "appStartFromBaseImage"
  | "appStartFromImage"
  | "warmPoolStart"
  | "endpointTakeover"
  | "azOutageDetection"
  | "azLaunchRetry"
  | "lbNodeFailover"
  | "dlmStartWindow"
  | "imageCreation"
  | "imagePublication";

/** A time the model cannot read from the Terraform, with the evidence behind its prior. */
export interface Assumption {
  readonly key: AssumptionKey;
  readonly label: string;
  /** The stated low and high. */
  readonly seconds: SecondsRange;
  readonly distribution: Distribution;
  /** AWS documentation; "our estimate" with the reasoning where AWS gives no number; or "measured". */
  readonly source: string;
  /** @default "data" */
  readonly plane?: Plane;
}

/**
 * A replacement for one prior: a stated range (`typical`: the most likely value, for the
 * skewed priors), or measured durations, which become the prior as they are.
 */
export type AssumptionOverride =
  (SecondsRange & { readonly typical?: number; readonly source?: string }) | { readonly samples: readonly number[]; readonly source?: string };

/** Replacements for any of the assumptions. */
export type AssumptionOverrides = Partial<Record<AssumptionKey, AssumptionOverride>>;

/** A setting of the stack that the model finds inconsistent with its own estimates. */
export interface ModelWarning {
  /** The configuration key that sets it, `multiaz.healthCheckGracePeriodSeconds`: what the operator changes. */
  readonly setting: string;
  /** Where it lands in the Terraform: address and attribute, `aws_autoscaling_group.x.health_check_grace_period`. */
  readonly resource: string;
  /** What is wrong and the fix, naming the key. */
  readonly message: string;
}

/** The model's result for one stack. */
export interface RecoveryAssessment {
  readonly stack: string;
  /** Every mechanism found, in address order; empty for a stack that cannot recover at all. */
  readonly mechanisms: readonly Mechanism[];
  readonly modes: Readonly<Record<FailureMode, ModeAssessment>>;
  /** The assumptions the assessment used (defaults merged with any overrides). */
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly ModelWarning[];
}
