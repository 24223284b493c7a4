/**
 * Jest configuration, as in the CDKTF TypeScript template, with ts-jest in transpile-only
 * mode (isolatedModules in tsconfig.json): `npm test` type-checks the whole project once with `tsc --noEmit` before jest runs,
 * so each worker need not type-check again.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/cdktf.out/"],
  transform: {
    "^.+\\.tsx?$": ["ts-jest", { diagnostics: false }],
  },
  moduleFileExtensions: ["ts", "js", "json", "node"],
  setupFilesAfterEnv: ["<rootDir>/setup.js"],
  globalSetup: "<rootDir>/jest.global-setup.js",
  globalTeardown: "<rootDir>/jest.global-teardown.js",
  // Three workers on the 2 cores: the emulator- and Terraform-backed files wait on processes
  // (the provider's fixed waits, moto) much of the time. One fresh clone, idle machine,
  // 2026-12-03, 1416 tests: 437 s with 2 workers, 367 s with 3, 336 s with 4; 3 leaves
  // headroom for the timing-sensitive files (the watchdog, --keep's signals) on a loaded runner.
  maxWorkers: 3,
  // The emulator- and Terraform-backed files first, so no long file starts last (tools/jest-sequencer.js).
  testSequencer: "<rootDir>/tools/jest-sequencer.js",
  testTimeout: 120000,
};
