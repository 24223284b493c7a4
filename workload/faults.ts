/**
 * Faults injected into the workload on a healthy instance, as the shell commands SSM Run
 * Command (`AWS-RunShellScript`, as root) runs: the application faults a game day injects.
 * The units are this workload's own (`appUnitName`); nginx is the distribution's unit.
 */
import { DEFAULT_APP } from "./apps";
import { appUnitName } from "./systemd";

export type WorkloadFault = "app-crash" | "app-freeze" | "stop-nginx";

const app = appUnitName(DEFAULT_APP).replace(/\.service$/, "");

/** The commands of each fault; each leaves the instance, its OS and its status checks healthy. */
export const WORKLOAD_FAULT_COMMANDS: Readonly<Record<WorkloadFault, readonly string[]>> = {
  // The process dies; systemd's Restart= brings it back.
  "app-crash": [`sudo systemctl kill --signal=SIGKILL ${app}`],
  // The process lives but answers nothing (stopped by SIGSTOP): no restart policy sees it.
  "app-freeze": [`sudo kill -STOP $(systemctl show --property MainPID --value ${app})`],
  // A clean stop, which Restart= does not undo: only a health check from outside the unit notices.
  "stop-nginx": ["sudo systemctl stop nginx"],
};
