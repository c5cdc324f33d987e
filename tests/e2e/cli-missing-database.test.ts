/**
 * A mistyped --db on a command that reads the shop: opening a SQLite file creates it (and its
 * folders), so `rekindle segment` answered "0 customers" from a new empty database. Now the
 * reading commands say the path holds no database, naming --db, and create nothing; the commands
 * that make a shop (seed, import) still create it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

describe('reading commands on a --db that does not exist', () => {
  const dir = tempDir('rekindle-missing-db-');
  const missing = join(dir, 'typo', 'shpo.sqlite');

  it.each([
    ['segment', 'd11-audience'],
    ['report', 'double11-campaign'],
    ['explain', 'c000001'],
    ['analyse'],
    ['audit'],
    ['export', 'customers'],
    ['export', 'sends'],
    ['customers', 'bin'],
  ])('%s refuses it, naming --db, and creates nothing', async (...args) => {
    const r = await cli(['--db', missing, '--rules', 'rules', ...args]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`error: --db ${missing}: no database there; check the path (or $DATABASE_URL), or create the shop first with rekindle seed or rekindle import`);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('seed still creates a new shop there', async () => {
    const r = await cli(['--db', missing, '--rules', 'rules', 'seed', '--customers', '20']);
    expect(r.code).toBe(0);
    expect(existsSync(missing)).toBe(true);
    expect((await cli(['--db', missing, '--rules', 'rules', 'segment', 'd11-audience'])).code).toBe(0);
  });
});
