/**
 * Renders DOT with Graphviz's `dot` (Debian package `graphviz`; CI's `.ci/run` installs it).
 * A missing `dot` is a GraphvizMissingError naming the package, never a silently missing
 * picture: the review reports it in place of the picture and on the console.
 */
import { spawnSync } from "child_process";

/** Graphviz output formats the review uses; `plain` is the layout as text (node positions). */
export type ImageFormat = "svg" | "png" | "plain";

export class GraphvizMissingError extends Error {
  constructor() {
    super("Graphviz is not installed: the architecture pictures need `dot` (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)");
    this.name = "GraphvizMissingError";
  }
}

export function renderDot(dot: string, format: ImageFormat): Buffer {
  const run = spawnSync("dot", [`-T${format}`], { input: dot, env: process.env, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    if ((run.error as NodeJS.ErrnoException).code === "ENOENT") throw new GraphvizMissingError();
    throw new Error(`cannot run dot: ${run.error.message}`);
  }
  if (run.status !== 0) throw new Error(`dot -T${format} failed (exit ${run.status}): ${run.stderr.toString().trim()}`);
  return run.stdout;
}
