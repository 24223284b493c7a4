/**
 * A file the workload puts on the instance. cloud-init writes these at first boot; the
 * integration test writes the same list under a temporary directory.
 */
export interface WorkloadFile {
  /** Absolute path on the instance. */
  readonly path: string;

  /** Full text of the file, ending in exactly one newline. */
  readonly content: string;
}
