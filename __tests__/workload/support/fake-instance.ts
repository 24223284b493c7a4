/**
 * Runs a boot script as it would run on an instance, with the instance's outside world
 * faked on PATH: `curl` answers like the instance metadata service (instance tags included)
 * and enforces IMDSv2 (no session token, no answer), and like the workload's health check for
 * URLs on the instance itself, `aws` records its calls, `systemctl`
 * reports the workload and records the rest, `dnf` and `mount` record their calls (`dnf`
 * fails for a missing package), `rpm -q` knows the installed packages, `mountpoint` knows
 * what was mounted, `sleep` returns at once. Paths the script writes outside its reach are kept in a
 * sandbox. Each test can then say what the script did, not what it says.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { withTempDir } from "../../helpers";

export interface FakeInstance {
  /** Target lifecycle states the metadata answers, one per request; the last one repeats. None: the item is missing. */
  readonly states: readonly string[];
  /** The instance's public IPv4 address. @default "192.0.2.10" */
  readonly publicIp?: string;
  /** @default "i-0123456789abcdef0" */
  readonly instanceId?: string;
  /** Whether nginx runs (`systemctl is-active`). @default true */
  readonly workloadActive?: boolean;
  /**
   * Health checks on the instance itself (`curl http://127.0.0.1...`) that fail before they
   * answer 200; Infinity: never ready.
   * @default 0 - ready at once
   */
  readonly healthyAfterChecks?: number;
  /**
   * The instance's tags, served under `meta-data/tags/instance/<key>`.
   * @default - none: as with instance_metadata_tags disabled, the metadata has no tags
   */
  readonly tags?: Readonly<Record<string, string>>;
  /** Whether the metadata service hands out IMDSv2 session tokens. @default true */
  readonly issuesTokens?: boolean;
  /** Packages `dnf install` cannot find (it fails when asked for one). @default - none */
  readonly missingPackages?: readonly string[];
  /** Packages installed before the script runs (`rpm -q` knows them). @default - none */
  readonly installedPackages?: readonly string[];
  /**
   * Absolute paths the script writes (a file or a directory), kept inside the fake instance:
   * the script's text is rewritten to a private copy of each, and what the script wrote there
   * is reported in {@link BootRun.files} under the real path.
   * @default - none
   */
  readonly sandboxedPaths?: readonly string[];
}

export interface BootRun {
  readonly exitCode: number | null;
  readonly stderr: string;
  /** Each `aws` call's arguments, space-joined. */
  readonly awsCalls: string[];
  /** Each `dnf` and `mount` call: the command and its arguments, space-joined. */
  readonly systemCalls: string[];
  /** Each `systemctl` call other than `is-active`: its arguments, space-joined. */
  readonly systemctlCalls: string[];
  /** The sandboxed paths that are files after the run, with their content. */
  readonly files: Readonly<Record<string, string>>;
  /** Each metadata request: `<method> <path> token=<token sent>`. */
  readonly metadataRequests: string[];
  /** Seconds slept, summed. */
  readonly secondsSlept: number;
  /** Each health check on the instance: its URL. */
  readonly healthChecks: string[];
}

export const SESSION_TOKEN = "session-token-1";

const FAKE_CURL = `#!/bin/bash
method=GET url="" token="" ttl=""
while [ $# -gt 0 ]; do
  case "$1" in
    -X) method=$2; shift 2 ;;
    -H)
      case "$2" in
        "X-aws-ec2-metadata-token: "*) token=\${2#X-aws-ec2-metadata-token: } ;;
        "X-aws-ec2-metadata-token-ttl-seconds: "*) ttl=\${2#X-aws-ec2-metadata-token-ttl-seconds: } ;;
      esac
      shift 2 ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
case "$url" in
  http://127.0.0.1*|http://localhost*)
    echo "$url" >> "$FAKE_DIR/health.log"
    [ "$(wc -l < "$FAKE_DIR/health.log")" -gt "$(cat "$FAKE_DIR/healthy-after")" ] && exit 0
    exit 22 ;;
esac
item=\${url#http://169.254.169.254/latest/}
echo "$method $item token=$token" >> "$FAKE_DIR/imds.log"
if [ "$item" = api/token ]; then
  [ "$method" = PUT ] && [ -n "$ttl" ] && [ ! -f "$FAKE_DIR/no-tokens" ] && { printf %s "${SESSION_TOKEN}"; exit 0; }
  exit 22
fi
[ "$token" = "${SESSION_TOKEN}" ] || exit 22
item=\${item#meta-data/}
if [ "$item" = autoscaling/target-lifecycle-state ]; then
  [ -s "$FAKE_DIR/states" ] || exit 22
  head -n 1 "$FAKE_DIR/states" | tr -d '\\n'
  [ "$(wc -l < "$FAKE_DIR/states")" -gt 1 ] && sed -i 1d "$FAKE_DIR/states"
  exit 0
fi
[ -f "$FAKE_DIR/meta/$item" ] || exit 22
cat "$FAKE_DIR/meta/$item"
`;

const FAKE_AWS = `#!/bin/bash
echo "$*" >> "$FAKE_DIR/aws.log"
`;

