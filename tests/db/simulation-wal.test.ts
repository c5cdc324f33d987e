import { afterEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../server/src/persistence/data-source.js';
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

  it.each(DIALECTS.filter((d) => d === 'postgres'))('%s: nothing to set', async (dialect) => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    await expect(widenWalForSimulation(db.dataSource)).resolves.toBeUndefined();
  });
});
