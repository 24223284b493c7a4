/**
 * The instance workload shared by all stacks: nginx in front of two Node.js apps, rendered in
 * code and delivered as cloud-init user data. Pure TypeScript: no constructs, no provider.
 *
 *   const workload = renderWorkload({ bootCommands: [associateElasticIp] });
 *   new HardenedLaunchTemplate(this, "web", { userData: workload.userData, ... });
 */
export { renderWorkload, installCommand, APP_SCRIPT_PATH, INSTALL_ATTEMPTS, LOCAL_HEALTH_URL } from "./workload";
export { NODE_RUNTIME } from "./node-runtime";
export type { NodeRuntime } from "./node-runtime";
export type { Workload, WorkloadProps } from "./workload";
export { APP_SCRIPT, HEALTH_CHECK_PATH, DEFAULT_APP, DEFAULT_NAMED_APP } from "./apps";
export type { AppProps, NamedAppProps } from "./apps";
export { renderNginxConfig, DEFAULT_LISTEN_PORT } from "./nginx-config";
export type { NginxConfigProps } from "./nginx-config";
export { staticSiteFiles, PAGE_SECTIONS } from "./static-site";
export type { StaticSiteProps } from "./static-site";
export { renderAppUnit, appUnitName, renderRestartDropIn, dropInPath } from "./systemd";
export type { AppUnitProps } from "./systemd";
export { renderCloudConfig } from "./cloud-init";
export type { CloudConfig } from "./cloud-init";
export { EC2_USER_DATA_MAX_BYTES, assertNoSecrets, assertUserDataSize } from "./user-data-policy";
export type { WorkloadFile } from "./workload-file";
export { WATCHDOG_SCRIPT, WATCHDOG_SCRIPT_PATH, WATCHDOG_UNIT, healthWatchdogFiles } from "./health-watchdog";
export type { HealthWatchdogProps, WatchdogEscalation } from "./health-watchdog";
export { renderLifecycleAgent, AGENT_NAME, AGENT_SCRIPT_PATH, AGENT_UNIT_PATH, STATE_WAIT_SECONDS, READY_POLL_SECONDS } from "./lifecycle-agent";
export type { LaunchHook, LaunchDestination, LifecycleAgent, LifecycleAgentProps } from "./lifecycle-agent";