const FAKE_SYSTEMCTL = `#!/bin/bash
[ "$1" = is-active ] && [ -f "$FAKE_DIR/workload-active" ] && exit 0
[ "$1" = is-active ] && exit 3
echo "$*" >> "$FAKE_DIR/systemctl.log"
exit 0
`;

const FAKE_SLEEP = `#!/bin/bash
echo "$1" >> "$FAKE_DIR/sleep.log"
`;

const FAKE_DNF = `#!/bin/bash
echo "dnf $*" >> "$FAKE_DIR/system.log"
for arg in "$@"; do
  if grep -qxF -- "$arg" "$FAKE_DIR/missing-packages" 2>/dev/null; then
    echo "Error: Unable to find a match: $arg" >&2
    exit 1
  fi
done
`;

const FAKE_RPM = `#!/bin/bash
[ "$1" = -q ] && shift
grep -qxF -- "$1" "$FAKE_DIR/installed-packages" 2>/dev/null
`;

const FAKE_MOUNT = `#!/bin/bash
echo "mount $*" >> "$FAKE_DIR/system.log"
echo "\${@: -1}" >> "$FAKE_DIR/mounted"
`;

const FAKE_MOUNTPOINT = `#!/bin/bash
[ "$1" = -q ] && shift
grep -qxF "$1" "$FAKE_DIR/mounted" 2>/dev/null
`;

/** Runs `script` with bash on a fake instance. */
export function runOnFakeInstance(script: string, instance: FakeInstance): BootRun {
  return withTempDir((dir) => {
    const bin = path.join(dir, "bin");
    fs.mkdirSync(bin);
    fs.mkdirSync(path.join(dir, "meta"));
    const executable = (name: string, content: string) => fs.writeFileSync(path.join(bin, name), content, { mode: 0o755 });
    executable("curl", FAKE_CURL);
    executable("aws", FAKE_AWS);
    executable("systemctl", FAKE_SYSTEMCTL);
    executable("sleep", FAKE_SLEEP);
    executable("dnf", FAKE_DNF);
    executable("mount", FAKE_MOUNT);
    executable("mountpoint", FAKE_MOUNTPOINT);
    executable("rpm", FAKE_RPM);
    fs.writeFileSync(path.join(dir, "missing-packages"), (instance.missingPackages ?? []).map((p) => `${p}\n`).join(""));
    fs.writeFileSync(path.join(dir, "installed-packages"), (instance.installedPackages ?? []).map((p) => `${p}\n`).join(""));
    fs.writeFileSync(path.join(dir, "meta", "instance-id"), instance.instanceId ?? "i-0123456789abcdef0");
    fs.writeFileSync(path.join(dir, "meta", "public-ipv4"), instance.publicIp ?? "192.0.2.10");
    const tags = Object.entries(instance.tags ?? {});
    if (tags.length > 0) fs.mkdirSync(path.join(dir, "meta", "tags", "instance"), { recursive: true });
    for (const [key, value] of tags) fs.writeFileSync(path.join(dir, "meta", "tags", "instance", key), value);
    fs.writeFileSync(path.join(dir, "states"), instance.states.map((s) => `${s}\n`).join(""));
    if (instance.workloadActive ?? true) fs.writeFileSync(path.join(dir, "workload-active"), "");
    const healthyAfter = instance.healthyAfterChecks ?? 0;
    fs.writeFileSync(path.join(dir, "healthy-after"), String(Number.isFinite(healthyAfter) ? healthyAfter : 1e9));
    if (instance.issuesTokens === false) fs.writeFileSync(path.join(dir, "no-tokens"), "");

    const sandboxed = instance.sandboxedPaths ?? [];
    const sandbox = path.join(dir, "sandbox");
    for (const p of sandboxed) fs.mkdirSync(path.dirname(sandbox + p), { recursive: true });
    const scriptPath = path.join(dir, "boot.sh");
    // One pass, longest path first: each occurrence is rewritten once, by the longest path it starts with.
    const inSandbox = new RegExp(
      [...sandboxed]
        .sort((a, b) => b.length - a.length)
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("|"),
      "g",
    );
    fs.writeFileSync(scriptPath, sandboxed.length > 0 ? script.replace(inSandbox, (p) => sandbox + p) : script);

    const run = spawnSync("bash", [scriptPath], {
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir },
      encoding: "utf8",
      timeout: 20_000,
    });
    const lines = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8").split("\n").filter(Boolean) : []);
    const unsandboxed = (text: string) => text.split(sandbox).join("");
    const files = sandboxed.filter((p) => fs.existsSync(sandbox + p) && fs.statSync(sandbox + p).isFile());
    return {
      exitCode: run.status,
      stderr: unsandboxed(run.stderr),
      awsCalls: lines("aws.log"),
      systemCalls: lines("system.log").map(unsandboxed),
      systemctlCalls: lines("systemctl.log"),
      files: Object.fromEntries(files.map((p) => [p, unsandboxed(fs.readFileSync(sandbox + p, "utf8"))])),
      metadataRequests: lines("imds.log"),
      secondsSlept: lines("sleep.log").reduce((sum, s) => sum + Number(s), 0),
      healthChecks: lines("health.log"),
    };
  });
}
