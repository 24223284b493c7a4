import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The nginx the tests run: Debian's, as CI installs it. */
export interface InstalledNginx {
  readonly binary: string;
  /** The MIME types file the package ships, included by the rendered nginx.conf. */
  readonly mimeTypesPath: string;
}

const INSTALL_HINT = "install it with: apt-get update && apt-get install -y --no-install-recommends nginx-light";

/**
 * The nginx binary at /usr/sbin/nginx or on PATH. Throws rather than letting a test skip:
 * a config that was never run through nginx is not a tested config.
 */
export function findNginx(): InstalledNginx {
  const candidates = [
    "/usr/sbin/nginx",
    ...(process.env.PATH ?? "")
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, "nginx")),
  ];
  const binary = candidates.find(isExecutable);
  if (binary === undefined) {
    throw new Error(`nginx not found at /usr/sbin/nginx or on PATH: ${INSTALL_HINT}`);
  }
  const mimeTypesPath = "/etc/nginx/mime.types";
  if (!existsSync(mimeTypesPath)) {
    throw new Error(`${mimeTypesPath} not found (it comes with nginx-common): ${INSTALL_HINT}`);
  }
  return { binary, mimeTypesPath };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
