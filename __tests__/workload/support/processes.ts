import { ChildProcess, spawn } from "node:child_process";

/** A process the test started, with its output kept for failure messages. */
export class TestProcess {
  private readonly child: ChildProcess;
  private output = "";
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
  ) {
    // A process group of its own, so stop() also reaches nginx's worker processes.
    this.child = spawn(command, args, {
      env: { ...process.env, ...env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** What the process printed, for a failed test's message. */
  describe(): string {
    return `${this.name} (pid ${this.child.pid}, ${this.running ? "running" : "exited"}): ${this.output || "(no output)"}`;
  }

  /** SIGTERM to the group, SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    this.signalGroup("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)))]);
    clearTimeout(timer);
    if (timedOut) {
      this.signalGroup("SIGKILL");
      await this.exited;
    }
  }

  /** Sends `signal` to the process group (SIGSTOP freezes the process: it accepts connections but never answers). */
  signal(signal: NodeJS.Signals): void {
    this.signalGroup(signal);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-(this.child.pid as number), signal);
    } catch {
      // Already gone between the check and the signal.
    }
  }
}
