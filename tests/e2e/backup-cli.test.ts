import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';

/** `rekindle backup <file>`: SQLite's online backup into a new 0600 file (docs/backup.md). */
describe('rekindle backup', () => {
  const dir = tempDir('rekindle-backup-');
  const shop = join(dir, 'shop.sqlite');
  beforeAll(async () => {
    expect((await cli(['--rules', 'rules', '--db', shop, 'seed', '--customers', '200', '--seed', '42', '--now', '2026-11-20'])).code).toBe(0);
  }, 120_000);

  const customers = async (file: string) => {
    const ds = await openDatabase({ url: file });
    try {
      return Number((await queryRows<{ n: number }>(ds, 'SELECT COUNT(*) AS n FROM customers'))[0].n);
    } finally {
      await ds.destroy();
    }
  };

  it('copies the whole shop into a new file only its owner may read, and names the secret file to keep with it', async () => {
    const out = join(dir, 'backups', 'shop-2026-11-20.sqlite');
    const r = await cli(['--rules', 'rules', '--db', shop, 'backup', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`backed up ${shop} to ${out}`);
    expect(r.stdout).toContain(join(dir, 'rekindle.secret'));
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(await customers(out)).toBe(await customers(shop));
    expect(await customers(out)).toBeGreaterThan(0);
  });

  it('refuses to overwrite a file, a shop that is not there, and PostgreSQL, naming each', async () => {
    const taken = join(dir, 'taken.sqlite');
    writeFileSync(taken, 'mine');
    expect(await cli(['--rules', 'rules', '--db', shop, 'backup', taken])).toMatchObject({ code: 1, stderr: expect.stringContaining(`${taken} already exists`) });
    const missing = join(dir, 'nope.sqlite');
    expect(await cli(['--rules', 'rules', '--db', missing, 'backup', join(dir, 'b.sqlite')])).toMatchObject({ code: 1, stderr: expect.stringContaining(`--db ${missing}: no database there`) });
    expect(existsSync(missing)).toBe(false);
    expect(await cli(['--rules', 'rules', '--db', 'postgres://u:p@127.0.0.1:1/shop', 'backup', join(dir, 'c.sqlite')])).toMatchObject({ code: 1, stderr: expect.stringContaining('use pg_dump') });
  });
});
