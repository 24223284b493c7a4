const fs = require("fs");

module.exports = async () => {
  const dir = process.env.MULTIAZ_REF_TEST_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
