/**
 * The fault-injection experiments of each stack (AWS FIS templates, with `experiments.enabled`)
 * and what the model says each one must show: a game day runs one and checks the claim
 * (`claims.ts`) of the failure mode it injects, or, where the stack claims nothing for it,
 * that the endpoint indeed stays down. The AZ experiments exist once per AZ of the stack.
 */
import { AssumptionKey, FailureMode } from "./types";

export type ExperimentName = "terminate" | "reboot" | "app-crash" | "app-freeze" | "stop-nginx" | "az-power" | "az-launch-failure" | "az-network";

export interface ExperimentInfo {
  /** What the experiment does, for the template's description and the report. */
  readonly description: string;
  /** One experiment per AZ (its key ends in the AZ's name). */
  readonly perAz: boolean;
}

export const EXPERIMENT_INFO: Readonly<Record<ExperimentName, ExperimentInfo>> = {
  terminate: { description: "terminate the stack's server (one instance of its group)", perAz: false },
  reboot: { description: "reboot the stack's server through the EC2 API", perAz: false },
  "app-crash": { description: "kill the first app's process (SIGKILL) through SSM Run Command", perAz: false },
  "app-freeze": { description: "freeze the first app's process (SIGSTOP) through SSM Run Command", perAz: false },
  "stop-nginx": { description: "stop nginx (systemctl stop) through SSM Run Command", perAz: false },
  "az-power": {
    description:
      "AZ power interruption: the stack's instances in the AZ stopped, launches of its group there failing, the AZ's subnets cut off for the first minutes",
    perAz: true,
  },
  "az-launch-failure": {
    description: "launches of the stack's group in the AZ failing (insufficient capacity), then its instances there terminated",
    perAz: true,
  },
  "az-network": { description: "all traffic of the stack's subnets in the AZ dropped (network ACL), the instances left running", perAz: true },
};

/** What a run of an experiment must show. */
export type Expectation =
  /** The claim of the model's failure mode (healed within the band, or alarmed / not survived). */
  | { readonly kind: "claim"; readonly mode: FailureMode; readonly note?: string }
  /** No claim: the endpoint must stay down (the stack does not heal this). */
  | { readonly kind: "not-healed"; readonly reason: string }
  /** No claim of a mode: the endpoint comes back within the sum of these priors' ranges (a measurement of the first one). */
  | { readonly kind: "terms"; readonly terms: readonly AssumptionKey[]; readonly reason: string };

const appFaults = {
  "app-crash": { kind: "claim", mode: "app-crash" },
  "app-freeze": { kind: "claim", mode: "app-hang" },
  "stop-nginx": {
    kind: "claim",
    mode: "app-hang",
    note: "a stopped nginx is found as a hung app is: the local /health probe and the load balancer's health check fail, and systemd restarts nothing",
  },
} as const satisfies Partial<Record<ExperimentName, Expectation>>;

const groupExperiments = {
  terminate: { kind: "claim", mode: "host", note: "a terminated instance takes the group's not-running route, as the host-failure injection does" },
  ...appFaults,
  "az-power": { kind: "claim", mode: "az-outage" },
  "az-launch-failure": {
    kind: "claim",
    mode: "az-outage",
    note: "the launch half of an AZ outage: the group must place the replacement in another AZ; no AZ detection, so it should come in well under the band",
  },
  "az-network": { kind: "claim", mode: "az-gray" },
} as const satisfies Partial<Record<ExperimentName, Expectation>>;

/** The experiments of each stack (by its section: recovery, multiaz, web), with their expectations. */
export const STACK_EXPERIMENTS: Readonly<Record<string, Readonly<Partial<Record<ExperimentName, Expectation>>>>> = {
  recovery: {
    terminate: {
      kind: "not-healed",
      reason:
        "not healed by recover: EC2's recover and reboot actions act on a running instance; a terminated one is gone with its root volume, so the alarm " +
        "has nothing to recover and the endpoint stays down until the stack is applied again (npx cdktf deploy recovery)",
    },
    reboot: {
      kind: "terms",
      terms: ["ec2Reboot", "serviceStartAtBoot"],
      reason:
        "the reboot half of the guest-OS route (the reboot alarm's detection is skipped): the instance restarts on its host and systemd starts the workload",
    },
    ...appFaults,
  },
  multiaz: groupExperiments,
  web: groupExperiments,
};

/** An experiment's key: its name, and for one per AZ the AZ (`az-power-ap-northeast-2a`). */
export function experimentKey(name: ExperimentName, az?: string): string {
  return az === undefined ? name : `${name}-${az}`;
}

export interface StackExperiment {
  readonly key: string;
  readonly name: ExperimentName;
  /** The AZ of a per-AZ experiment. */
  readonly az?: string;
  readonly expectation: Expectation;
}

/** Every experiment of a stack of `kind` over its `azs`, in the catalog's order (per-AZ ones once per AZ). */
export function experimentsOf(kind: string, azs: readonly string[]): StackExperiment[] {
  const entries = Object.entries(STACK_EXPERIMENTS[kind] ?? {}) as [ExperimentName, Expectation][];
  return entries.flatMap(([name, expectation]): StackExperiment[] =>
    EXPERIMENT_INFO[name].perAz ? azs.map((az) => ({ key: experimentKey(name, az), name, az, expectation })) : [{ key: name, name, expectation }],
  );
}
