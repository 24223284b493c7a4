/**
 * A stack's AWS FIS experiment templates (with `experiments.enabled`): one per experiment the
 * model lists for its kind (`model/experiments.ts`), each choosing its targets by the stack's
 * `Project` and `Stack` tags, stopped by `stopAlarm`, with a role of its own; the output
 * `experiment_templates` maps each experiment's key to its template id for `npm run gameday`.
 */
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { azPowerInterruption } from "../constructs/fis/az-power-interruption";
import {
  FaultAction,
  disruptConnectivity,
  groupLaunchesFail,
  minutes,
  rebootInstances,
  runShell,
  terminateInstances,
  wait,
} from "../constructs/fis/fault-action";
import { FaultExperiment } from "../constructs/fis/fault-experiment";
import { autoScalingGroups, runningInstances, subnetsIn } from "../constructs/fis/fault-target";
import { EXPERIMENT_INFO, StackExperiment, experimentsOf } from "../model/experiments";
import { WORKLOAD_FAULT_COMMANDS } from "../workload/faults";
import { ReferenceStack } from "./reference-stack";

/** The output of the template ids by experiment key. */
export const EXPERIMENT_TEMPLATES_OUTPUT = "experiment_templates";

/** How long the per-AZ faults last unless the experiment is stopped: the power-interruption scenario's outage. */
const AZ_FAULT_MINUTES = 30;

/** How long FIS waits for an SSM command to finish. */
const COMMAND_TIMEOUT = minutes(1);

/** The FIS actions of one experiment; `groupNames`: the stack's Auto Scaling groups. */
function actionsOf(e: StackExperiment, groupNames: readonly string[]): FaultAction[] {
  // One server at a time: in web, the others keep serving, as the model's per-instance modes assume.
  const oneServer = runningInstances({ selectionMode: "COUNT(1)" });
  switch (e.name) {
    case "terminate":
      return [terminateInstances(oneServer)];
    case "reboot":
      return [rebootInstances(oneServer)];
    case "app-crash":
    case "app-freeze":
    case "stop-nginx":
      return [runShell(oneServer, WORKLOAD_FAULT_COMMANDS[e.name], COMMAND_TIMEOUT)];
    case "az-power":
      return azPowerInterruption({ az: e.az!, outageMinutes: AZ_FAULT_MINUTES, groupNames });
    case "az-launch-failure": {
      // Launches there fail first; a minute later the instances there go, and their replacements must go elsewhere.
      const settle = wait(minutes(1));
      return [
        groupLaunchesFail(autoScalingGroups(), e.az!, minutes(AZ_FAULT_MINUTES), groupNames),
        settle,
        terminateInstances(runningInstances({ az: e.az }), [settle.name]),
      ];
    }
    case "az-network":
      return [disruptConnectivity(subnetsIn(e.az!), minutes(AZ_FAULT_MINUTES))];
  }
}

/**
 * Adds the stack's experiment templates, stopped by `stopAlarm` (an alarm of the stack meaning
 * "hurting more than planned"); `groupNames` are its Auto Scaling groups' names, the only groups
 * its launch-failure actions may act on (none for a stack without a group).
 */
export function addExperiments(stack: ReferenceStack, stopAlarm: CloudwatchMetricAlarm, groupNames: readonly string[] = []): Record<string, FaultExperiment> {
  const selectionTags = { Project: stack.commonTags.Project, Stack: stack.commonTags.Stack };
  const experiments = Object.fromEntries(
    experimentsOf(stack.section, stack.config.azs).map((e) => [
      e.key,
      new FaultExperiment(stack, `experiment-${e.key}`, {
        name: `${stack.namePrefix}-fis-${e.key}`,
        description: `${stack.stackName}: ${EXPERIMENT_INFO[e.name].description}${e.az ? ` (${e.az})` : ""}`,
        selectionTags,
        actions: actionsOf(e, groupNames),
        stopAlarm,
        // An AZ may hold none of the stack's instances (multiaz runs one): the other actions still run.
        emptyTargetResolution: e.az ? "skip" : "fail",
      }),
    ]),
  );
  stack.output(
    EXPERIMENT_TEMPLATES_OUTPUT,
    Object.fromEntries(Object.entries(experiments).map(([key, x]) => [key, x.template.id])),
    "AWS FIS experiment template id by experiment; start one with npm run gameday -- --stack <stack> --experiment <key>",
  );
  return experiments;
}
