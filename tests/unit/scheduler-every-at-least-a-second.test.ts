import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';

/**
 * `rekindle scheduler --every 0s` planned without a pause (a tick right after every tick, each
 * reading what is due) and was accepted without a word. It is refused before anything connects,
 * naming the flag; the address below is never reached.
 */
describe('rekindle scheduler --every', () => {
  const db = 'postgres://nobody@127.0.0.1:1/none';

  it.each(['0s', '0m', '500ms'])('refuses %s, naming the flag', async (every) => {
    const r = await cli(['--db', db, 'scheduler', '--every', every]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(every === '500ms' ? /^error: --every: "500ms" is not a duration/ : new RegExp(`^error: --every must be at least 1s \\(got "${every}"\\)\\n$`));
  });
});
