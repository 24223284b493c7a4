/**
 * The health watchdog: heals an app that hangs on a healthy instance, which no EC2 status
 * check sees and systemd does not notice (the process lives). A systemd service probes the
 * instance's own `/health` (both apps through nginx) and, after `failures` failed probes in a
 * row, restarts the apps and nginx; if `/health` still fails `failures` probes later, it
 * escalates: `reboot` (the recovery server: same host, same disk, same addresses) or
 * `poweroff` (a group's server: an instance that is not running is replaced by its group at
 * once). It uses only the instance itself, no AWS API, so it heals while a control plane is
 * impaired (Well-Architected REL11-BP04,
 * https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_withstand_component_failures_avoid_control_plane.html).
 *
 * It counts failures only after the first healthy answer since it started, so a server that
 * is still booting, or one whose first boot failed, is never rebooted or powered off in a loop.
 * The recovery model reads its settings from the unit's `Environment=` line.
 */
import { SYSTEMD_UNIT_DIRECTORY } from "./systemd";
import { WorkloadFile } from "./workload-file";

/** What the watchdog does when a restart did not bring `/health` back. */
export type WatchdogEscalation = "reboot" | "poweroff";

export interface HealthWatchdogProps {
  /** What it probes: the instance's own health check. */
  readonly url: string;
  /** The units it restarts. */
  readonly units: readonly string[];
  readonly escalation: WatchdogEscalation;
  /** Seconds between probes (after a probe ends). @default 10 */
  readonly intervalSeconds?: number;
  /** Seconds a probe waits for an answer. @default 3 - nginx's 1 s per app, twice, and a margin */
  readonly timeoutSeconds?: number;
  /** Failed probes in a row before it restarts, and again before it escalates. @default 3 */
  readonly failures?: number;
}

export const WATCHDOG_UNIT = "health-watchdog.service";
export const WATCHDOG_SCRIPT_PATH = "/opt/workload/health-watchdog.sh";

/**
 * The probe loop, kept short: the multiaz server's user data is close to EC2's 16 KB.
 * `ok`: a healthy answer seen since start; `n`: failed probes in a row; `r`: restarted since
 * the last healthy answer. `WATCHDOG_SYSTEMCTL` lets a test record what it would do.
 */
export const WATCHDOG_SCRIPT = `#!/bin/bash
# Rendered by workload/health-watchdog.ts
sc="\${WATCHDOG_SYSTEMCTL:-systemctl}" ok=0 n=0 r=0
while :; do
  if curl -sf -o /dev/null -m "$WATCHDOG_TIMEOUT" "$WATCHDOG_URL"; then ok=1 n=0 r=0
  elif [ $ok = 1 ] && n=$((n + 1)) && [ $n -ge "$WATCHDOG_FAILURES" ]; then
    if [ $r = 0 ]; then echo "health-watchdog: restart $WATCHDOG_UNITS"; $sc restart $WATCHDOG_UNITS; r=1 n=0
    else echo "health-watchdog: $WATCHDOG_ESCALATION"; $sc "$WATCHDOG_ESCALATION"; exit 0; fi
  fi
  sleep "$WATCHDOG_INTERVAL"
done
`;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`health watchdog ${name} (${value}) must be a whole number of seconds or probes, 1 or more`);
  return value;
}

/** The script and the unit that runs it, as files for the user data. */
export function healthWatchdogFiles(props: HealthWatchdogProps): WorkloadFile[] {
  const interval = positiveInteger("intervalSeconds", props.intervalSeconds ?? 10);
  const timeout = positiveInteger("timeoutSeconds", props.timeoutSeconds ?? 3);
  const failures = positiveInteger("failures", props.failures ?? 3);
  if (props.units.length === 0 || props.units.some((u) => !/^[A-Za-z0-9@._-]+\.service$/.test(u))) {
    throw new Error(`health watchdog units (${JSON.stringify(props.units)}) must be one or more systemd service names`);
  }
  const unit = `[Unit]
Description=Health watchdog (workload/health-watchdog.ts)
After=${props.units.join(" ")}
StartLimitIntervalSec=0

[Service]
Environment=WATCHDOG_URL=${props.url} WATCHDOG_INTERVAL=${interval} WATCHDOG_TIMEOUT=${timeout} WATCHDOG_FAILURES=${failures} WATCHDOG_ESCALATION=${props.escalation}
Environment="WATCHDOG_UNITS=${props.units.join(" ")}"
ExecStart=/bin/bash ${WATCHDOG_SCRIPT_PATH}
Restart=always
RestartSec=5

[Install]
WantedBy=multi-user.target
`;
  return [
    { path: WATCHDOG_SCRIPT_PATH, content: WATCHDOG_SCRIPT },
    { path: `${SYSTEMD_UNIT_DIRECTORY}/${WATCHDOG_UNIT}`, content: unit },
  ];
}
