/**
 * IAM policy documents, written in one way everywhere: Terraform's `jsonencode()`. Not
 * JSON.stringify: a JSON string that embeds references renders in cdk.tf.json, but cdktf's
 * HCL output (`cdktf synth --hcl`, the door out of CDKTF) does not escape its quotes, and
 * Terraform rejects the file (the HCL export test shows it).
 */
import { Fn } from "cdktf";

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
