import { AppProps } from "./apps";
import { NODE_RUNTIME } from "./node-runtime";
import { assertAbsolutePath, assertPort, assertServiceName } from "./validation";

/** Where the app script and the Node.js runtime are on the instance. */
export interface AppUnitProps {
  /** The app this unit runs. */
  readonly app: AppProps;

  /** Absolute path of the app script (`APP_SCRIPT`). */
  readonly scriptPath: string;

  /**
   * The Node.js binary.
   * @default NODE_RUNTIME.executable - `/usr/bin/node-24`, installed by AL2023's `nodejs24` package
   */
  readonly nodePath?: string;
}

/** Directory for units the administrator installs, which take precedence over packaged ones. */
export const SYSTEMD_UNIT_DIRECTORY = "/etc/systemd/system";

/** Name of the unit that runs the app. */
export function appUnitName(app: AppProps): string {
  return `${app.name}.service`;
}

/**
 * A systemd unit that keeps one app running: restarted whenever it exits, under a user of its
 * own that can write nowhere and reach nothing but loopback. A compromised app then holds no
 * more than its own process.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.exec.html
 */
export function renderAppUnit(props: AppUnitProps): string {
  const { app, scriptPath } = props;
  const nodePath = props.nodePath ?? NODE_RUNTIME.executable;
  assertServiceName("app.name", app.name);
  assertPort("app.port", app.port);
  assertAbsolutePath("scriptPath", scriptPath);
  assertAbsolutePath("nodePath", nodePath);

  return `# Rendered by workload/systemd.ts: change the generator, not this file.
[Unit]
Description=${app.name}, Node.js app behind nginx on 127.0.0.1:${app.port}
After=network.target
# Never stop restarting: by default systemd gives up after 5 starts in 10 s.
StartLimitIntervalSec=0

[Service]
Environment=APP_NAME=${app.name} PORT=${app.port}
ExecStart=${nodePath} ${scriptPath}
Restart=always
RestartSec=2
# Exit status 2 is the script's "APP_NAME or PORT missing": restarting cannot fix that.
RestartPreventExitStatus=2

# A Linux user of the app's name, made by systemd for as long as the service runs. It implies
# some of the settings below; they are spelt out so that the unit says what it relies on.
DynamicUser=yes
User=${app.name}
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
CapabilityBoundingSet=
LockPersonality=yes
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
SystemCallArchitectures=native
# Only nginx, on this host, talks to the app; the app calls out to nobody.
IPAddressDeny=any
IPAddressAllow=localhost
# MemoryDenyWriteExecute is left off on purpose: V8's JIT compiler needs such memory.

[Install]
WantedBy=multi-user.target
`;
}

/** Where a drop-in for a packaged unit goes: `<unit>.d/<name>.conf` beside the administrator's units. */
export function dropInPath(unit: string, name: string): string {
  return `${SYSTEMD_UNIT_DIRECTORY}/${unit}.d/${name}.conf`;
}

/**
 * A drop-in that makes a packaged unit (nginx.service, which has no `Restart=`) restart
 * after a crash, as the apps' units do, and never stop trying. A clean stop
 * (`systemctl stop`, `nginx -s quit`) stays stopped.
 */
export function renderRestartDropIn(): string {
  return `# Rendered by workload/systemd.ts: change the generator, not this file.
[Unit]
# Never stop restarting: by default systemd gives up after 5 starts in 10 s.
StartLimitIntervalSec=0

[Service]
Restart=on-failure
RestartSec=2
`;
}
