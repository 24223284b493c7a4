/**
 * Runs a boot script as it would run on an instance, with the instance's outside world
 * faked on PATH: `curl` answers like the instance metadata service and enforces IMDSv2 (no
 * session token, no answer), `aws` records its calls, `systemctl` reports the workload,
 * `sleep` returns at once. Each test can then say what the script did, not what it says.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { withTempDir } from "../../../helpers";

export interface FakeInstance {
  /** Target lifecycle states the metadata answers, one per request; the last one repeats. None: the item is missing. */
  readonly states: readonly string[];
  /** The instance's public IPv4 address. @default "192.0.2.10" */
  readonly publicIp?: string;
  /** @default "i-0123456789abcdef0" */
  readonly instanceId?: string;
  /** Whether nginx runs. @default true */
  readonly workloadActive?: boolean;
}

export interface BootRun {
  readonly exitCode: number | null;
  readonly stderr: string;
  /** Each `aws` call's arguments, space-joined. */
  readonly awsCalls: string[];
  /** Each metadata request: `<method> <path> token=<token sent>`. */
  readonly metadataRequests: string[];
  /** Seconds slept, summed. */
  readonly secondsSlept: number;
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
item=\${url#http://169.254.169.254/latest/}
echo "$method $item token=$token" >> "$FAKE_DIR/imds.log"
if [ "$item" = api/token ]; then
  [ "$method" = PUT ] && [ -n "$ttl" ] && { printf %s "${SESSION_TOKEN}"; exit 0; }
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
exit 0
`;

const FAKE_SLEEP = `#!/bin/bash
echo "$1" >> "$FAKE_DIR/sleep.log"
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
    fs.writeFileSync(path.join(dir, "meta", "instance-id"), instance.instanceId ?? "i-0123456789abcdef0");
    fs.writeFileSync(path.join(dir, "meta", "public-ipv4"), instance.publicIp ?? "192.0.2.10");
    fs.writeFileSync(path.join(dir, "states"), instance.states.map((s) => `${s}\n`).join(""));
    if (instance.workloadActive ?? true) fs.writeFileSync(path.join(dir, "workload-active"), "");
    const scriptPath = path.join(dir, "boot.sh");
    fs.writeFileSync(scriptPath, script);

    const run = spawnSync("bash", [scriptPath], {
      env: { PATH: `${bin}:${process.env.PATH}`, FAKE_DIR: dir },
      encoding: "utf8",
      timeout: 20_000,
    });
    const lines = (file: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), "utf8").split("\n").filter(Boolean) : []);
    return {
      exitCode: run.status,
      stderr: run.stderr,
      awsCalls: lines("aws.log"),
      metadataRequests: lines("imds.log"),
      secondsSlept: lines("sleep.log").reduce((sum, s) => sum + Number(s), 0),
    };
  });
}
