/**
 * The two configurations of deliberate relaxations __tests__/review/relaxations.test.ts plans,
 * reviews and scans, each with the checks it trips per stack and the reason configured for each.
 * A module of their own, as the test run's plan set (__tests__/plan-set.ts) plans them with the
 * other configurations the test files plan.
 */
import { STACK_NAMES, StackId } from "../../config/schema";
import type { Overrides } from "../helpers";

const HOPS = {
  recovery: "the recovery server runs containers that call AWS with its role",
  multiaz: "the multiaz server runs a container agent that needs the instance role",
  web: "the web servers run containers on the host that read the instance role",
};
const NO_FLOW_LOGS = "a short-lived test network, deleted within the day";
const NO_WAF = "an internal test endpoint, admitted from the office network only";
const UNPROTECTED = "the web stack is about to be destroyed";
const NO_KEY = "a short-lived demo account; AWS-managed encryption is enough";
const SHORT_LOGS = "cost saving: flow logs are kept three months, investigations start sooner";

/** A configuration of relaxations and, per stack, the checks they trip: resource type, rule, the reason configured for it. */
export interface Case {
  readonly name: string;
  readonly stacks: StackId[];
  readonly overrides: Overrides;
  readonly relaxed: Readonly<Record<string, readonly (readonly [type: string, ruleId: string, reason: string])[]>>;
}

export const CASES: readonly Case[] = [
  {
    name: "hop-limit-2-no-flow-logs",
    stacks: [...STACK_NAMES],
    overrides: {
      network: { flowLogs: { enabled: { value: false, reason: NO_FLOW_LOGS } } },
      ...Object.fromEntries(STACK_NAMES.map((s) => [s, { metadataHopLimit: { value: 2, reason: HOPS[s] } }])),
    },
    relaxed: Object.fromEntries(
      STACK_NAMES.map((s) => [
        s,
        [
          ["aws_launch_template", "CKV_AWS_341", HOPS[s]],
          // recovery's instance repeats its template's options
          ...(s === "recovery" ? [["aws_instance", "CKV_AWS_341", HOPS[s]] as const] : []),
          ["aws_vpc", "CKV2_AWS_11", NO_FLOW_LOGS],
        ],
      ]),
    ),
  },
  {
    name: "no-waf-protection-key-short-logs",
    stacks: ["web", "multiaz-efs"],
    overrides: {
      network: { flowLogs: { retentionDays: { value: 90, reason: SHORT_LOGS } } },
      encryption: { customerManagedKey: { value: false, reason: NO_KEY } },
      web: { waf: { enabled: { value: false, reason: NO_WAF } }, deletionProtection: { value: false, reason: UNPROTECTED } },
    },
    relaxed: {
      web: [
        ["aws_lb", "CKV2_AWS_28", NO_WAF],
        ["aws_lb", "CKV_AWS_150", UNPROTECTED],
        ["aws_cloudwatch_log_group", "CKV_AWS_158", NO_KEY],
        ["aws_sns_topic", "CKV_AWS_26", NO_KEY],
        ["aws_cloudwatch_log_group", "CKV_AWS_338", SHORT_LOGS],
      ],
      "multiaz-efs": [
        ["aws_cloudwatch_log_group", "CKV_AWS_158", NO_KEY],
        ["aws_sns_topic", "CKV_AWS_26", NO_KEY],
        ["aws_efs_file_system", "CKV_AWS_184", NO_KEY],
        ["aws_cloudwatch_log_group", "CKV_AWS_338", SHORT_LOGS],
      ],
    },
  },
];
