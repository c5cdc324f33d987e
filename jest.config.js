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
  // Three workers on these 2-core machines: many files wait part of their time (a server or worker
  // process they started, PostgreSQL, a browser, a grace period), and a third worker fills those
  // gaps. Fresh-clone `.ci/run` on one slower machine (5 Dec 2026, 2,361 tests each, nothing else
  // running): 2 workers 1,068 s, 3 workers 972 s, 4 workers 1,059 s (the four heaviest files then
  // start together and contend for the two cores).
  maxWorkers: 3,
  // How long jest waits for a worker to end before it kills it and prints "A worker process has
  // failed to exit gracefully" (default 500 ms). At the end of a full run (2 Dec 2026) one worker
  // held a 1.8 GB heap and took 1.7 s to be gone, most of it the kernel freeing 2.5 GB of pages
  // (no way of ending is cheaper: a SIGKILL costs the same), the other (1.6 GB) did not even read
  // jest's end message within 1 s. Jest waits for the worker to be gone in any case, so this costs
  // a run no time; a worker a leaked handle keeps alive is still killed and reported, 10 s later.
  // (tests/install/jest-worker-end.test.ts)
  workerGracefulExitTimeout: 10_000,
  // A worker whose heap is above 512 MB after a file is replaced by a fresh one before its next
  // file. Jest in ESM mode keeps ~10 MB of every file's modules alive (jestjs/jest#14605): without
  // this a worker reached a 1.6-1.8 GB heap, 2.1-3.0 GB resident, by the end of a full run
  // (2 Dec 2026: 11 replacements a run, largest process 0.87 GB instead of 3.0 GB).
  workerIdleMemoryLimit: '512MB',
  // PostgreSQL test databases are dropped at the end of the run, all at once, not one by one in
  // the tests (each DROP DATABASE waits for a checkpoint): tests/support/test-databases-run.mjs.
  // A run with designer browser files starts one chromium they all connect to: shared-browser.mjs.
  globalSetup: '<rootDir>/tests/support/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/support/global-teardown.mjs',
  // Known slow files first, also without jest's timing cache (a fresh clone in CI).
  testSequencer: '<rootDir>/tests/support/slow-first-sequencer.mjs',
};
