// A directory per test run for results the jest workers share (the default offline plans,
// see defaultOfflinePlans in __tests__/helpers.ts); the global teardown removes it.
// Emulators started by the tests record their pid in its `emulators/` folder (lib/emulator.ts).
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async () => {
  process.env.MULTIAZ_REF_TEST_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-jest-"));
  process.env.MULTIAZ_REF_EMULATORS = path.join(process.env.MULTIAZ_REF_TEST_CACHE, "emulators");
  fs.mkdirSync(process.env.MULTIAZ_REF_EMULATORS);
};
