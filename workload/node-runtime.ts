/**
 * The Node.js release the apps run on, as Amazon Linux 2023 packages it. AL2023's plain
 * `nodejs` package is Node.js 18 (end of life upstream since 2025-04-30); every later release
 * is its own package, `nodejs<major>`, whose executable is namespaced `/usr/bin/node-<major>`
 * (`/usr/bin/node` is an `alternatives` link that may point at any installed release), so the
 * units start the namespaced executable: the version cannot change under them.
 * @see https://docs.aws.amazon.com/linux/al2023/ug/nodejs.html (versions 20, 22 and 24; namespaced packages and executables)
 */

export interface NodeRuntime {
  /** Major version. */
  readonly major: number;
  /** The dnf package that installs it. */
  readonly packageName: string;
  /** Its executable, which the systemd units start. */
  readonly executable: string;
  /** End of upstream support (ISO date), after which Amazon Linux stops updating it too. */
  readonly endOfLife: string;
}

function namespaced(major: number, endOfLife: string): NodeRuntime {
  return { major, packageName: `nodejs${major}`, executable: `/usr/bin/node-${major}`, endOfLife };
}

/**
 * Node.js 24, the newest release AL2023 ships: Active LTS, supported upstream until
 * 2028-04-30 (Node.js 22 ends 2027-04-30, Node.js 20 ended 2026-04-30).
 * @see https://github.com/nodejs/Release (schedule)
 */
export const NODE_RUNTIME: NodeRuntime = namespaced(24, "2028-04-30");
