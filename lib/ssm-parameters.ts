/**
 * The names of the SSM parameters the stacks write: a path of `/`-separated parts of letters,
 * digits and `_.-`, at most 1011 characters, not under `aws` or `ssm` (prefixes AWS reserves).
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
 */
export function isParameterPath(name: string): boolean {
  return /^\/[A-Za-z0-9_.\-/]{1,1010}$/.test(name) && !/^\/(aws|ssm)/i.test(name);
}
