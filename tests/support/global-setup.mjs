// jest.config.js globalSetup: the PostgreSQL test databases (test-databases-run.mjs) and the run's
// one chromium (shared-browser.mjs).
import { setup as databases } from './test-databases-run.mjs';
import { launchSharedBrowser } from './shared-browser.mjs';

export default async function setup() {
  await Promise.all([databases(), launchSharedBrowser()]);
}
