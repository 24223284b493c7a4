/**
 * Renders DOT with Graphviz's `dot` (Debian package `graphviz`; CI's `.ci/run` installs it).
 * A missing `dot` is an error naming the package, never a silently missing picture.
 */
import { spawnSync } from "child_process";

/** Graphviz output formats the review uses; `plain` is the layout as text (node positions). */
export type ImageFormat = "svg" | "png" | "plain";

export function renderDot(dot: string, format: ImageFormat): Buffer {
  const run = spawnSync("dot", [`-T${format}`], { input: dot, env: process.env, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === "ENOENT";
    throw new Error(
      missing
        ? "Graphviz is not installed: the architecture pictures need `dot` (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz)"
        : `cannot run dot: ${run.error.message}`,
    );
  }
  if (run.status !== 0) throw new Error(`dot -T${format} failed (exit ${run.status}): ${run.stderr.toString().trim()}`);
  return run.stdout;
}
