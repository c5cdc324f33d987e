import Sequencer from '@jest/test-sequencer';

/**
 * Jest runs the slowest files first when its cache knows their durations (so no worker idles at
 * the end behind one long file); a fresh clone (CI) has no cache and jest falls back to file size,
 * which started the 90-s type-check last and a 240-s kill test a third of the way in. These files
 * took the longest in a loaded full run (1 Dec 2026, 19:14 UTC, 1,117 s of jest on two workers; slowest
 * first, its seconds beside each): they go first, in this order, cache or not; every other file keeps
 * jest's order. The longest start together, one on each worker (jest.config.js's maxWorkers).
 */
const SLOW_FIRST = [
  'tests/e2e/designer-browser.test.ts', // 480
  'tests/e2e/events-kill-restart.test.ts', // 295
  'tests/e2e/workers-kill.test.ts', // 136
  'tests/install/typecheck.test.ts', // 71
  'tests/db/segment-differential.test.ts', // 45
  'tests/e2e/shop-time-import.test.ts', // 38
  'tests/security/link-tokens.test.ts', // 32
  'tests/e2e/cli-typed-times-and-pipes.test.ts', // 29
  'tests/e2e/import-index-pause-rest.test.ts', // 28
  'tests/e2e/segment-api.test.ts', // 26
  'tests/db/migrations-concurrent.test.ts', // 23
  'tests/db/flow-examples-simulate.test.ts', // 23
  'tests/db/simulated-purchases.test.ts', // 23
  'tests/e2e/import-index-pause-kill.test.ts', // 22
  'tests/e2e/engine-kill-restart.test.ts', // 15
];

export default class SlowFirstSequencer extends Sequencer {
  async sort(tests) {
    // Jest sorts the run's files before its global set-up, which starts the shared chromium only
    // for a run that has browser files (shared-browser.mjs).
    if (tests.some((t) => /-browser\.test\.ts$/.test(t.path))) process.env.REKINDLE_RUN_HAS_BROWSER_FILES = '1';
    const sorted = await super.sort(tests);
    const rank = (t) => {
      const i = SLOW_FIRST.findIndex((p) => t.path.endsWith(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep the order jest chose.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
