import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * A full run used to leave ~140 folders in /tmp: tests made scratch folders with mkdtemp and
 * never removed them (or removed them only when every assertion passed). Every test now makes
 * them through tests/support/temp-dirs.ts, which removes them when the test file ends, passed
 * or failed. This pins that no test goes back to making its own, or writing straight into the
 * system temp folder.
 */
const TESTS = join(process.cwd(), 'tests');

describe('scratch folders of the tests', () => {
  it('are all made through tests/support/temp-dirs.ts, which removes them when the file ends', () => {
    const own = readdirSync(TESTS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== join('support', 'temp-dirs.ts'))
      .filter((f) => /\bmkdtemp(Sync)?\(|\btmpdir\(/.test(readFileSync(join(TESTS, f), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(own).toEqual([]);
  });
});
