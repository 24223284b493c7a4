/**
 * The test files' groups, read from each file's source: 0 the emulator tier (the files that run
 * the emulator), 1 the files that wait on processes (Terraform, checkov, the cdktf CLI, the
 * workload's scripts under bash), 2 the rest. tools/jest-sequencer.js starts them in this order;
 * `npm run bench -- --tests` times the emulator tier apart from the others.
 */
const fs = require("fs");

/** By what its source uses: 0 the emulator, 1 Terraform / checkov / the cdktf CLI / the workload's scripts, 2 the rest. */
const GROUPS = [
  /\.emulator\.test\.ts$|\bSandbox\.start\(|\bwithEmulator\(|\bstartEmulator\(/,
  /\b(sharedOfflinePlan|sharedConfigurationPlan|defaultOfflinePlans|planStack|planVariants|scanTargets|runCheckov|runOnFakeInstance)\(|\bterraform\(\[|"\.bin", "cdktf"|entryArgs\(|entryCommand\(|\bspawn\("bash"/,
];

function group(file) {
  let source = "";
  try {
    source = fs.readFileSync(file, "utf8");
  } catch {
    // unreadable: jest reports it
  }
  const i = GROUPS.findIndex((re) => re.test(file) || re.test(source));
  return i < 0 ? GROUPS.length : i;
}

module.exports = { GROUPS, group };
