import { WorkloadFile } from "./workload-file";

/**
 * The part of cloud-init's `#cloud-config` format the workload uses, and its YAML text.
 * @see https://cloudinit.readthedocs.io/en/latest/reference/modules.html
 */
export interface CloudConfig {
  /** Packages installed by cloud-init's package module (dnf on Amazon Linux 2023). */
  readonly packages: readonly string[];

  /** Files written after the packages are installed. */
  readonly files: readonly WorkloadFile[];

  /** Shell commands run once, in order, after the files are written. */
  readonly runcmd: readonly string[];
}

/**
 * The `#cloud-config` YAML for `config`.
 *
 * The order on the instance is cloud-init's, not this text's: in the final stage, packages
 * (package_update_upgrade_install), then the files marked `defer` (write_files_deferred),
 * then runcmd (scripts_user). Every file is deferred so that it lands after the packages:
 * no package then overwrites one (nginx ships its own nginx.conf and index.html).
 *
 * Only two YAML forms are written, so no YAML library is needed: JSON strings, which are
 * valid YAML double-quoted scalars, and literal block scalars (`|`) for file contents, which
 * keep the files readable in the launch template.
 */
export function renderCloudConfig(config: CloudConfig): string {
  const lines = ["#cloud-config", "# Rendered by workload/cloud-init.ts. Plain text in the launch template: no secrets."];

  lines.push("packages:", ...config.packages.map((name) => `  - ${JSON.stringify(name)}`));

  lines.push("write_files:");
  for (const file of config.files) {
    lines.push(
      `  - path: ${JSON.stringify(file.path)}`,
      '    owner: "root:root"',
      // Readable by all, writable by root only: nothing here is secret, and the apps' own
      // users must not be able to rewrite their code or nginx's configuration.
      '    permissions: "0644"',
      "    defer: true",
      "    content: |",
      ...literalBlockLines(file, "      "),
    );
  }

  lines.push("runcmd:", ...config.runcmd.map((command) => `  - ${JSON.stringify(command)}`));
  return lines.join("\n") + "\n";
}

// A literal block scalar reproduces the text exactly only if the text ends in exactly one
// newline ("clip" chomping), has no carriage returns (YAML would turn them into line breaks)
// and does not start with a space (YAML would take it as the indentation).
function literalBlockLines(file: WorkloadFile, indent: string): string[] {
  const { content } = file;
  if (!content.endsWith("\n") || content.endsWith("\n\n") || content.includes("\r") || /^\s/.test(content)) {
    throw new Error(
      `content of ${file.path} must end in exactly one newline, contain no carriage return and ` +
        "not start with whitespace, to be written as a YAML literal block",
    );
  }
  return content
    .slice(0, -1)
    .split("\n")
    .map((line) => (line === "" ? "" : indent + line));
}
