import { APP_SCRIPT, AppProps, DEFAULT_APP, DEFAULT_NAMED_APP, HEALTH_CHECK_PATH, NamedAppProps } from "./apps";
import { renderCloudConfig } from "./cloud-init";
import { DEFAULT_LISTEN_PORT, renderNginxConfig } from "./nginx-config";
import { staticSiteFiles } from "./static-site";
import { NODE_RUNTIME } from "./node-runtime";
import { SYSTEMD_UNIT_DIRECTORY, appUnitName, dropInPath, renderAppUnit, renderRestartDropIn } from "./systemd";
import { assertNoSecrets, assertUserDataSize } from "./user-data-policy";
import { WorkloadFile } from "./workload-file";
import { WATCHDOG_UNIT, WatchdogEscalation, healthWatchdogFiles } from "./health-watchdog";

/** The instance workload every stack runs: nginx in front of two Node.js apps. */
export interface WorkloadProps {
  /**
   * The app behind nginx's default server, which answers requests by IP and the load
   * balancer's health checks.
   * @default - `aws-exercise-a` on 127.0.0.1:8080
   */
  readonly defaultApp?: AppProps;

  /**
   * The app behind nginx's named server, reached by its DNS name on the same instance.
   * @default - `aws-exercise-b` on 127.0.0.1:8081, reached as `app-b.example.internal`
   */
  readonly namedApp?: NamedAppProps;

  /**
   * Shell commands run once at first boot, after the packages and files are in place and
   * before the apps and nginx start: for instance mounting a file system, or a lifecycle agent. They end up
   * in plain-text user data, so they must fetch any secret at boot rather than contain it.
   * @default - none
   */
  readonly bootCommands?: readonly string[];
  /**
   * A health watchdog on the instance's own `/health` (see `health-watchdog.ts`): it restarts
   * the apps and nginx when the apps hang, then escalates as given: `reboot` for a server healed
   * in place, `poweroff` for one its group replaces. For servers behind a load balancer, whose
   * health check already takes a hung server out, leave it off.
   * @default - no watchdog
   */
  readonly watchdog?: { readonly escalation: WatchdogEscalation };
}

/** The rendered workload, and the facts other stacks wire to it. */
export interface Workload {
  /**
   * The `#cloud-config` document for the instance's user data, as plain text. A launch
   * template wants it base64-encoded (`HardenedLaunchTemplate` encodes it at synth; Terraform's
   * `base64encode()` would break cdktf's HCL output); an `aws_instance` takes it as is.
   */
  readonly userData: string;

  /** The nginx.conf inside `userData`, for review and tests. */
  readonly nginxConf: string;

  /** Every file `userData` writes, in order. */
  readonly files: readonly WorkloadFile[];

  /** The shell commands `userData` runs once the packages and files are in place (cloud-init's runcmd), in order. */
  readonly commands: readonly string[];

  /** Port nginx listens on: the target group's port and its health check's. */
  readonly listenPort: number;

  /** Path the target group's health check requests; answers 200 while both apps answer. */
  readonly healthCheckPath: string;
}

/**
 * The instance's health check as seen on the instance itself (nginx's default server; 200
 * only while both apps answer): what a launch lifecycle agent waits for.
 */
export const LOCAL_HEALTH_URL = `http://127.0.0.1:${DEFAULT_LISTEN_PORT}${HEALTH_CHECK_PATH}`;

/** nginx's packaged unit. */
const NGINX_UNIT = "nginx.service";

/** Where the app script lives: /opt is for add-on software no package owns. */
export const APP_SCRIPT_PATH = "/opt/workload/app.js";

/** Attempts of each package install; the pauses between them grow by 10 s (10 + 20 + 30 + 40 s). */
export const INSTALL_ATTEMPTS = 5;

/**
 * A shell command installing one package with dnf, retried: the first boot installs through
 * NAT or the internet, where a mirror can fail for a moment. After the last attempt it gives
 * up and the boot goes on, so one missing package never takes the others with it.
 */
export function installCommand(packageName: string): string {
  if (!/^[a-z0-9][a-z0-9._+-]*$/.test(packageName)) throw new Error(`${JSON.stringify(packageName)} is not a package name`);
  return (
    `for attempt in $(seq ${INSTALL_ATTEMPTS}); do dnf -y install ${packageName} && break; ` +
    `echo "dnf install ${packageName} failed (attempt $attempt of ${INSTALL_ATTEMPTS})" >&2; ` +
    `[ "$attempt" -lt ${INSTALL_ATTEMPTS} ] && sleep $((attempt * 10)); done`
  );
}

/**
 * The workload as cloud-init user data for Amazon Linux 2023: installs nginx and Node.js in
 * separate steps (nginx first, by cloud-init's package module, so that its packaged files are
 * in place before ours; then nginx again if that failed, and Node.js, each retried on its
 * own: a Node.js package that cannot be installed still leaves nginx), writes nginx.conf, the
 * app script, the static pages, one systemd unit per app and nginx's restart drop-in, then
 * enables the apps and nginx so they also start on every later boot.
 *
 * Fails when a prop is invalid, when the user data would exceed EC2's 16 KB, or when it
 * looks like it carries a secret.
 */
export function renderWorkload(props: WorkloadProps = {}): Workload {
  const defaultApp = props.defaultApp ?? DEFAULT_APP;
  const namedApp = props.namedApp ?? DEFAULT_NAMED_APP;
  const bootCommands = props.bootCommands ?? [];
  bootCommands.forEach((command, index) => {
    if (command.trim() === "") {
      throw new Error(`bootCommands[${index}] is empty: remove it or give the command to run`);
    }
  });

  const nginxConf = renderNginxConfig({ defaultApp, namedApp });
  const apps = [defaultApp, namedApp];
  const files: WorkloadFile[] = [
    { path: "/etc/nginx/nginx.conf", content: nginxConf },
    ...staticSiteFiles(),
    { path: APP_SCRIPT_PATH, content: APP_SCRIPT },
    ...apps.map((app) => ({
      path: `${SYSTEMD_UNIT_DIRECTORY}/${appUnitName(app)}`,
      content: renderAppUnit({ app, scriptPath: APP_SCRIPT_PATH }),
    })),
    { path: dropInPath(NGINX_UNIT, "restart"), content: renderRestartDropIn() },
    ...(props.watchdog
      ? healthWatchdogFiles({ url: LOCAL_HEALTH_URL, units: [...apps.map(appUnitName), NGINX_UNIT], escalation: props.watchdog.escalation })
      : []),
  ];

  const commands = [
    // nginx again only if the package module could not install it (a no-op otherwise).
    `rpm -q nginx >/dev/null || { ${installCommand("nginx")}; }`,
    installCommand(NODE_RUNTIME.packageName),
    ...bootCommands,
    // The unit files appeared after systemd started: make it read them.
    "systemctl daemon-reload",
    `systemctl enable --now ${apps.map(appUnitName).join(" ")} ${NGINX_UNIT}${props.watchdog ? ` ${WATCHDOG_UNIT}` : ""}`,
  ];
  const userData = renderCloudConfig({ packages: ["nginx"], files, runcmd: commands });
  assertUserDataSize(userData);
  assertNoSecrets(userData);

  return { userData, nginxConf, files, commands, listenPort: DEFAULT_LISTEN_PORT, healthCheckPath: HEALTH_CHECK_PATH };
}
