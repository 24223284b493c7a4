/**
 * The order jest starts the test files in, so the workers stay busy to the end: the files that
 * run the emulator first, then those that run Terraform, checkov or the cdktf CLI (each waits on
 * processes for most of its time and lasts longest) or the workload's scripts under bash (which
 * mostly sleep between their probes: about 40 s of a worker for a few CPU seconds, so they run
 * beside the Terraform processes, not at the end beside the in-process tests that use a whole
 * core each), then the rest. Within a group, jest's own
 * order: a file that failed last time first, then the slowest of the last run (its local
 * timing cache), else the largest file. What a file runs is read from its source
 * (tools/test-groups.js), so a new emulator- or Terraform-backed test file is placed without being
 * listed anywhere.
 */
const Sequencer = require("@jest/test-sequencer").default;
const { group } = require("./test-groups");

class SlowFirst extends Sequencer {
  sort(tests) {
    const ordered = super.sort(tests);
    const groups = new Map(ordered.map((t) => [t.path, group(t.path)]));
    // Array.prototype.sort is stable: jest's order holds within a group.
    return [...ordered].sort((a, b) => groups.get(a.path) - groups.get(b.path));
  }
}

module.exports = SlowFirst;
