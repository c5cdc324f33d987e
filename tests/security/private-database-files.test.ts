import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { sqliteReadableByOthers } from '../../server/src/persistence/private-files.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';

/**
 * The shop's SQLite file holds customers' contacts, the audit log and password hashes: a new one
 * (and its -wal and -shm) is the owner's alone (0600), like data/rekindle.secret, and so are the
 * copies and exports the CLI writes. SQLite itself creates files 0644, readable by every local user.
 * (These tests run as root here; the mode bits are what they check.)
 */
const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('a new SQLite database', () => {
  it('is created 0600, and SQLite gives its -wal and -shm the same mode', async () => {
    const file = join(tempDir('rekindle-private-'), 'data', 'shop.sqlite');
    const ds = await openDatabase({ url: file });
    try {
      await ds.query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (0, 'cli', 'x', 'y', '{}')").catch(() => undefined);
      expect(modeOf(file)).toBe(0o600);
      for (const side of [`${file}-wal`, `${file}-shm`]) {
        expect(existsSync(side)).toBe(true);
        expect(modeOf(side)).toBe(0o600);
      }
    } finally {
      await ds.destroy();
    }
  });

  it('an existing file readable by others is left as it is, with a warning naming it and the chmod to run', async () => {
    const file = join(tempDir('rekindle-private-'), 'old.sqlite');
    closeSync(openSync(file, 'w'));
    chmodSync(file, 0o644);
    expect(sqliteReadableByOthers(file)).toBe(`warning: the database ${file} can be read by other users of this machine (mode 0644): it holds customers' contacts, the audit log and password hashes. Run: chmod 600 ${file} ${file}-wal ${file}-shm`);
    const ds = await openDatabase({ url: file });
    await ds.destroy();
    expect(modeOf(file)).toBe(0o644);
    chmodSync(file, 0o600);
    expect(sqliteReadableByOthers(file)).toBeNull();
    expect(sqliteReadableByOthers(join(tempDir('rekindle-private-'), 'absent.sqlite'))).toBeNull();
  });
});

describe('the server at start-up', () => {
  it('warns once, naming the file and the chmod, when the database it opens can be read by others', async () => {
    const main = join(process.cwd(), 'dist/server/src/main.js');
    expect(existsSync(main)).toBe(true); // npm test builds it first
    const file = join(tempDir('rekindle-private-'), 'shop.sqlite');
    const ds = await openDatabase({ url: file });
    await ds.destroy();
    chmodSync(file, 0o644);
    // A port already taken: the server goes through its start-up, then stops at listen.
    const taken = createServer();
    await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const r = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: port, HOST: '127.0.0.1', DATABASE_URL: file, REKINDLE_QUIET: '1' }, encoding: 'utf8', timeout: 60_000 });
      const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: the database'));
      expect(warnings).toEqual([`warning: the database ${file} can be read by other users of this machine (mode 0644): it holds customers' contacts, the audit log and password hashes. Run: chmod 600 ${file} ${file}-wal ${file}-shm`]);
      expect(modeOf(file)).toBe(0o644);
    } finally {
      taken.close();
    }
  }, 90_000);
});

describe('files the CLI writes with customers in them', () => {
  const dir = tempDir('rekindle-private-cli-');
  const shop = join(dir, 'shop.sqlite');
  beforeAll(async () => {
    expect((await cli(['--rules', 'rules', '--db', shop, 'seed', '--customers', '200', '--seed', '42', '--now', '2026-11-20'])).code).toBe(0);
  }, 120_000);

  it('rekindle simulate --copy-of makes its copy 0600', async () => {
    const copy = join(dir, 'sim.sqlite');
    const r = await cli(['--rules', 'rules', 'simulate', 'payment-reminder', '--db', copy, '--copy-of', shop, '--from', '2026-11-18', '--days', '1']);
    expect(r.code).toBe(0);
    expect(modeOf(copy)).toBe(0o600);
  }, 120_000);

  it('rekindle export customers --out writes a 0600 file', async () => {
    const out = join(dir, 'customers.csv');
    expect((await cli(['--rules', 'rules', '--db', shop, 'export', 'customers', '--out', out])).code).toBe(0);
    expect(modeOf(out)).toBe(0o600);
  });
});
