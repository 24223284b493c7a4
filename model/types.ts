/**
 * The vocabulary of the recovery model: what it finds in a stack's Terraform (mechanisms),
 * what it assumes (documented time ranges with their sources) and what it concludes for each
 * failure mode (survives or not, RTO as a range built from named terms, RPO).
 *
 * RTO = time from the failure until the service answers again; RPO = the window of data that
 * can be lost, measured in time (seed 004, "The comparison to reproduce" in REFERENCE.md).
 */

/** The failure modes the notes compare: one VM (instance or its host) fails, or a whole AZ. */
export type FailureMode = "instance" | "az";

/** Every failure mode, in the order the notes' table lists them. */
export const FAILURE_MODES: readonly FailureMode[] = ["instance", "az"];

/** A duration that is known only within bounds, in seconds; `min <= max`. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/** One addend of an RTO: a detection time derived from the stack, or an action time assumed. */
export interface RtoTerm {
  /** What happens during this time, for humans ("recover alarm: 2 x 60 s periods"). */
  readonly label: string;
  readonly seconds: SecondsRange;
  /** Where the number comes from: the Terraform attribute(s) it is computed from, or an assumption's source. */
  readonly source: string;
}

/** An RTO: the sum of its terms (`min` is the sum of the minima, `max` of the maxima). */
export interface Rto extends SecondsRange {
  readonly terms: readonly RtoTerm[];
}

/** How much data a failure can cost. */
export type Rpo =
  /** Nothing is lost: the data volume survives (EC2 recovery keeps EBS) or lives on EFS. */
  | { readonly kind: "zero"; readonly reason: string }
  /** Up to `seconds` of data: a replacement starts from the newest scheduled image. */
  | { readonly kind: "interval"; readonly seconds: number; readonly reason: string }
  /** All data written since the server was built (or since a fixed image was made). */
  | { readonly kind: "everything"; readonly reason: string }
  /** The servers keep no data, there is nothing to lose. */
  | { readonly kind: "stateless"; readonly reason: string };

export type RpoKind = Rpo["kind"];

/** The model's conclusion for one failure mode. */
export interface ModeAssessment {
  /** Whether the service comes back by itself, without an operator. */
  readonly survives: boolean;
  /** Time to recover; absent when the stack does not survive the failure. */
  readonly rto?: Rto;
  readonly rpo: Rpo;
  /** One or two sentences: which mechanism recovers, or why none does. */
  readonly explanation: string;
}

/** The kinds of recovery-relevant building blocks the model recognises. */
export type MechanismKind =
  | "recover-alarm"
  | "reboot-alarm"
  | "auto-scaling-group"
  | "elb-health-check"
  | "warm-pool"
  | "ami-pipeline"
  | "efs"
  | "elastic-ip"
  | "dns-record"
  | "load-balancer";

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

/** Names of the action-time assumptions; see `assumptions.ts` for their values and sources. */
export type AssumptionKey =
  | "alarmLatency"
  | "ec2Recovery"
  | "serviceStartAtBoot"
  | "asgReplacementStart"
  | "instanceLaunch"
  | "appStartFromBaseImage"
  | "appStartFromImage"
  | "warmPoolStart";

/** A time the model cannot read from the Terraform, with the evidence behind its range. */
export interface Assumption {
  readonly key: AssumptionKey;
  readonly label: string;
  readonly seconds: SecondsRange;
  /** AWS documentation or the notes; "our estimate" with the reasoning where AWS gives no number. */
  readonly source: string;
}

/** Replacement ranges for any of the assumptions. */
export type AssumptionOverrides = Partial<Record<AssumptionKey, SecondsRange>>;

/** The model's result for one stack. */
export interface RecoveryAssessment {
  readonly stack: string;
  /** Every mechanism found, in address order; empty for a stack that cannot recover at all. */
  readonly mechanisms: readonly Mechanism[];
  readonly modes: Readonly<Record<FailureMode, ModeAssessment>>;
  /** The assumptions the assessment used (defaults merged with any overrides). */
  readonly assumptions: readonly Assumption[];
}

/**
 * Signatures of the functions `model/index.ts` exports, fixed here so that consumers can code
 * against them before the implementation lands.
 */
export interface RecoveryModelApi {
  /** Assesses a synthesized `cdk.tf.json` (`{ resource: { type: { name: {...} } } }`). */
  assessTerraformJson(stack: string, tf: object, assumptions?: AssumptionOverrides): RecoveryAssessment;
  /** Assesses a plan from `terraform show -json <planfile>`. */
  assessPlanJson(stack: string, plan: object, assumptions?: AssumptionOverrides): RecoveryAssessment;
  /** "45 s", "7 min", "2 h 30 min", "1 d". */
  formatDuration(seconds: number): string;
  /** "2-7 min", "45 s-2 min"; a single value when min = max. */
  formatRange(range: SecondsRange): string;
  /** "0 (EBS kept)", "24 h", "everything since ...", "none (stateless)". */
  formatRpo(rpo: Rpo): string;
}
