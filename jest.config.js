/** Jest in ESM mode (NestJS 12 is ESM-only): run through `npm test` or `npm run test:jest`. */
export default {
  // 'node', ending each worker quickly once jest is done with it (see the file).
  testEnvironment: '<rootDir>/tests/support/node-environment.cjs',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60000,
  maxWorkers: 2,
  // How long jest waits for a worker to end before it kills it and prints "A worker process has
  // failed to exit gracefully" (default 500 ms). A worker at the end of the full run holds a
  // 1.0-1.3 GB heap; ending it costs 0.3-1.3 s of CPU, mostly the kernel freeing its pages, which
  // no way of ending saves (a SIGKILL costs the same) and which on a loaded 2-core machine took
  // longer than 500 ms. Jest waits for the worker to be gone in any case, so this costs a run no
  // time; a worker a leaked handle keeps alive is still killed and reported, 10 s later.
  // (tests/install/jest-worker-end.test.ts)
  workerGracefulExitTimeout: 10_000,
  // Known slow files first, also without jest's timing cache (a fresh clone in CI).
  testSequencer: '<rootDir>/tests/support/slow-first-sequencer.mjs',
};
