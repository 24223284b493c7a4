import { AppProps, HEALTH_CHECK_PATH, NamedAppProps } from "./apps";
import { DEFAULT_PAGES_ROOT, DEFAULT_STATIC_ROOT, PAGE_SECTIONS, StaticSiteProps } from "./static-site";
import { assertAbsolutePath, assertDistinctPorts, assertDnsName, assertPort, assertServiceName, assertUserName } from "./validation";

/**
 * nginx as the front server of the course: two apps on one server chosen
 * by `server_name`, a reverse proxy that passes on the client's address, and static pages.
 *
 * Every path is a prop so the same generator renders the production file and the one the
 * tests run on a real nginx under a temporary directory. Defaults follow the layout of the
 * `nginx` package of Amazon Linux 2023.
 */
export interface NginxConfigProps extends StaticSiteProps {
  /** The app of the default server: requests by IP and anything no `server_name` matches. */
  readonly defaultApp: AppProps;

  /** The app of the named server. */
  readonly namedApp: NamedAppProps;

  /**
   * Port nginx listens on, on all addresses; the load balancer's target port.
   * @default 80
   */
  readonly listenPort?: number;

  /**
   * User the worker processes run as. nginx ignores it, with a warning, when the master is not
   * started as root.
   * @default "nginx" - the unprivileged user the nginx package creates
   */
  readonly user?: string;

  /**
   * Where the master process writes its PID.
   * @default "/run/nginx.pid" - the `PIDFile=` of the package's nginx.service
   * (`/var/run` is a symlink to `/run`)
   */
  readonly pidFile?: string;

  /** @default "/var/log/nginx/error.log" */
  readonly errorLogPath?: string;

  /** @default "/var/log/nginx/access.log" */
  readonly accessLogPath?: string;

  /**
   * Directory under which nginx buffers large request bodies and proxied responses to disk,
   * one subdirectory per module. All five are set so nginx never falls back to its
   * compiled-in paths, which may not exist or may not be writable.
   * @default "/var/lib/nginx/tmp" - the package's compiled-in temp directory
   */
  readonly tempDirectory?: string;

  /**
   * File mapping file extensions to MIME types, included in the `http` block.
   * @default "/etc/nginx/mime.types"
   */
  readonly mimeTypesPath?: string;
}

export const DEFAULT_LISTEN_PORT = 80;

// Enough for the longest DNS name (253 characters). The course raises it to 256 because an EC2
// public DNS name (55 characters) overflows the default bucket of 32 or 64 bytes and nginx
// refuses to start; 256 is still too small for 253 characters, as the nginx -t test shows.
const SERVER_NAMES_HASH_BUCKET_SIZE = 512;

