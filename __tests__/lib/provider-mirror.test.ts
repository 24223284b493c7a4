import * as fs from "fs";
import * as path from "path";
import { AWS_PROVIDER_VERSION, findProviderMirror, holdsAwsProvider, linkMirror } from "../../lib/provider-mirror";
import { withTempDir } from "../helpers";

function fakeMirror(dir: string): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  fs.mkdirSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, `${process.platform}_${arch}`), { recursive: true });
  return dir;
}

describe("provider mirror", () => {
  test("TF_PROVIDER_MIRROR names the mirror to use", () => {
    withTempDir((dir) => {
      expect(findProviderMirror({ TF_PROVIDER_MIRROR: fakeMirror(dir) })).toBe(dir);
      expect(holdsAwsProvider(dir)).toBe(true);
    });
  });

  test("TF_PROVIDER_MIRROR=none uses the public registry", () => {
    expect(findProviderMirror({ TF_PROVIDER_MIRROR: "none" })).toBeUndefined();
  });

  test("fails when TF_PROVIDER_MIRROR does not hold the provider, naming the path and the fix", () => {
    withTempDir((dir) => {
      expect(() => findProviderMirror({ TF_PROVIDER_MIRROR: dir })).toThrow(
        new RegExp(`TF_PROVIDER_MIRROR=${dir} does not hold registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}.*set it to "none"`),
      );
    });
  });

  test("links the mirror as the stack's implied local mirror, replacing an older link", () => {
    withTempDir((dir) => {
      const mirror = fakeMirror(path.join(dir, "mirror"));
      const stack = path.join(dir, "stack");
      linkMirror(stack, path.join(dir, "elsewhere"));
      linkMirror(stack, mirror);
      expect(fs.readlinkSync(path.join(stack, "terraform.d", "plugins"))).toBe(mirror);
    });
  });
});
