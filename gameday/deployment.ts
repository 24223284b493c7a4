/**
 * What a game day needs to know about a deployed stack, from its Terraform outputs (`terraform
 * output -json` in the stack's `cdktf.out` directory) and its synthesized configuration: the
 * experiment's template, the endpoint to probe, the group, the alarms, and what the model
 * expects of the experiment. Bad input (a stack that is not configured, an unknown experiment,
 * experiments not enabled in the deployed stack) is one line naming the key, the value and the fix.
 */
import * as fs from "fs";
import * as path from "path";
import { STACK_IDS, StackConfig } from "../config/schema";
import { similarTo } from "../config/suggest";
import { ResourceGraph } from "../lib/resource-graph";
import { assessTerraformJson } from "../model";
import { EXPERIMENT_INFO, StackExperiment, experimentsOf } from "../model/experiments";
import { AssumptionOverrides, RecoveryAssessment } from "../model/types";
import { EXPERIMENT_TEMPLATES_OUTPUT } from "../modules/experiments";
import { STATE_DIRECTORY } from "../modules/multiaz-stack";
import { baseOf } from "../modules/variants";
import { HEALTH_CHECK_PATH } from "../workload/apps";
import { Expected, expectedOf } from "./expected";

/** A problem with what the operator asked for: exit 2, nothing started. */
export class GamedayInputError extends Error {
  constructor(
    readonly key: string,
    readonly value: string,
    problem: string,
    readonly fix: string,
  ) {
    super(`${key} (${value}): ${problem}; ${fix}`);
    this.name = "GamedayInputError";
  }
}

/** Terraform output values by name (`terraform output -json`, `value` of each). */
export type Outputs = Readonly<Record<string, unknown>>;

export interface GamedayTarget {
  readonly stack: string;
  /** The stack's kind: recovery, multiaz or web. */
  readonly section: "recovery" | "multiaz" | "web";
  readonly experiment: StackExperiment;
  readonly description: string;
  readonly templateId: string;
  /** The URL probed once a second. */
  readonly endpoint: string;
  /** The stack's Auto Scaling group, for its activities. */
  readonly groupName?: string;
  /** The stack's CloudWatch alarms, for their history. */
  readonly alarmNames: readonly string[];
  /** The tags every instance of the stack carries. */
  readonly selectionTags: Readonly<Record<string, string>>;
  /** Where the data marker goes on the server (its state directory), or undefined when the model says it keeps no data. */
  readonly markerDirectory?: string;
  readonly assessment: RecoveryAssessment;
  readonly expected: Expected;
}

const quoted = (xs: readonly string[]) => xs.join(", ");

/** A stack id that is one of the configured stacks. */
export function checkStack(stack: string | undefined, config: StackConfig): string {
  if (stack === undefined) throw new GamedayInputError("--stack", "missing", "is required", `name one of ${quoted(config.stacks)}`);
  if (!(STACK_IDS as readonly string[]).includes(stack)) {
    const near = similarTo(stack, STACK_IDS);
    throw new GamedayInputError(
      "--stack",
      stack,
      "not a stack of this project",
      `use one of ${quoted(config.stacks)}${near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : ""}`,
    );
  }
  if (!(config.stacks as readonly string[]).includes(stack)) {
    throw new GamedayInputError(
      "--stack",
      stack,
      "not among the configured stacks",
      `add it to stacks in STACK_CONFIG (now ${quoted(config.stacks)}) and deploy it`,
    );
  }
  return stack;
}

/** The stack's synthesized configuration, as `npx cdktf deploy` left it. */
export function readSynthesized(stackDir: string, stack: string): object {
  const file = path.join(stackDir, "cdk.tf.json");
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as object;
  } catch {
    throw new GamedayInputError(
      "--stack",
      stack,
      `no synthesized configuration at ${file}`,
      `deploy it first: STACK_CONFIG=<your file> npx cdktf deploy ${stack}`,
    );
  }
}

