// jest.config.js globalSetup: see test-databases-run.mjs.
export { setup as default } from './test-databases-run.mjs';
