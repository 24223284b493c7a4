/**
 * Preloaded (`node -r`) into every process `npm run bench` measures: records the process's
 * peak RSS at exit into the file named by BENCH_PROBE_FILE, and with BENCH_INDEX_IMPORT=1
 * first imports the provider through its package index, as stock CDKTF code
 * (`import { ... } from "@cdktf/provider-aws"`) does.
 */
"use strict";
const fs = require("fs");

if (process.env.BENCH_INDEX_IMPORT === "1") require("@cdktf/provider-aws");

process.on("exit", () => {
  const file = process.env.BENCH_PROBE_FILE;
  // resourceUsage().maxRSS is in kilobytes.
  if (file) fs.writeFileSync(file, JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
});
