import { renderCloudConfig } from "../../workload/cloud-init";

describe("renderCloudConfig", () => {
  // GIVEN a package, a multi-line file and a command that needs quoting
  const config = {
    packages: ["nginx"],
    files: [{ path: "/etc/example.conf", content: "first line\n\n    indented: line\n" }],
    runcmd: [`echo "quoted" 'and' $HOME # not a YAML comment`],
  };
  // WHEN rendering
  const userData = renderCloudConfig(config);

  test("starts with the #cloud-config header cloud-init looks for", () => {
    // THEN
    expect(userData.split("\n")[0]).toBe("#cloud-config");
  });

  test("writes files as literal blocks, after the packages are installed", () => {
    expect(userData).toContain(
      [
        '  - path: "/etc/example.conf"',
        '    owner: "root:root"',
        '    permissions: "0644"',
        "    defer: true",
        "    content: |",
        "      first line",
        "",
        "          indented: line",
        "runcmd:",
      ].join("\n"),
    );
  });

  test("writes packages and commands as double-quoted scalars", () => {
    expect(userData).toContain('packages:\n  - "nginx"\n');
    expect(userData).toContain(`runcmd:\n  - "echo \\"quoted\\" 'and' $HOME # not a YAML comment"\n`);
  });

  test("fails when a file does not end in exactly one newline", () => {
    expect(() => renderCloudConfig({ ...config, files: [{ path: "/etc/a", content: "no newline" }] })).toThrow(
      /content of \/etc\/a must end in exactly one newline/,
    );
    expect(() => renderCloudConfig({ ...config, files: [{ path: "/etc/a", content: "two\n\n" }] })).toThrow(
      /content of \/etc\/a must end in exactly one newline/,
    );
  });

  test("fails when a file starts with whitespace, which YAML would take as indentation", () => {
    expect(() => renderCloudConfig({ ...config, files: [{ path: "/etc/a", content: "  indented\n" }] })).toThrow(/not start with whitespace/);
  });
});
