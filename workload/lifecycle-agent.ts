/**
 * The small agent an Auto Scaling instance runs at boot to complete its group's launch
 * lifecycle hook once it is ready, so that readiness, not a guessed grace period, decides
 * when a new instance counts: ready means the workload answers its health check on the
 * instance (nginx's `/health`, which requires both apps). Until then Auto Scaling holds the
 * instance in `Pending:Wait` (or `Warmed:Pending:Wait`), keeps it out of the load balancer
 * and starts no health-check grace period; if it never gets ready, the agent abandons the
 * launch and Auto Scaling replaces the instance.
 *
 * Which launches it completes depends on the group: the web tier's instances complete their
 * launch into service; the single server completes only its launch into the warm pool (a
 * warm instance must be initialised before Auto Scaling stops it), while its entry into
 * service is completed by the endpoint takeover function once the Elastic IP is on it.
 *
 * It is a systemd unit, not a user data command, so that it also runs when a `Stopped` warm
 * instance boots a second time to enter service (and then finds nothing to complete).
 * The permission it needs, to complete the hook of its group, is constructs/autoscaling/launch-hook.ts.
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/retrieving-target-lifecycle-state-through-imds.html
 * @see https://docs.aws.amazon.com/autoscaling/ec2/userguide/completing-lifecycle-hooks.html
 */
import { METADATA_FUNCTION } from "../lib/instance-metadata";

/** Where the agent's script and unit are installed. */
export const AGENT_NAME = "lifecycle-agent";
export const AGENT_SCRIPT_PATH = `/usr/local/sbin/${AGENT_NAME}`;
export const AGENT_UNIT_PATH = `/etc/systemd/system/${AGENT_NAME}.service`;

/** Seconds the agent waits for a target lifecycle state before it gives up. */
export const STATE_WAIT_SECONDS = 300;

/** Seconds between readiness checks. */
export const READY_POLL_SECONDS = 5;

/** A launch lifecycle hook of a group. */
export interface LaunchHook {
  readonly groupName: string;
  readonly hookName: string;
}

/** Where a launch is going: into service, or into the group's warm pool. */
export type LaunchDestination = "InService" | "WarmPool";

export interface LifecycleAgentProps {
  /** Region of the group, for the AWS CLI. */
  readonly region: string;
  /** The group's launch hook, which the agent completes. */
  readonly launchHook: LaunchHook;
  /** The launches the agent completes; others it leaves (to the takeover function). */
  readonly completes: readonly LaunchDestination[];
  /** URL on the instance that answers 2xx once the workload is ready, e.g. `http://127.0.0.1:80/health`. */
  readonly healthUrl: string;
  /**
   * Seconds the agent waits for readiness before it abandons the launch: the hook's
   * heartbeat timeout (see `launchHookTimeoutSeconds` in model/assumptions.ts), so the
   * agent decides and says why rather than the timeout.
   */
  readonly readyTimeoutSeconds: number;
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
  const { launchHook: hook } = props;
  if (props.completes.length === 0) throw new Error("completes: name the launches the agent completes (InService, WarmPool)");
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d{1,5})?\/[A-Za-z0-9._/-]*$/.test(props.healthUrl)) {
    throw new Error(`healthUrl: ${JSON.stringify(props.healthUrl)} must be an http:// URL on the instance itself (127.0.0.1 or localhost)`);
  }
  if (!Number.isInteger(props.readyTimeoutSeconds) || props.readyTimeoutSeconds < READY_POLL_SECONDS) {
    throw new Error(`readyTimeoutSeconds: ${props.readyTimeoutSeconds} must be a whole number of seconds, at least ${READY_POLL_SECONDS}`);
  }
  const patterns = props.completes.map((d) => (d === "InService" ? "InService" : "Warmed:*")).join(" | ");

  const script =
    [
      "#!/bin/bash",
      `# ${AGENT_NAME}: rendered by workload/lifecycle-agent.ts; runs at every boot.`,
      "set -u",
      `REGION=${shellWord(props.region)}`,
      "",
      "# IMDSv2 (the launch template requires it): a session token first, then the item.",
      ...METADATA_FUNCTION,
      "",
      "retry() {",
      "  local attempts=$1 i",
      "  shift",
      '  for i in $(seq "$attempts"); do',
      '    "$@" && return 0',
      "    sleep $((i * 5))",
      "  done",
      "  return 1",
      "}",
      "",
      "complete_launch() {",
      '  retry 3 aws autoscaling complete-lifecycle-action --region "$REGION" \\',
      `    --auto-scaling-group-name ${shellWord(hook.groupName)} --lifecycle-hook-name ${shellWord(hook.hookName)} \\`,
      '    --instance-id "$INSTANCE_ID" --lifecycle-action-result "$1"',
      "}",
      "",
      'INSTANCE_ID=$(retry 12 metadata instance-id) || { echo "no instance id from the instance metadata" >&2; exit 1; }',
      "",
      "# Where the group is launching this instance (the state appears shortly after launch).",
      'state=""',
      `for i in $(seq ${Math.ceil(STATE_WAIT_SECONDS / READY_POLL_SECONDS)}); do`,
      "  state=$(metadata autoscaling/target-lifecycle-state || true)",
      '  [ -n "$state" ] && break',
      `  sleep ${READY_POLL_SECONDS}`,
      "done",
      'case "$state" in',
      "  Warmed:Terminated | Terminated | Detached)",
      '    echo "launched towards $state: nothing to complete"',
      "    exit 0",
      "    ;;",
      `  ${patterns}) ;;`,
      '  "")',
      `    echo "no target lifecycle state after ${STATE_WAIT_SECONDS} s (not in an Auto Scaling group?); nothing to complete" >&2`,
      "    exit 1",
      "    ;;",
      "  *)",
      '    echo "launched towards $state: not a launch this agent completes"',
      "    exit 0",
      "    ;;",
      "esac",
      "",
      "# Ready means the workload answers its health check on this instance.",
      `for i in $(seq ${Math.ceil(props.readyTimeoutSeconds / READY_POLL_SECONDS)}); do`,
      `  if curl -sf -o /dev/null --max-time 3 ${shellWord(props.healthUrl)}; then`,
      '    echo "ready after $(((i - 1) * ' + READY_POLL_SECONDS + ')) s: completing the launch towards $state"',
      '    complete_launch CONTINUE || { echo "could not complete the launch (already completed, or timed out?)" >&2; exit 1; }',
      // Entering service is the last launch of this instance: later boots have nothing to complete.
      '    [ "$state" = InService ] && systemctl disable --quiet ' + AGENT_NAME + ".service",
      "    exit 0",
      "  fi",
      `  sleep ${READY_POLL_SECONDS}`,
      "done",
      `echo "${props.healthUrl} did not answer within ${props.readyTimeoutSeconds} s: abandoning the launch, Auto Scaling replaces the instance" >&2`,
      "complete_launch ABANDON",
      "exit 1",
    ].join("\n") + "\n";

  const unit =
    [
      "[Unit]",
      `Description=${AGENT_NAME}: completes the Auto Scaling launch once the workload answers ${props.healthUrl}`,
      "Wants=network-online.target",
      "After=network-online.target",
      "",
      "[Service]",
      // simple, not oneshot: the agent waits for the workload without holding up the boot.
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

/** A value safe as one shell word: names, regions and local URLs only, never quoted input. */
function shellWord(value: string): string {
  if (!/^[A-Za-z0-9._:/-]+$/.test(value)) throw new Error(`${JSON.stringify(value)} is not a plain name; refusing to put it in a shell script`);
  return value;
}
