import Sequencer from '@jest/test-sequencer';

/**
 * Jest runs the slowest files first when its cache knows their durations (so no worker idles at
 * the end behind one long file); a fresh clone (CI) has no cache and jest falls back to file size,
 * which started the 90-s type-check last and a 240-s kill test a third of the way in. These files
 * took a minute or more of a loaded full run (1 Dec 2026, slowest first): they go first, in this
 * order, cache or not; every other file keeps jest's order.
 */
const SLOW_FIRST = [
  'tests/e2e/events-kill-restart.test.ts',
  'tests/e2e/designer-browser.test.ts',
  'tests/e2e/workers-kill.test.ts',
  'tests/install/typecheck.test.ts',
  'tests/db/segment-differential.test.ts',
  'tests/e2e/shop-time-import.test.ts',
  'tests/e2e/engine-kill-restart.test.ts',
  'tests/security/link-tokens.test.ts',
  'tests/e2e/cli-typed-times-and-pipes.test.ts',
];

export default class SlowFirstSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const rank = (t) => {
      const i = SLOW_FIRST.findIndex((p) => t.path.endsWith(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the rest keep the order jest chose.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
