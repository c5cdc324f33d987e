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
  // Known slow files first, also without jest's timing cache (a fresh clone in CI).
  testSequencer: '<rootDir>/tests/support/slow-first-sequencer.mjs',
};
