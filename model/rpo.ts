/**
 * How much data each failure mode can cost. A standalone instance keeps its EBS volume through
 * recovery and reboots; an AZ outage leaves that volume out of reach until the AZ returns,
 * which is not the same as lost. A replacement starts from an image: with the AMI pipeline it
 * loses what was written since the newest published image was taken, whose age runs up to the
 * interval plus DLM's start window, the image's creation and its publication; the failed
 * instance's own root volume is deleted with it unless `delete_on_termination` is off (then it
 * is kept for an operator, out of reach with its AZ in an AZ outage). Data on instance store
 * volumes survives only where the instance stays on its host (a reboot, a restarted process):
 * EC2 recovery moves it to other hardware, a power loss stops it, a replacement terminates it.
 */
import type { AssumptionLedger } from "./assess";
import { uniform } from "./distributions";
import { GroupServer, Inventory, Server, StandaloneServer } from "./inventory";
import { Estimate, Term, estimate } from "./simulate";
import { FailureMode, Rpo } from "./types";
import { restartsCrash } from "./workload-facts";

const AZ_MODES: readonly FailureMode[] = ["az-outage", "az-gray"];

/** Data on a regional EFS with mount targets in two AZs or more survives every mode; One Zone EFS only those inside its AZ. */
function efsRpo(mode: FailureMode, inventory: Inventory): Rpo | undefined {
  const usable = inventory.fileSystems.filter((fs) => !AZ_MODES.includes(mode) || (fs.regional && fs.mountTargetAzs.length >= 2));
  return usable.length > 0 ? { kind: "zero", reason: `data on EFS ${usable.map((fs) => fs.address).join(", ")}` } : undefined;
}

/**
 * The RPO with what becomes of the server's instance store, if it has one: `lostBecause` says
 * why its data is lost in the mode, undefined where the instance stays on its host and keeps it.
 */
function withInstanceStore(rpo: Rpo, server: Server, lostBecause: string | undefined): Rpo {
  if (server.instanceStore === undefined) return rpo;
  const fate = lostBecause === undefined ? "kept, the instance stays on its host" : `lost, ${lostBecause}`;
  return { ...rpo, reason: `${rpo.reason}; data on instance store (${server.instanceStore}): ${fate}` };
}

/** Why a standalone instance's instance store is lost in `mode`, or undefined when it stays on its host. */
function instanceStoreLoss(mode: FailureMode): string | undefined {
  if (mode === "host" || mode === "control-plane") return "EC2 recovery moves the instance to other hardware";
  if (mode === "az-outage") return "the instance loses power or is stopped with its AZ";
  return undefined;
}

export function instanceRpo(server: StandaloneServer, mode: FailureMode, inventory: Inventory): Rpo {
  return withInstanceStore(volumeRpo(server, mode, inventory), server, instanceStoreLoss(mode));
}

function volumeRpo(server: StandaloneServer, mode: FailureMode, inventory: Inventory): Rpo {
  const efs = efsRpo(mode, inventory);
  if (efs) return efs;
  if (mode === "az-outage") {
    return { kind: "unavailable", reason: `the only copy is the EBS volume in ${server.az ?? "its AZ"}; EBS replicates within its AZ` };
  }
  // EC2 recovery and reboots keep the instance's EBS volumes, delete_on_termination or not.
  return { kind: "zero", reason: "EBS kept" };
}

/** The image-age estimate is the same for every mode of a group: made once per group and set of priors. */
const imageAges = new WeakMap<GroupServer, Estimate>();

function imageAge(group: GroupServer, terms: Term[]): Estimate {
  const known = imageAges.get(group);
  if (known) return known;
  const e = estimate([{ mechanism: "image age", steps: terms }]);
  imageAges.set(group, e);
  return e;
}

export function replacementRpo(group: GroupServer, mode: FailureMode, inventory: Inventory, ledger: AssumptionLedger): Rpo {
  // Healed in place (a restarted process): the disks stay; otherwise the instance is replaced.
  const inPlace =
    (mode === "app-crash" && group.workload.units.length > 0 && group.workload.units.every(restartsCrash)) ||
    (mode === "app-hang" && group.workload.watchdog !== undefined);
  return withInstanceStore(
    groupVolumeRpo(group, mode, inPlace, inventory, ledger),
    group,
    inPlace ? undefined : "the failed instance is terminated and replaced",
  );
}

function groupVolumeRpo(group: GroupServer, mode: FailureMode, inPlace: boolean, inventory: Inventory, ledger: AssumptionLedger): Rpo {
  const efs = efsRpo(mode, inventory);
  if (efs) return efs;
  // Interchangeable servers behind a load balancer cannot hold the system of record on their
  // own disks (the others would not see it): the design is stateless.
  if (group.targetGroups.length > 0 && group.maxSize >= 2) return { kind: "stateless", reason: "interchangeable servers behind a load balancer" };
  if (inPlace) return { kind: "zero", reason: "the disk stays: the process restarts in place" };
  const disk = group.rootDeletedOnTermination
    ? mode === "az-outage"
      ? "the failed instance's volume is in the failed AZ, and deleted with the instance"
      : "the failed instance's root volume is deleted with it"
    : mode === "az-outage"
      ? "the failed instance's root volume is kept (delete_on_termination false) but in the failed AZ: out of reach until the AZ returns, then an operator can copy the rest from it"
      : "the failed instance's root volume is kept (delete_on_termination false): an operator can copy the rest from it";
  // A warm instance keeps the disk it was launched with, older than the newest image.
  if (group.warmPool) return { kind: "everything", reason: `a warm-pool instance keeps the disk it was launched with; ${disk}` };
  if (group.image.kind !== "pipeline") return { kind: "everything", reason: group.image.loss };
  const terms: Term[] = [
    {
      label: `since the newest scheduled image (every ${group.image.intervalSeconds / 3600} h; the failure falls anywhere in the interval)`,
      distribution: uniform(0, group.image.intervalSeconds),
      source: `${group.image.policy}: create_rule interval; uniform`,
    },
    ledger.term("dlmStartWindow"),
    ledger.term("imageCreation"),
    ledger.term("imagePublication"),
  ];
  return { kind: "bounded", reason: `since the newest published AMI of ${group.image.policy}; ${disk}`, terms, estimate: imageAge(group, terms) };
}
