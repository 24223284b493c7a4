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
  // Both cores: the terraform-backed tests wait on terraform processes most of the time.
  maxWorkers: 2,
  // The emulator- and Terraform-backed files first, so no long file starts last (tools/jest-sequencer.js).
  testSequencer: "<rootDir>/tools/jest-sequencer.js",
  testTimeout: 120000,
};
