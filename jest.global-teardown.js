const fs = require("fs");
const path = require("path");

// The backstop for lib/emulator.ts: an emulator whose test worker was killed before its exit
// hook ran (and whose own parent watch has not fired yet) is killed here, by its recorded pid
// and only if that pid is still our emulator script.
function killRecordedEmulators(dir) {
  let pids;
  try {
    pids = fs.readdirSync(dir).filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    let cmdline;
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (!cmdline.includes(path.join("tools", "emulator", "server.py"))) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}

module.exports = async () => {
  if (process.env.MULTIAZ_REF_EMULATORS) killRecordedEmulators(process.env.MULTIAZ_REF_EMULATORS);
  const dir = process.env.MULTIAZ_REF_TEST_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
