/**
 * The small agent every instance of a single-server Auto Scaling group runs at every boot: it
 * reads the instance's target lifecycle state from the instance metadata (IMDSv2) and only
 * when the group puts the instance in service does it run the commands that make it the
 * server (taking over the Elastic IP). An instance launched into the warm pool initialises,
 * completes the group's launch hook and never touches the endpoint.
 *
 * It is a systemd unit, not a user data command: user data runs at the first boot only, and
 * an instance from a `Stopped` warm pool enters service by booting a second time.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/retrieving-target-lifecycle-state-through-imds.html
 */
import { METADATA_FUNCTION } from "../../lib/instance-metadata";

/** Where the agent's script and unit are installed. */
export const AGENT_NAME = "lifecycle-agent";
export const AGENT_SCRIPT_PATH = `/usr/local/sbin/${AGENT_NAME}`;
export const AGENT_UNIT_PATH = `/etc/systemd/system/${AGENT_NAME}.service`;

/** Seconds the agent waits for a target lifecycle state before it gives up. */
export const STATE_WAIT_SECONDS = 600;

/** A launch lifecycle hook the agent completes once the workload runs. */
export interface LaunchHook {
  readonly groupName: string;
  readonly hookName: string;
}

export interface LifecycleAgentProps {
  /** Region of the group, for the AWS CLI. */
  readonly region: string;
  /**
   * Shell commands run when the target lifecycle state is `InService`, once the workload runs.
   * They may use `$INSTANCE_ID`, `$REGION` and the agent's functions `metadata <path>` (IMDSv2)
   * and `retry <attempts> <command...>`. They are plain text, like all user data: values known
   * only at apply time are read from the instance's tags (`metadata tags/instance/<key>`).
   */
  readonly inServiceCommands: readonly string[];
  /** systemd units that must be active before the instance takes over or completes the hook. @default ["nginx.service"] */
  readonly workloadUnits?: readonly string[];
  /**
   * The group's launch hook, completed when the instance is ready (in service or in the warm
   * pool). Needed with a warm pool: Auto Scaling stops a warm instance as soon as it launched,
   * without waiting for user data, unless a hook holds it.
   * @default - no hook to complete
   */
  readonly launchHook?: LaunchHook;
}

export interface LifecycleAgent {
  /** The agent script (bash). */
  readonly script: string;
  /** Its systemd unit. */
  readonly unit: string;
  /** User data commands that install, enable and start the agent at the first boot. */
  readonly bootCommands: string[];
}

