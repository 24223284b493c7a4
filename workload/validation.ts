/**
 * Input checks shared by the workload renderers. Each one names the prop and the value given
 * and says what a valid value looks like, so a failed render reads as its own fix.
 */
import { isDnsName } from "../lib/dns-names";

/** A TCP port a process can listen on. */
export function assertPort(propName: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${propName} (${port}) must be an integer from 1 to 65535`);
  }
}

/**
 * Ports that share one host and one interface: two listeners on the same port would make the
 * second process fail at boot, long after the render that could have caught it.
 */
export function assertDistinctPorts(ports: Readonly<Record<string, number>>): void {
  const firstByPort = new Map<number, string>();
  for (const [propName, port] of Object.entries(ports)) {
    const earlier = firstByPort.get(port);
    if (earlier !== undefined) {
      throw new Error(`${propName} (${port}) must differ from ${earlier} (${port}): every listener on the instance needs its own port`);
    }
    firstByPort.set(port, propName);
  }
}

/** A host name nginx can match in `server_name` and a client can send in `Host` (lib/dns-names.ts). */
export function assertDnsName(propName: string, name: string): void {
  if (!isDnsName(name)) {
    throw new Error(
      `${propName} (${JSON.stringify(name)}) must be a DNS name such as app-b.example.internal: ` +
        "dot-separated labels of 1-63 letters, digits or inner hyphens, 253 characters at most",
    );
  }
}

// No whitespace, quotes, `;`, `{`, `}`, `$` or `#`: each would end or change an nginx directive,
// a systemd setting or a YAML scalar that the path is written into.
const SAFE_ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]*$/;

/** A file system path written verbatim into nginx.conf, a systemd unit or cloud-init. */
export function assertAbsolutePath(propName: string, path: string): void {
  if (!SAFE_ABSOLUTE_PATH.test(path) || path.split("/").includes("..")) {
    throw new Error(
      `${propName} (${JSON.stringify(path)}) must be an absolute path of letters, digits, ` +
        "'.', '_', '-' and '/', without '..', such as /usr/share/nginx/html",
    );
  }
}

/**
 * A name used as a Linux user name, a systemd unit name and an nginx upstream name at once.
 * Linux user names are safest lower case and at most 32 characters (useradd's limit).
 */
export function assertServiceName(propName: string, name: string): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(name) || name.endsWith("-")) {
    throw new Error(
      `${propName} (${JSON.stringify(name)}) must be 1-32 lower-case letters, digits or inner ` + "hyphens starting with a letter, such as aws-exercise-a",
    );
  }
}

/** An existing system user name, as nginx's `user` directive expects. */
export function assertUserName(propName: string, name: string): void {
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(name)) {
    throw new Error(
      `${propName} (${JSON.stringify(name)}) must be a system user name: 1-32 lower-case ` +
        "letters, digits, '_' or '-', not starting with a digit or '-', such as nginx",
    );
  }
}
