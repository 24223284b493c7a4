#!/usr/bin/env node
/**
 * The run path of the project's commands: `node scripts/run.js <entry.ts> [args...]` runs a
 * TypeScript entry point (`main.ts`, `scripts/<name>.ts`) without a `tsc` build. esbuild
 * bundles it in two parts, rebuilt only when one of their inputs changed:
 *
 * - `.build/<entry>.js`: the project's own sources, about 0.1 s to rebuild after an edit;
 * - `.build/<entry>.vendor.js`: the packages they import, rebuilt only when package-lock.json or
 *   the set of imported package paths changes. One file without inline source maps loads far
 *   faster than the hundreds of files of cdktf and the provider's `lib/` it stands for, and
 *   each package in it is initialised only when first used.
 *
 * Types are not checked here: `npm test` runs `tsc --noEmit` over the whole project.
 * `__dirname` and `__filename` in a bundled source file keep meaning that file's own folder and path;
 * lib/cli.ts tells the entry point from the other files of the bundle.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");

// The AWS SDK v3 warns on Node 20 that its releases after the first week of January 2027 need
// Node 22. The versions package-lock.json pins run on Node 20 (package.json engines), so the
// warning says nothing about them; move to Node 22 before bumping the SDK past that date.
if (process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const ROOT = path.resolve(__dirname, "..");
const BUILD_DIR = path.join(ROOT, ".build");
const LOCKFILE = path.join(ROOT, "package-lock.json");
/** Bumped when the way this file builds changes, so older builds are not reused. */
const BUILD_FORMAT = 2;

function usage(message) {
  process.stderr.write(`${message}\nusage: node scripts/run.js <entry.ts> [args...], e.g. node scripts/run.js main.ts\n`);
  process.exit(2);
}

function mtimeMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether `stampFile` records a build of the same format and key whose output exists and whose
 * inputs are all unchanged since the build started (an edit during a build makes it stale).
 */
function upToDate(stampFile, key) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8"));
  } catch {
    return false;
  }
  if (stamp.format !== BUILD_FORMAT || stamp.key !== key) return false;
  if (mtimeMs(stamp.output) === undefined) return false;
  return stamp.inputs.every((input) => {
    const m = mtimeMs(input);
    return m !== undefined && m < stamp.startedMs;
  });
}

/**
 * Writes through a temporary file and a rename, so a command started meanwhile (two synths,
 * jest workers) reads either the old file or the new one, never half of one.
 */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

function writeOutputs(result) {
  for (const out of result.outputFiles) writeAtomically(out.path, out.contents);
}

function writeStamp(stampFile, output, inputs, key, startedMs) {
  writeAtomically(stampFile, JSON.stringify({ format: BUILD_FORMAT, key, output, inputs, startedMs }));
}

/** An import of a package (not a relative or absolute path, not a Node built-in). */
function isPackagePath(specifier) {
  return !specifier.startsWith(".") && !path.isAbsolute(specifier) && !specifier.startsWith("node:") && !Module.isBuiltin(specifier);
}