/** The agent for `props`. */
export function renderLifecycleAgent(props: LifecycleAgentProps): LifecycleAgent {
  const workloadUnits = props.workloadUnits ?? ["nginx.service"];
  if (props.inServiceCommands.length === 0) throw new Error("inServiceCommands: give at least one command to run once the instance is in service");
  for (const unit of workloadUnits) {
    if (!/^[A-Za-z0-9@._-]+\.(service|target|mount)$/.test(unit)) throw new Error(`workloadUnits: ${JSON.stringify(unit)} is not a systemd unit name`);
  }
  const hook = props.launchHook;
  const completeLaunch = hook
    ? [
        "complete_launch() {",
        "  retry 3 aws autoscaling complete-lifecycle-action --region \"$REGION\" \\",
        `    --auto-scaling-group-name ${shellWord(hook.groupName)} --lifecycle-hook-name ${shellWord(hook.hookName)} \\`,
        "    --instance-id \"$INSTANCE_ID\" --lifecycle-action-result CONTINUE",
        "}",
      ]
    : ["# The group has no launch hook to complete.", "complete_launch() { :; }"];

  const script = [
    "#!/bin/bash",
    `# ${AGENT_NAME}: rendered by constructs/autoscaling/lifecycle-agent.ts; runs at every boot.`,
    "set -u",
    `REGION=${shellWord(props.region)}`,
    "",
    "# IMDSv2 (the launch template requires it): a session token first, then the item.",
    ...METADATA_FUNCTION,
    "",
    "retry() {",
    "  local attempts=$1 i",
    "  shift",
    "  for i in $(seq \"$attempts\"); do",
    "    \"$@\" && return 0",
    "    sleep $((i * 5))",
    "  done",
    "  return 1",
    "}",
    "",
    ...completeLaunch,
    "",
    "INSTANCE_ID=$(retry 12 metadata instance-id) || { echo \"no instance id from the instance metadata\" >&2; exit 1; }",
    "",
    "# Ready means the workload runs: only then take over or complete the launch.",
    "workload_active() {",
    "  local unit",
    `  for unit in ${workloadUnits.join(" ")}; do systemctl is-active --quiet "$unit" || return 1; done`,
    "}",
    "for i in $(seq 120); do",
    "  workload_active && break",
    "  sleep 5",
    "done",
    "",
    "completed=\"\"",
    "waited=0",
    "while :; do",
    "  state=$(metadata autoscaling/target-lifecycle-state || true)",
    "  case \"$state\" in",
    "    InService)",
    ...props.inServiceCommands.map((c) => indent(c, "      ")),
    "      complete_launch",
    "      exit 0",
    "      ;;",
    "    Warmed:Terminated | Terminated | Detached | Standby)",
    "      exit 0",
    "      ;;",
    "    Warmed:*)",
    "      # In the warm pool: ready, but never the server. A pool kept Running enters service",
    "      # without a reboot, so keep watching the state.",
    "      if [ \"$completed\" != \"$state\" ]; then complete_launch; completed=$state; fi",
    "      ;;",
    "    *)",
    "      # No state yet (just launched) or not in an Auto Scaling group: wait, but not forever.",
    `      if [ "$waited" -ge ${STATE_WAIT_SECONDS} ]; then`,
    `        echo "no target lifecycle state after ${STATE_WAIT_SECONDS} s; not taking over" >&2`,
    "        exit 1",
    "      fi",
    "      waited=$((waited + 5))",
    "      ;;",
    "  esac",
    "  sleep 5",
    "done",
  ].join("\n") + "\n";

  const unit = [
    "[Unit]",
    `Description=${AGENT_NAME}: takes over the endpoint when Auto Scaling puts this instance in service`,
    "Wants=network-online.target",
    `After=network-online.target ${workloadUnits.join(" ")}`,
    "",
    "[Service]",
    // simple, not oneshot: a warm instance kept running waits here without holding up the boot.
    "Type=simple",
    `ExecStart=${AGENT_SCRIPT_PATH}`,
    "",
    "[Install]",
    "WantedBy=multi-user.target",
  ].join("\n") + "\n";

  return {
    script,
    unit,
    bootCommands: [
      `${heredoc(AGENT_SCRIPT_PATH, script)}\nchmod 0755 ${AGENT_SCRIPT_PATH}`,
      heredoc(AGENT_UNIT_PATH, unit),
      // --no-block: the agent waits for the workload, which user data starts after this command.
      `systemctl daemon-reload && systemctl enable ${AGENT_NAME}.service && systemctl start --no-block ${AGENT_NAME}.service`,
    ],
  };
}

/**
 * A shell command writing `content` to `path` verbatim (a quoted here-document expands
 * nothing). The end marker must stand alone on its line: a command may follow on the next.
 */
function heredoc(path: string, content: string): string {
  const end = "END_OF_FILE";
  if (content.split("\n").includes(end)) throw new Error(`${path}: content holds the here-document end marker ${end}`);
  return `cat > ${path} <<'${end}'\n${content}${end}`;
}

function indent(command: string, prefix: string): string {
  return command
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

/** A value safe as one shell word: names and regions only, never quoted input. */
function shellWord(value: string): string {
  if (!/^[A-Za-z0-9._:/-]+$/.test(value)) throw new Error(`${JSON.stringify(value)} is not a plain name; refusing to put it in a shell script`);
  return value;
}
