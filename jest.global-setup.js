// A directory per test run for results the jest workers share (the default offline plans,
// see defaultOfflinePlans in __tests__/helpers.ts); the global teardown removes it.
// Emulators started by the tests record their pid in its `emulators/` folder (lib/emulator.ts);
// the scratch inits of lib/terraform.ts are kept in its `terraform-init/` folder, so that every
// worker copies a stack's init instead of running it again (MULTIAZ_REF_INIT_CACHE).
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async () => {
  process.env.MULTIAZ_REF_TEST_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-jest-"));
  process.env.MULTIAZ_REF_EMULATORS = path.join(process.env.MULTIAZ_REF_TEST_CACHE, "emulators");
  fs.mkdirSync(process.env.MULTIAZ_REF_EMULATORS);
  process.env.MULTIAZ_REF_INIT_CACHE = path.join(process.env.MULTIAZ_REF_TEST_CACHE, "terraform-init");
  fs.mkdirSync(process.env.MULTIAZ_REF_INIT_CACHE);
};
