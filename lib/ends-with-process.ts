/**
 * What must not outlive this process (the emulator, Terraform runs, a scratch folder): each
 * registers how to end it, which runs when this process exits, or ends on SIGINT, SIGTERM or
 * SIGHUP; after a signal the hook removes itself and raises the signal again, which then ends
 * the process as it would have (unless the program has listeners of its own, which then decide).
 * The hook is there only while something is registered: with nothing, the signals keep their
 * default action.
 */
const kills = new Set<() => void>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function killAll(): void {
  for (const kill of kills) {
    try {
      kill();
    } catch {
      // already gone
    }
  }
  kills.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAll();
  unhook();
  process.kill(process.pid, signal);
}

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", killAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function unhook(): void {
  if (!hooked) return;
  hooked = false;
  process.off("exit", killAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Registers `kill` to run when this process ends; returns the release, for when what it ends has ended by itself. */
export function endsWithThisProcess(kill: () => void): () => void {
  kills.add(kill);
  hook();
  return () => {
    kills.delete(kill);
    if (kills.size === 0) unhook();
  };
}
