// A directory per test run for results the jest workers share (the default offline plans,
// see defaultOfflinePlans in __tests__/helpers.ts); the global teardown removes it.
const fs = require("fs");
const os = require("os");
const path = require("path");

module.exports = async () => {
  process.env.MULTIAZ_REF_TEST_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), "multiaz-ref-jest-"));
};