/** The nginx.conf text for the given apps and paths. */
export function renderNginxConfig(props: NginxConfigProps): string {
  const { defaultApp, namedApp } = props;
  const listenPort = props.listenPort ?? DEFAULT_LISTEN_PORT;
  const user = props.user ?? "nginx";
  const paths = {
    pidFile: props.pidFile ?? "/run/nginx.pid",
    errorLogPath: props.errorLogPath ?? "/var/log/nginx/error.log",
    accessLogPath: props.accessLogPath ?? "/var/log/nginx/access.log",
    tempDirectory: props.tempDirectory ?? "/var/lib/nginx/tmp",
    mimeTypesPath: props.mimeTypesPath ?? "/etc/nginx/mime.types",
    staticRoot: props.staticRoot ?? DEFAULT_STATIC_ROOT,
    pagesRoot: props.pagesRoot ?? DEFAULT_PAGES_ROOT,
  };

  assertServiceName("defaultApp.name", defaultApp.name);
  assertServiceName("namedApp.name", namedApp.name);
  if (defaultApp.name === namedApp.name) {
    throw new Error(
      `namedApp.name (${JSON.stringify(namedApp.name)}) must differ from defaultApp.name: ` + "each app gets its own systemd unit and nginx upstream",
    );
  }
  assertPort("listenPort", listenPort);
  assertPort("defaultApp.port", defaultApp.port);
  assertPort("namedApp.port", namedApp.port);
  assertDistinctPorts({
    listenPort,
    "defaultApp.port": defaultApp.port,
    "namedApp.port": namedApp.port,
  });
  assertDnsName("namedApp.serverName", namedApp.serverName);
  assertUserName("user", user);
  for (const [propName, path] of Object.entries(paths)) {
    assertAbsolutePath(propName, path);
  }

  const temp = paths.tempDirectory;
  return `# Rendered by workload/nginx-config.ts: change the generator, not this file.
user ${user};
worker_processes auto;
pid ${paths.pidFile};
error_log ${paths.errorLogPath};

events {
    worker_connections 1024;
}

http {
    include ${paths.mimeTypesPath};
    default_type application/octet-stream;
    access_log ${paths.accessLogPath};
    sendfile on;
    server_tokens off;
    server_names_hash_bucket_size ${SERVER_NAMES_HASH_BUCKET_SIZE};

    # Longer than the load balancer's 60 s idle timeout, so the load balancer, not nginx,
    # closes idle connections; otherwise it may reuse one nginx is closing and answer 502.
    keepalive_timeout 65s;

    # Redirects (such as /album -> /album/) keep the client's host and port: behind a load
    # balancer, the port nginx listens on is not the one the client used.
    absolute_redirect off;

    client_body_temp_path ${temp}/client_body;
    proxy_temp_path ${temp}/proxy;
    fastcgi_temp_path ${temp}/fastcgi;
    uwsgi_temp_path ${temp}/uwsgi;
    scgi_temp_path ${temp}/scgi;

    # The apps are on loopback: a connection that is not accepted at once will not be.
    # Failing fast turns a dead app into a quick 502 rather than a hanging request.
    proxy_connect_timeout 2s;

    # What the apps learn about the client, as in the course. Locations below set
    # no proxy_set_header of their own, so all of them inherit these.
    proxy_set_header Host $http_host;
    proxy_set_header X-Real-IP $remote_addr;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;

${upstream(defaultApp)}

${upstream(namedApp)}

    # Default server: requests by IP, and the load balancer's health checks, which send the
    # instance's IP as Host.
    server {
        listen ${listenPort} default_server;
        server_name _;
        root ${paths.staticRoot};

${instanceHealthLocation(defaultApp, namedApp)}

${appHealthLocation(defaultApp)}

${appHealthLocation(namedApp)}

        # The course's \`location ~* /(album|signin)\`, anchored so that /api/albums stays with
        # the app: short URLs for pages that live outside the static root.
        location ~* ^/(${PAGE_SECTIONS.join("|")})(/|$) {
            root ${paths.pagesRoot};
        }

        # A file under the static root if there is one, else the app.
        location / {
            try_files $uri @app;
        }

        location @app {
            proxy_pass http://${defaultApp.name};
        }
    }

    # Named server: the second app on the same instance, reached by its DNS name.
    server {
        listen ${listenPort};
        server_name ${namedApp.serverName};

${healthLocation(HEALTH_CHECK_PATH, namedApp)}

        location / {
            proxy_pass http://${namedApp.name};
        }
    }
}
`;
}

function upstream(app: AppProps): string {
  return `    upstream ${app.name} {
        server 127.0.0.1:${app.port};
    }`;
}

/** Path of one app's own health check on the default server: `/health/<app name>`. */
export function appHealthPath(app: AppProps): string {
  return `${HEALTH_CHECK_PATH}/${app.name}`;
}

// What every health location shares. The checks answer for the apps, not for nginx: they are
// proxied, so they fail (502 at once, 504 after the timeout) while an app is down or hangs,
// and the load balancer takes the instance out even though nginx still runs. Two checks run
// one after the other for the instance's /health: 1 s each keeps the pair within the load
// balancer's 2 s timeout (the course's exercise), and a timeout leaves its cause in nginx's
// error log. Checks every few seconds from every load balancer node would drown the access log.
const HEALTH_SETTINGS = `            proxy_read_timeout 1s;
            access_log off;`;

// One app's health: its own /health, under `path`.
function healthLocation(path: string, app: AppProps): string {
  return `        location = ${path} {
            proxy_pass http://${app.name}${HEALTH_CHECK_PATH};
${HEALTH_SETTINGS}
        }`;
}

function appHealthLocation(app: AppProps): string {
  return healthLocation(appHealthPath(app), app);
}

// The instance's health, which the load balancer checks through the default server: 200 only
// while both apps answer. The named server's app is checked first by a subrequest
// (auth_request: a 2xx lets the request through, anything else answers 500), then the default
// server's app answers the request itself. Without it, the second app could hang unnoticed:
// the load balancer only ever reaches the default server. (The nginx packages of Amazon Linux
// 2023 and Debian are built with the auth_request module.)
function instanceHealthLocation(defaultApp: AppProps, namedApp: AppProps): string {
  return `        location = ${HEALTH_CHECK_PATH} {
            auth_request ${appHealthPath(namedApp)};
            proxy_pass http://${defaultApp.name}${HEALTH_CHECK_PATH};
${HEALTH_SETTINGS}
        }`;
}
