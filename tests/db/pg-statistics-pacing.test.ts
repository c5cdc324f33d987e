import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { analyzeAfterWrites, ANALYZE_RECHECK_MS } from '../../server/src/persistence/pg-statistics.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Event intake enrols every inbox batch; on PostgreSQL each enrolment used to read the catalog to
 * decide whether to ANALYZE. The pacing reads it only when this process's own writes could have
 * made a table stale, or once the recheck interval has passed — and still analyses a bulk write.
 */
describe('ANALYZE paced by the rows written (PostgreSQL)', () => {
  let db: TestDatabase;
  let catalogReads = 0;
  let clock = 0;
  const elapsed = () => clock;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    const ds = db.dataSource;
    await ds.query('CREATE TABLE pace_probe (id int)');
    await ds.query('ALTER TABLE pace_probe SET (autovacuum_enabled = false)');
    await ds.query('INSERT INTO pace_probe SELECT g FROM generate_series(1, 10000) g');
    // A backend reports its row counts to the statistics up to seconds after its commit (later on a
    // busy server). Counted after the first ANALYZE, these 10,000 rows would make the table look
    // stale at the 51st row of the next test: wait until they are in.
    for (let waited = 0; waited < 30_000; waited += 100) {
      const [row] = await ds.query(`SELECT n_mod_since_analyze AS n FROM pg_stat_user_tables WHERE relname = 'pace_probe' AND schemaname = current_schema()`);
      if (Number(row?.n ?? 0) >= 10_000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const query = ds.query.bind(ds);
    ds.query = ((sql: string, params?: unknown[]) => {
      if (sql.includes('n_mod_since_analyze')) catalogReads++; // the staleness check
      return query(sql, params);
    }) as typeof ds.query;
  }, 60_000);
  afterAll(async () => db?.close());

  const lastAnalyze = async (): Promise<number> => {
    const [row] = await db.dataSource.query(`SELECT reltuples FROM pg_class WHERE relname = 'pace_probe' AND relnamespace = current_schema()::regnamespace`);
    return Number(row.reltuples);
  };

  it('analyses a table that was never analysed on the first call', async () => {
    expect(await analyzeAfterWrites(db.dataSource, ['pace_probe'], 10_000, elapsed)).toEqual(['pace_probe']);
    expect(await lastAnalyze()).toBe(10_000);
    expect(catalogReads).toBe(1);
  });

  it('does not read the catalog for small writes that cannot make the table stale', async () => {
    for (let i = 0; i < 100; i++) {
      await db.dataSource.query('INSERT INTO pace_probe VALUES (0)');
      expect(await analyzeAfterWrites(db.dataSource, ['pace_probe'], 1, elapsed)).toEqual([]);
    }
    // The 51st row passes the allowance of a table seen unanalysed (50 rows); then 49 < 50 + 10% of 10,000.
    expect(catalogReads).toBe(2);
  });

  it('checks again, and analyses, once its own writes pass autovacuum\'s rule', async () => {
    // Enough to grow the table by more than a tenth in pages: the row counters of the statistics
    // collector arrive up to a second after a commit, the size at once.
    await db.dataSource.query('INSERT INTO pace_probe SELECT g FROM generate_series(1, 5000) g');
    expect(await analyzeAfterWrites(db.dataSource, ['pace_probe'], 5000, elapsed)).toEqual(['pace_probe']);
    expect(catalogReads).toBe(3);
    expect(await lastAnalyze()).toBe(15_100);
  });

  it("checks again after the recheck interval, for other processes' writes", async () => {
    await analyzeAfterWrites(db.dataSource, ['pace_probe'], 1, elapsed);
    await analyzeAfterWrites(db.dataSource, ['pace_probe'], 1, elapsed);
    expect(catalogReads).toBe(3);
    clock += ANALYZE_RECHECK_MS;
    await analyzeAfterWrites(db.dataSource, ['pace_probe'], 1, elapsed);
    expect(catalogReads).toBe(4);
  });
});
