/**
 * Finds a filesystem mirror of the hashicorp/aws provider so `terraform init` works with no
 * network, and links it into a stack directory as `terraform.d/plugins`, one of Terraform's
 * implied local mirror directories. Plain `terraform init`, `npx cdktf diff` and the plan
 * script then all use it with no CLI configuration. Without a mirror nothing is linked and
 * Terraform installs from the public registry as usual.
 * @see https://developer.hashicorp.com/terraform/cli/config/config-file#implied-local-mirror-directories
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The provider version @cdktf/provider-aws 20.1.0 binds. */
export const AWS_PROVIDER_VERSION = "5.100.0";

/** Environment variable naming a mirror directory, or `none` to never link one. */
export const MIRROR_ENV = "TF_PROVIDER_MIRROR";

const CANDIDATES = [
  "/opt/tf-plugins",
  "/opt/terraform/plugins",
  "/usr/local/share/terraform/plugins",
  "/usr/share/terraform/plugins",
  path.join(os.homedir(), ".terraform.d", "plugins"),
  path.join(os.homedir(), ".local", "share", "terraform", "plugins"),
];

function platform(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** Whether `dir` holds hashicorp/aws at the bound version for this platform. */
export function holdsAwsProvider(dir: string): boolean {
  const pkg = path.join(dir, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
  return fs.existsSync(path.join(pkg, platform())) || fs.existsSync(path.join(pkg, `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${platform()}.zip`));
}

/**
 * The mirror directory to use: `TF_PROVIDER_MIRROR` if set (an error if it does not hold
 * the provider), else the first well-known location that holds it, else undefined.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[MIRROR_ENV];
  if (given === "none") return undefined;
  if (given) {
    if (!holdsAwsProvider(given)) {
      throw new Error(
        `${MIRROR_ENV}=${given} does not hold registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}/${platform()}; ` +
          `point it at a filesystem mirror (terraform providers mirror <dir>) or set it to "none" to use the registry`,
      );
    }
    return path.resolve(given);
  }
  return CANDIDATES.find(holdsAwsProvider);
}

/** Links `mirror` into `stackDir/terraform.d/plugins` (replacing an older link). */
export function linkMirror(stackDir: string, mirror: string): void {
  const dir = path.join(stackDir, "terraform.d");
  fs.mkdirSync(dir, { recursive: true });
  const link = path.join(dir, "plugins");
  fs.rmSync(link, { force: true, recursive: true });
  fs.symlinkSync(mirror, link, "dir");
}
