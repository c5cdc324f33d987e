import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { DEFAULT_WAL_AUTOCHECKPOINT, openDatabase } from '../../server/src/persistence/data-source.js';
import { SIMULATION_WAL_AUTOCHECKPOINT, widenWalForSimulation } from '../../server/src/persistence/simulation-wal.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

describe('a simulation\'s copy of the shop checkpoints its WAL less often', () => {
  it('SQLite: every 65,536 pages (4x a connection\'s default), keeping a WAL file of that size', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const pragma = async (name: string) => Number(Object.values((await queryRows(db.dataSource, `PRAGMA ${name}`))[0])[0]);
    expect(await pragma('wal_autocheckpoint')).toBe(DEFAULT_WAL_AUTOCHECKPOINT);
    await widenWalForSimulation(db.dataSource);
    expect(SIMULATION_WAL_AUTOCHECKPOINT).toBe(65_536);
    expect(await pragma('wal_autocheckpoint')).toBe(65_536);
    expect(await pragma('journal_size_limit')).toBe(65_536 * 4096);
  });

  it('SQLite: without fsyncs on the simulation\'s connection only; a connection opened on the copy afterwards syncs as usual', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const pragma = async (ds: DataSource, name: string) => Number(Object.values((await queryRows(ds, `PRAGMA ${name}`))[0])[0]);
    expect(await pragma(db.dataSource, 'synchronous')).toBe(1); // NORMAL
    await widenWalForSimulation(db.dataSource);
    expect(await pragma(db.dataSource, 'synchronous')).toBe(0); // OFF
    const after = await openDatabase(db.target);
    try {
      expect(await pragma(after, 'synchronous')).toBe(1);
    } finally {
      await after.destroy();
    }
  });

  it.each(DIALECTS.filter((d) => d === 'postgres'))('%s: nothing to set', async (dialect) => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    await expect(widenWalForSimulation(db.dataSource)).resolves.toBeUndefined();
  });
});
