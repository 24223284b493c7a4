/**
 * The application processes nginx fronts: the course's `aws-exercise-a` and `aws-exercise-b`,
 * two small Node.js apps on one server. Both run the same dependency-free script; the
 * environment (APP_NAME, PORT) decides which app a process is.
 */

/** One application process behind nginx. */
export interface AppProps {
  /**
   * Name of the app: its systemd unit, its dedicated Linux user and its nginx upstream are
   * all called this, and it answers with this name.
   */
  readonly name: string;

  /** Loopback port the app listens on; only nginx, on the same host, talks to it. */
  readonly port: number;
}

/** The app reached through a named nginx server (a DNS name, not the instance's IP). */
export interface NamedAppProps extends AppProps {
  /** Host name clients send in `Host` to reach this app, matched by nginx `server_name`. */
  readonly serverName: string;
}

/**
 * The path every app answers 200 on while it runs. On nginx's default server, which the load
 * balancer's target-group health check requests, the same path is the instance's health: 200
 * only while both apps answer (see nginx-config.ts); `/health/<app name>` there is each app's own.
 */
export const HEALTH_CHECK_PATH = "/health";

/** App A: the default server's app, so requests by IP and load balancer health checks. */
export const DEFAULT_APP: AppProps = { name: "aws-exercise-a", port: 8080 };

/** App B: reached by its own DNS name. `.internal` is reserved, so it never resolves publicly. */
export const DEFAULT_NAMED_APP: NamedAppProps = {
  name: "aws-exercise-b",
  port: 8081,
  serverName: "app-b.example.internal",
};

/**
 * Source of the app script. It listens on 127.0.0.1 only (nginx is the one front door) and
 * echoes the headers nginx adds, so a test or an operator with curl can see the proxy's work.
 * Plain CommonJS with no dependencies: it runs on the Node.js package of Amazon Linux 2023
 * (`NODE_RUNTIME`) without npm.
 */
export const APP_SCRIPT = `"use strict";
// Rendered by workload/apps.ts. One script serves every app: APP_NAME and PORT choose which.
const http = require("node:http");

const name = process.env.APP_NAME;
const port = Number(process.env.PORT);
if (!name || !Number.isInteger(port) || port < 1 || port > 65535) {
  console.error("APP_NAME and PORT (1-65535) must be set, got", process.env.APP_NAME, process.env.PORT);
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const path = (req.url || "/").split("?")[0];
  if (path === "${HEALTH_CHECK_PATH}") {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\\n");
    return;
  }
  const answer = {
    app: name,
    path: req.url,
    host: req.headers["host"] ?? null,
    "x-real-ip": req.headers["x-real-ip"] ?? null,
    "x-forwarded-for": req.headers["x-forwarded-for"] ?? null,
  };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(answer) + "\\n");
});

server.listen(port, "127.0.0.1", () => console.log(name + " listening on 127.0.0.1:" + port));
`;
