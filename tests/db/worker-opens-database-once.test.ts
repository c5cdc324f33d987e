/**
 * `rekindle worker` and `rekindle scheduler` ask whether their database is a simulation's copy
 * before they run on it (cli/simulation-copy-guard.ts). On PostgreSQL they opened it for that
 * question, closed it and opened it again: two pools and two connection set-ups at every start.
 * Now the database the check opened is the one they run on; a copy is refused with nothing left
 * open; a SQLite file is only checked (the commands refuse SQLite next, saying why).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openToRunUnlessACopy } from '../../server/src/cli/simulation-copy-guard.js';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { markSimulationCopy } from '../../server/src/persistence/simulation-copy-mark.js';
import { DIALECTS, freshTarget, PG_ADMIN_URL } from '../support/databases.js';

const FROM = Date.parse('2026-11-01T00:00:00+08:00');
const workspace = openWorkspace('rules');
const worker = { command: 'rekindle worker', refused: 'runs' } as const;

describe.each(DIALECTS)('the database `rekindle worker` and `scheduler` run on, on %s', (dialect) => {
  let live: DatabaseTarget;
  let copy: DatabaseTarget;
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const a = await freshTarget(dialect, { migrated: true });
    const b = await freshTarget(dialect, { migrated: true });
    drops.push(a.drop, b.drop);
    [live, copy] = [a.target, b.target];
    const ds = await openDatabase(copy);
    await markSimulationCopy(ds, { flowId: 'payment-reminder', from: FROM, to: FROM + 86_400_000 }, FROM);
    await ds.destroy();
  }, 60_000);
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  it(dialect === 'postgres' ? 'is the one the copy check opened, open and answering' : 'is not opened to run on: a SQLite file is checked, and null tells the command to refuse it', async () => {
    const ds = await openToRunUnlessACopy({ database: live, workspace }, worker);
    if (dialect === 'sqlite') {
      expect(ds).toBeNull();
      return;
    }
    try {
      expect(ds?.isInitialized).toBe(true);
      expect(await ds!.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await ds?.destroy();
    }
  });

  it('refuses a simulation\'s copy, naming it, with nothing left open on it', async () => {
    await expect(openToRunUnlessACopy({ database: copy, workspace }, worker)).rejects.toThrow(/^rekindle worker does not run: .* is a simulation's copy \(payment-reminder, /);
    if (dialect !== 'postgres') return;
    // The pool the check opened was closed before the error: no session of this process on the copy.
    const admin = new DataSource({ type: 'postgres', url: PG_ADMIN_URL });
    await admin.initialize();
    try {
      const name = new URL(copy.url).pathname.slice(1);
      const [{ n }] = await admin.query('SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      expect(n).toBe(0);
    } finally {
      await admin.destroy();
    }
  });
});
