/**
 * The warnings constructs record with cdktf's `Annotations.of(...).addWarning()`, read back
 * from a synthesized manifest. `cdktf synth`/`diff`/`deploy` print them themselves (and
 * swallow the app's stderr when it succeeds); `npm run synth` and `npm run plan` run the app
 * directly, so `main.ts` prints them.
 */
import * as fs from "fs";
import * as path from "path";
import { AnnotationMetadataEntryType } from "cdktf";

export interface SynthWarning {
  readonly stack: string;
  /** Path of the construct that recorded it. */
  readonly constructPath: string;
  readonly message: string;
}

interface Manifest {
  stacks: Record<string, { annotations?: { constructPath: string; level: string; message: string }[] }>;
}

/** Warnings of every stack in `outdir/manifest.json`, one per message and stack. */
export function synthWarnings(outdir: string): SynthWarning[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as Manifest;
  return Object.entries(manifest.stacks).flatMap(([stack, s]) =>
    (s.annotations ?? [])
      .filter((a) => a.level === AnnotationMetadataEntryType.WARN)
      .map((a) => ({ stack, constructPath: a.constructPath, message: a.message })),
  );
}

/** One line per warning, the way main.ts prints them. */
export function formatWarning(w: SynthWarning): string {
  return `warning (${w.stack}): ${w.message}`;
}
