/**
 * What a server's user data installs that heals failures on the instance itself, read from
 * the cloud-init text the launch template carries: systemd units that restart their process
 * (`Restart=`), and a health watchdog that probes the local `/health` and escalates. These are
 * data-plane mechanisms: they need no AWS API (REL11-BP04,
 * https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_withstand_component_failures_avoid_control_plane.html).
 */

/** A systemd service the user data writes. */
export interface RestartedUnit {
  readonly name: string;
  /** `Restart=` (`always`, `on-failure`, ...); absent when the unit is not restarted. */
  readonly restart?: string;
  /** `RestartSec=`. @default 0.1 (systemd's default) */
  readonly restartSeconds: number;
}

/** The local health watchdog's settings (`Environment=WATCHDOG_*` of its unit). */
export interface HealthWatchdog {
  readonly unit: string;
  /** Seconds between probes of the local `/health`. */
  readonly intervalSeconds: number;
  /** Seconds a probe waits for an answer. */
  readonly timeoutSeconds: number;
  /** Consecutive failed probes before it acts. */
  readonly failures: number;
  /**
   * What it does when a restart of the apps did not bring `/health` back within the same
   * number of probes: `reboot` the guest, or `poweroff`, which leaves the instance not running
   * so that its group replaces it at once.
   */
  readonly escalation: "reboot" | "poweroff";
}

export interface WorkloadFacts {
  readonly units: readonly RestartedUnit[];
  readonly watchdog?: HealthWatchdog;
}

/** systemd's `Restart=` values that restart a process that crashed (exited non-zero or was killed). */
const RESTARTS_A_CRASH = new Set(["always", "on-failure", "on-abnormal"]);

/** Whether a unit restarts its process after a crash. */
export function restartsCrash(unit: RestartedUnit): boolean {
  return unit.restart !== undefined && RESTARTS_A_CRASH.has(unit.restart);
}

/** The unit files and drop-ins written by cloud-init's `write_files` (path, then its content up to the next entry). */
function unitFiles(text: string): { name: string; content: string; dropIn: boolean }[] {
  const entries = text.split(/^\s*- path: /m).slice(1);
  return entries.flatMap((entry) => {
    const m = /^"?\/etc\/systemd\/system\/([^"\s/]+)\.service(\.d\/[^"\s/]+\.conf)?"?/.exec(entry);
    return m ? [{ name: m[1], content: entry, dropIn: m[2] !== undefined }] : [];
  });
}

const setting = (content: string, key: string) => new RegExp(`^\\s*${key}=(.+?)\\s*$`, "m").exec(content)?.[1];
const env = (content: string, key: string) => new RegExp(`${key}=(\\w+)`).exec(content)?.[1];

/** The facts from base64 user data (a launch template's) or plain text (an instance's `user_data`). */
export function readWorkload(base64?: string, plain?: string): WorkloadFacts {
  const text = plain ?? (base64 ? Buffer.from(base64, "base64").toString("utf8") : "");
  const files = unitFiles(text);
  const units = files
    .filter((f) => (f.dropIn ? setting(f.content, "Restart") !== undefined : setting(f.content, "ExecStart") !== undefined))
    .filter((f) => env(f.content, "WATCHDOG_INTERVAL") === undefined)
    .map((f) => ({ name: f.name, restart: setting(f.content, "Restart"), restartSeconds: Number(setting(f.content, "RestartSec") ?? 0.1) }));
  const w = files.find((f) => env(f.content, "WATCHDOG_INTERVAL") !== undefined);
  const escalation = w ? env(w.content, "WATCHDOG_ESCALATION") : undefined;
  const watchdog: HealthWatchdog | undefined =
    w && (escalation === "reboot" || escalation === "poweroff")
      ? {
          unit: w.name,
          intervalSeconds: Number(env(w.content, "WATCHDOG_INTERVAL")),
          timeoutSeconds: Number(env(w.content, "WATCHDOG_TIMEOUT") ?? 2),
          failures: Number(env(w.content, "WATCHDOG_FAILURES") ?? 3),
          escalation,
        }
      : undefined;
  return { units, watchdog };
}