async function build(entry) {
  const esbuild = require("esbuild");
  const relative = path.relative(ROOT, entry).replace(/\.ts$/, "");
  const appOut = path.join(BUILD_DIR, `${relative}.js`);
  const vendorOut = path.join(BUILD_DIR, `${relative}.vendor.js`);
  const appStamp = `${appOut}.stamp.json`;
  const vendorStamp = `${vendorOut}.stamp.json`;
  fs.mkdirSync(path.dirname(appOut), { recursive: true });

  const lock = fs.readFileSync(LOCKFILE, "utf8");
  if (!upToDate(appStamp, entry)) {
    const startedMs = Date.now();
    const packages = new Set();
    const vendorRelative = `./${path.basename(vendorOut)}`;
    const result = await esbuild.build({
      entryPoints: [entry],
      outfile: appOut,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "linked",
      metafile: true,
      write: false,
      logLevel: "warning",
      plugins: [
        {
          name: "vendor-packages",
          setup(b) {
            // Each package import becomes a property of the vendor bundle.
            b.onResolve({ filter: /.*/ }, (args) => {
              if (args.path === vendorRelative) return { path: vendorRelative, external: true };
              if (args.kind === "entry-point" || !isPackagePath(args.path)) return undefined;
              // `require.resolve("pkg")` asks for a path at run time, not for the package.
              if (args.kind === "require-resolve") return { path: args.path, external: true };
              packages.add(args.path);
              return { path: args.path, namespace: "vendor" };
            });
            b.onLoad({ filter: /.*/, namespace: "vendor" }, (args) => ({
              contents: `module.exports = require(${JSON.stringify(vendorRelative)})[${JSON.stringify(args.path)}];`,
              loader: "js",
            }));
            // `__dirname` and `__filename` in a source file are that file's folder and path, as when it runs unbundled.
            b.onLoad({ filter: /\.ts$/ }, (args) => {
              const contents = fs
                .readFileSync(args.path, "utf8")
                .replace(/\b__dirname\b/g, JSON.stringify(path.dirname(args.path)))
                .replace(/\b__filename\b/g, JSON.stringify(args.path));
              return { contents, loader: "ts" };
            });
          },
        },
      ],
    });
    writeOutputs(result);
    const inputs = Object.keys(result.metafile.inputs)
      .filter((input) => !input.startsWith("vendor:"))
      .map((input) => path.resolve(ROOT, input));
    writeStamp(appStamp, appOut, inputs, entry, startedMs);
    writeAtomically(`${appOut}.packages.json`, JSON.stringify([...packages].sort()));
  }

  const packages = JSON.parse(fs.readFileSync(`${appOut}.packages.json`, "utf8"));
  const vendorKey = `${require("crypto").createHash("sha256").update(lock).digest("hex")} ${packages.join(" ")}`;
  if (!upToDate(vendorStamp, vendorKey)) {
    const startedMs = Date.now();
    // Getters: a package is initialised when the app first reads it, not when the bundle loads.
    const contents = packages
      .map((p) => `Object.defineProperty(exports, ${JSON.stringify(p)}, { enumerable: true, get: () => require(${JSON.stringify(p)}) });`)
      .join("\n");
    const vendor = esbuild.buildSync({
      write: false,
      stdin: { contents, resolveDir: ROOT, loader: "js", sourcefile: path.basename(vendorOut) },
      outfile: vendorOut,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      // A package's own dynamic requires are its business, not the user's.
      logLevel: "error",
      legalComments: "none",
      // Native addons and esbuild itself cannot be bundled.
      external: ["esbuild", "*.node"],
    });
    writeOutputs(vendor);
    writeStamp(vendorStamp, vendorOut, [LOCKFILE], vendorKey, startedMs);
  }
  return appOut;
}

async function main() {
  const [entryArg, ...args] = process.argv.slice(2);
  if (!entryArg) usage("no entry point given");
  const entry = path.resolve(entryArg);
  if (!entry.endsWith(".ts") || !fs.existsSync(entry) || path.relative(ROOT, entry).startsWith("..")) {
    usage(`entry point ${entryArg} is not a TypeScript file of the project (${ROOT})`);
  }
  let out;
  try {
    out = await build(entry);
  } catch (e) {
    // esbuild has printed the errors with their file and line.
    if (Array.isArray(e.errors)) {
      process.stderr.write(`${path.relative(process.cwd(), entry)}: the build failed (${e.errors.length} error(s) above); nothing was run\n`);
      process.exit(1);
    }
    throw e;
  }
  // Run the bundle as the main module, with the arguments after the entry point. Every file of
  // the bundle shares its `module`, so `require.main === module` holds in each: the source file
  // that is the entry point is recorded instead (lib/cli.ts isEntryPoint).
  globalThis[Symbol.for("multiaz-ref.entry-point")] = fs.realpathSync(entry);
  process.argv = [process.argv[0], out, ...args];
  Module.runMain();
}

main();
