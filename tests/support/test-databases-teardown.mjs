// jest.config.js globalTeardown: see test-databases-run.mjs.
export { teardown as default } from './test-databases-run.mjs';
