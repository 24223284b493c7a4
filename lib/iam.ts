/**
 * IAM policy documents. Written with JSON.stringify, so the synthesized configuration holds
 * plain JSON (references stay `${aws_x.y.arn}` interpolations inside the string, which
 * Terraform fills in): reviewers, the security checks and the tests all read it as JSON.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Record<string, string | string[]> | "*";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy document of these statements, as a JSON string. */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
