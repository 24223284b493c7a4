/**
 * Zips directories in-process, byte for byte the same on every run (sorted entries, fixed
 * timestamps), into a content-addressed cache under node_modules/.cache. cdktf's own ARCHIVE
 * assets start a second Node process per archive on every synth; this takes milliseconds.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { zipSync, Zippable } from "fflate";

/** Zip entries carry DOS timestamps, which start in 1980. */
const FIXED_MTIME = new Date("1980-01-01T00:00:00Z");

function entries(dir: string, prefix = ""): [string, Uint8Array][] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e): [string, Uint8Array][] => {
      const full = path.join(dir, e.name);
      const name = prefix + e.name;
      return e.isDirectory() ? entries(full, `${name}/`) : [[name, fs.readFileSync(full)]];
    });
}

export interface ZipArchive {
  /** Absolute path of the zip file. */
  readonly path: string;
  /** SHA-256 of the zip, hex. */
  readonly sha256: string;
}

/**
 * The zip of the given directories of `root`, each file at its path relative to `root` (so
 * modules that `require` each other by relative path find each other in the zip as in the
 * tree), written once per content into `cacheDir` as `<archiveName>.zip`.
 */
export function zipTree(root: string, directories: readonly string[], cacheDir: string, archiveName: string): ZipArchive {
  const files: Zippable = {};
  for (const dir of directories) {
    const prefix = path.relative(root, path.resolve(root, dir)).split(path.sep).join("/");
    if (prefix.startsWith("..")) throw new Error(`${dir} is not inside ${root}`);
    for (const [name, data] of entries(path.resolve(root, dir), prefix === "" ? "" : `${prefix}/`)) {
      files[name] = [data, { mtime: FIXED_MTIME, level: 9 }];
    }
  }
  const zip = zipSync(files);
  const sha256 = crypto.createHash("sha256").update(zip).digest("hex");
  const target = path.join(cacheDir, sha256.slice(0, 16), `${archiveName}.zip`);
  if (!fs.existsSync(target)) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(partial, zip);
    fs.renameSync(partial, target);
  }
  return { path: target, sha256 };
}
