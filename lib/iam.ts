/**
 * IAM policy documents, written in one way everywhere: Terraform's `jsonencode()`. Not
 * JSON.stringify: a JSON string that embeds references renders in cdk.tf.json, but cdktf's
 * HCL output (`cdktf synth --hcl`, the door out of CDKTF) does not escape its quotes, and
 * Terraform rejects the file (the HCL export test shows it).
 */
import { Fn } from "cdktf";
import { nameWithin } from "./aws";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy document of these statements, JSON-encoded by Terraform. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return Fn.jsonencode({ Version: "2012-10-17", Statement: statements });
}

/**
 * The trust policy of a role that the AWS service `principal` (e.g. `ec2.amazonaws.com`)
 * assumes, optionally only under `condition` (a confused-deputy guard). Plain JSON: it holds
 * no Terraform references, so it renders the same in cdk.tf.json and in HCL.
 */
export function assumeRolePolicy(principal: string, condition?: PolicyStatement["Condition"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: principal }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
  });
}

/** IAM's limit on role names (instance profiles allow 128, so a role name fits them too). */
export const IAM_ROLE_NAME_MAX = 64;

/**
 * The name of an IAM role or instance profile. IAM names are global to the account, while the
 * stacks are regional: `<base>-<region>`, so the same stacks deploy to a second region without
 * `EntityAlreadyExists`. A name over 64 characters keeps its region and gets a shortened base
 * plus 8 hex digits of a hash of the full name, so it stays unique and deterministic.
 */
export function regionalIamName(base: string, region: string): string {
  return nameWithin(base, IAM_ROLE_NAME_MAX, `-${region}`);
}
