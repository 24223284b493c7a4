/**
 * A program that starts an emulator, prints `{"pid":..,"endpoint":..}` on one line, then ends
 * as the first argument says, never calling stop():
 * `wait` (until killed), `exit` (process.exit), `throw` (an uncaught error).
 */
import { startEmulator } from "../../../lib/emulator";

async function main(): Promise<void> {
  const how = process.argv[2];
  const emulator = await startEmulator();
  process.stdout.write(`${JSON.stringify({ pid: emulator.pid, endpoint: emulator.endpoint })}\n`);
  if (how === "exit") process.exit(0);
  if (how === "throw") throw new Error("the program failed");
  setInterval(() => undefined, 1000);
}

void main();
