import * as fs from "fs";
import * as path from "path";
import { unzipSync } from "fflate";
import { zipTree } from "../../lib/zip-archive";
import { withTempDir } from "../helpers";

/** A small tree: two directories to zip and one to leave out. */
function tree(dir: string): string {
  const root = path.join(dir, "project");
  for (const [file, content] of Object.entries({
    "fn/handler/index.js": "exports.handler = async () => require('../../support/util');\n",
    "fn/handler/lib/deep.js": "module.exports = 1;\n",
    "support/util.js": "module.exports = 2;\n",
    "other/secret.txt": "not zipped\n",
  })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

describe("zipTree", () => {
  test("zips every file of the given directories, nested ones too, at their paths in the tree", () => {
    withTempDir((dir) => {
      const root = tree(dir);
      const zip = zipTree(root, ["fn/handler", "support"], path.join(dir, "cache"), "demo");
      expect(path.relative(dir, zip.path)).toBe(path.join("cache", zip.sha256.slice(0, 16), "demo.zip"));
      const files = unzipSync(fs.readFileSync(zip.path));
      expect(Object.keys(files).sort()).toEqual(["fn/handler/index.js", "fn/handler/lib/deep.js", "support/util.js"]);
      expect(Buffer.from(files["support/util.js"]).toString()).toBe("module.exports = 2;\n");
    });
  });

  test("the same content gives the same bytes, whenever it is zipped", () => {
    withTempDir((dir) => {
      const root = tree(dir);
      const first = zipTree(root, ["support"], path.join(dir, "a"), "x");
      fs.utimesSync(path.join(root, "support/util.js"), new Date(2030, 1, 1), new Date(2030, 1, 1));
      const second = zipTree(root, ["support"], path.join(dir, "b"), "x");
      expect(second.sha256).toBe(first.sha256);
      fs.writeFileSync(path.join(root, "support/util.js"), "y");
      expect(zipTree(root, ["support"], path.join(dir, "b"), "x").sha256).not.toBe(first.sha256);
    });
  });

  test("refuses a directory outside the root", () => {
    withTempDir((dir) => {
      const root = tree(dir);
      expect(() => zipTree(root, [".."], path.join(dir, "c"), "x")).toThrow(/is not inside/);
    });
  });
});
