/**
 * Jest configuration, as in the CDKTF TypeScript template but for the transform: the TypeScript
 * is transpiled by swc (@swc/jest), file by file, with no type check (tsconfig.json has
 * isolatedModules, so every file transpiles on its own): `npm test` type-checks the whole
 * project once with `tsc --noEmit` before jest runs. swc's options mirror tsconfig.json's
 * (CommonJS, ES2022 with its class-field semantics, legacy decorators, inline source maps so a
 * failure points at its .ts line). The constructs, model, policy and config tests on 2 cores,
 * 2026-12-03: with jest's transform cache empty (a fresh clone, as in CI) 54 CPU s with ts-jest
 * and 44 with swc; with it filled, about 41 either way.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>"],
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/cdktf.out/"],
  transform: {
    "^.+\\.tsx?$": [
      "@swc/jest",
      {
        sourceMaps: "inline",
        module: { type: "commonjs" },
        jsc: {
          target: "es2022",
          parser: { syntax: "typescript", decorators: true },
          transform: { legacyDecorator: true, useDefineForClassFields: true },
        },
      },
    ],
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
