/**
 * Renders DOT in process with Graphviz compiled to WebAssembly (`@viz-js/viz`, an npm
 * dependency): no system package, no process per rendering. Its WebAssembly module is
 * instantiated once per process, on first use (the only asynchronous step); every rendering
 * after that is a synchronous call into it.
 */
import { instance } from "@viz-js/viz";

/** Graphviz output formats the review uses; `plain` is the layout as text (node positions). */
export type ImageFormat = "svg" | "plain";

/** A loaded Graphviz. */
export interface Graphviz {
  /** The Graphviz version of the WebAssembly build. */
  readonly version: string;
  /** `dot` layout of `dot` source in `format`; throws with Graphviz's messages on invalid input. */
  render(dot: string, format: ImageFormat): string;
}

let loaded: Promise<Graphviz> | undefined;

/** The process's Graphviz, loaded on the first call. */
export function graphviz(): Promise<Graphviz> {
  loaded ??= instance().then((viz) => ({
    version: viz.graphvizVersion,
    render(dot: string, format: ImageFormat): string {
      const result = viz.render(dot, { format, engine: "dot" });
      if (result.status === "failure") {
        throw new Error(`Graphviz cannot render the picture (${format}): ${result.errors.map((e) => e.message.trim()).join("; ")}`);
      }
      return result.output;
    },
  }));
  return loaded;
}