/** The outputs in `terraform output -json`'s text: `{ name: { value, type, sensitive } }` -> `{ name: value }`. */
export function parseOutputs(text: string): Outputs {
  const doc = JSON.parse(text) as Record<string, { value?: unknown }>;
  return Object.fromEntries(Object.entries(doc).map(([name, o]) => [name, o?.value]));
}

function stringOutput(outputs: Outputs, name: string, stack: string): string {
  const value = outputs[name];
  if (typeof value !== "string" || value === "") {
    throw new GamedayInputError(
      "--stack",
      stack,
      `the deployed stack has no output ${name}`,
      `deploy the stack as this project defines it: npx cdktf deploy ${stack}`,
    );
  }
  return value;
}

/** The URL probed: the endpoint's health check, on the Elastic IP (recovery, multiaz) or the web tier's URL. */
function endpointOf(section: GamedayTarget["section"], outputs: Outputs, stack: string, config: StackConfig): string {
  switch (section) {
    case "recovery":
      return `http://${stringOutput(outputs, "public_ip", stack)}${HEALTH_CHECK_PATH}`;
    case "multiaz":
      return `http://${stringOutput(outputs, "elastic_ip", stack)}${HEALTH_CHECK_PATH}`;
    case "web":
      return new URL(config.web.healthCheck.path, stringOutput(outputs, "url", stack)).toString();
  }
}

/** Every alarm name of the synthesized stack. */
function alarmNamesOf(synthesized: object): string[] {
  return ResourceGraph.fromTerraformJson(synthesized)
    .ofType("aws_cloudwatch_metric_alarm")
    .map((n) => n.values.alarm_name)
    .filter((n): n is string => typeof n === "string" && !n.includes("${"))
    .sort();
}

export interface ResolveInput {
  readonly stack: string;
  readonly experiment: string | undefined;
  readonly config: StackConfig;
  readonly outputs: Outputs;
  readonly synthesized: object;
  /** Measured priors for the model (`--measurements`). */
  readonly assumptions?: AssumptionOverrides;
}

export function resolveTarget({ stack, experiment, config, outputs, synthesized, assumptions }: ResolveInput): GamedayTarget {
  const section = baseOf(stack as (typeof STACK_IDS)[number]) as GamedayTarget["section"];
  const templates = outputs[EXPERIMENT_TEMPLATES_OUTPUT] as Record<string, string> | undefined;
  if (templates === undefined || typeof templates !== "object") {
    throw new GamedayInputError(
      "experiments.enabled",
      "false in the deployed stack",
      `${stack} has no output ${EXPERIMENT_TEMPLATES_OUTPUT}, so no experiment templates`,
      `set "experiments": { "enabled": true } in STACK_CONFIG and run npx cdktf deploy ${stack}`,
    );
  }
  const keys = Object.keys(templates).sort();
  if (experiment === undefined) throw new GamedayInputError("--experiment", "missing", "is required", `name one of ${quoted(keys)}`);
  const known = experimentsOf(section, config.azs).find((e) => e.key === experiment);
  if (!(experiment in templates) || !known) {
    const near = similarTo(experiment, keys);
    throw new GamedayInputError(
      "--experiment",
      experiment,
      `not an experiment of the deployed ${stack}`,
      `use one of ${quoted(keys)}${near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : ""}`,
    );
  }
  const assessment = assessTerraformJson(stack, synthesized, assumptions);
  const expected = expectedOf(known.expectation, assessment, assumptions);
  const keepsData = expected.rpo !== undefined && expected.rpo.kind !== "stateless";
  return {
    stack,
    section,
    experiment: known,
    description: `${EXPERIMENT_INFO[known.name].description}${known.az ? ` (${known.az})` : ""}`,
    templateId: templates[experiment],
    endpoint: endpointOf(section, outputs, stack, config),
    groupName: section === "recovery" ? undefined : stringOutput(outputs, "group_name", stack),
    alarmNames: alarmNamesOf(synthesized),
    selectionTags: { Project: config.project, Stack: stack },
    markerDirectory: keepsData ? STATE_DIRECTORY : undefined,
    assessment,
    expected,
  };
}
