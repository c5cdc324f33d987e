// jest.config.js globalTeardown: drops the run's PostgreSQL test databases (test-databases-run.mjs)
// and closes its chromium (shared-browser.mjs).
import { teardown as databases } from './test-databases-run.mjs';
import { closeSharedBrowser } from './shared-browser.mjs';

export default async function teardown() {
  await Promise.all([databases(), closeSharedBrowser()]);
}
