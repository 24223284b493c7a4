import * as fs from "fs";
import * as path from "path";
import { unzipSync } from "fflate";
import { zipDirectory } from "../../lib/zip-archive";
import { withTempDir } from "../helpers";

describe("zipDirectory", () => {
  test("zips every file, nested ones too, into a content-addressed cache", () => {
    withTempDir((dir) => {
      const src = path.join(dir, "handler");
      fs.mkdirSync(path.join(src, "lib"), { recursive: true });
      fs.writeFileSync(path.join(src, "index.js"), "exports.handler = async () => 1;\n");
      fs.writeFileSync(path.join(src, "lib", "util.js"), "module.exports = 2;\n");
      const zip = zipDirectory(src, path.join(dir, "cache"));
      expect(path.relative(dir, zip.path)).toBe(path.join("cache", zip.sha256.slice(0, 16), "handler.zip"));
      const files = unzipSync(fs.readFileSync(zip.path));
      expect(Object.keys(files).sort()).toEqual(["index.js", "lib/util.js"]);
      expect(Buffer.from(files["lib/util.js"]).toString()).toBe("module.exports = 2;\n");
    });
  });

  test("the same content gives the same bytes, whenever it is zipped", () => {
    withTempDir((dir) => {
      const src = path.join(dir, "handler");
      fs.mkdirSync(src);
      fs.writeFileSync(path.join(src, "index.js"), "x");
      const first = zipDirectory(src, path.join(dir, "a"));
      fs.utimesSync(path.join(src, "index.js"), new Date(2030, 1, 1), new Date(2030, 1, 1));
      const second = zipDirectory(src, path.join(dir, "b"));
      expect(second.sha256).toBe(first.sha256);
      fs.writeFileSync(path.join(src, "index.js"), "y");
      expect(zipDirectory(src, path.join(dir, "b")).sha256).not.toBe(first.sha256);
    });
  });
});
