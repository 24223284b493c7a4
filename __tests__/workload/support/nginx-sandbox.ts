import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { NginxConfigProps } from "../../../workload/nginx-config";
import { WorkloadFile } from "../../../workload/workload-file";
import { InstalledNginx } from "./nginx-binary";

type SandboxPaths = Required<Omit<NginxConfigProps, "defaultApp" | "namedApp" | "listenPort">>;

/**
 * A temporary directory holding everything a real nginx needs to run the generated config as
 * the current user: the same generator renders it, only the path props point here.
 */
export class NginxSandbox {
  readonly root: string;
  readonly confPath: string;
  readonly paths: SandboxPaths;

  constructor(readonly nginx: InstalledNginx) {
    this.root = mkdtempSync(join(tmpdir(), "workload-nginx-"));
    this.confPath = join(this.root, "nginx.conf");
    this.paths = {
      // The master runs as the test's user; as root, nginx then also runs its workers as root.
      user: userInfo().username,
      pidFile: join(this.root, "nginx.pid"),
      errorLogPath: join(this.root, "logs/error.log"),
      accessLogPath: join(this.root, "logs/access.log"),
      tempDirectory: join(this.root, "temp"),
      mimeTypesPath: nginx.mimeTypesPath,
      staticRoot: join(this.root, "html"),
      pagesRoot: join(this.root, "pages"),
    };
    // nginx opens its logs and creates its temp subdirectories, but not their parents.
    mkdirSync(dirname(this.paths.errorLogPath), { recursive: true });
    mkdirSync(this.paths.tempDirectory, { recursive: true });
  }

  /** Writes files at their (sandbox) paths, creating directories as cloud-init does. */
  write(files: readonly WorkloadFile[]): void {
    for (const file of files) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.content);
    }
  }

  writeConfig(nginxConf: string): void {
    this.write([{ path: this.confPath, content: nginxConf }]);
  }

  /** nginx arguments that keep every path, startup errors included, inside the sandbox. */
  nginxArgs(...extra: string[]): string[] {
    return ["-p", `${this.root}/`, "-c", this.confPath, "-e", this.paths.errorLogPath, ...extra];
  }

  errorLog(): string {
    return existsSync(this.paths.errorLogPath) ? readFileSync(this.paths.errorLogPath, "utf8") : "(no error log)";
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
