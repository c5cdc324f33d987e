import { afterEach, describe, expect, it } from '@jest/globals';
import { executeBatch, failWithinBatch, insertManyOps, queryRows } from '../../server/src/persistence/sql-batch.js';
import { recordPreparedStatements } from '../support/prepared-statements.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/**
 * The message a write failed with, or null. Not `rejects.toThrow`: a SQLite error is made by the
 * native module in the realm of the first test file of a jest worker that loaded it, and in a
 * later file of that worker jest did not take it for an error ("did not throw").
 */
const failureOf = (p: Promise<unknown>): Promise<string | null> => p.then(() => null, (e: unknown) => String((e as Error)?.message ?? e));

const detailRows = (n: number, from = 0) => Array.from({ length: n }, (_, i) => [`k${from + i}`, `{"n":${from + i}}`]);

describe('a batch statement is prepared without its own undo on SQLite', () => {
  it('turns INSERT INTO and UPDATE t SET into their OR FAIL forms and leaves every other statement as written', () => {
    expect(failWithinBatch('INSERT INTO sends (a) VALUES (?), (?) ON CONFLICT (idempotency_key) DO NOTHING')).toBe('INSERT OR FAIL INTO sends (a) VALUES (?), (?) ON CONFLICT (idempotency_key) DO NOTHING');
    expect(failWithinBatch('UPDATE enrollments SET node_id = ? WHERE id IN (?, ?)')).toBe('UPDATE OR FAIL enrollments SET node_id = ? WHERE id IN (?, ?)');
    expect(failWithinBatch('\n  UPDATE "customers" SET tags = ? WHERE id = ?')).toBe('\n  UPDATE OR FAIL "customers" SET tags = ? WHERE id = ?');
    expect(failWithinBatch('INSERT INTO limit_counters (a, n) SELECT ?, COUNT(*) FROM journey_steps')).toBe('INSERT OR FAIL INTO limit_counters (a, n) SELECT ?, COUNT(*) FROM journey_steps');
    for (const kept of ['INSERT OR REPLACE INTO x VALUES (1)', 'INSERT OR IGNORE INTO x VALUES (1)', 'UPDATE OR IGNORE x SET a = 1', 'DELETE FROM sessions WHERE id_hash = ?', 'SELECT 1'])
      expect(failWithinBatch(kept)).toBe(kept);
  });

  it('prepares the multi-row inserts and updates of executeBatch as OR FAIL (no statement journal)', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const prepared = recordPreparedStatements(db.dataSource);
    await executeBatch(db.dataSource, [
      ...insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows: detailRows(60), suffix: 'ON CONFLICT (key) DO NOTHING' }),
      { sql: `UPDATE journey_details SET detail = '{}' WHERE key IN (?, ?)`, params: ['k1', 'k2'] },
    ]);
    const writes = prepared.filter((t) => /journey_details/.test(t));
    expect(writes.length).toBe(3); // 50 rows, 10 rows, the update
    for (const t of writes) expect(t).toMatch(/^(INSERT OR FAIL INTO|UPDATE OR FAIL) journey_details /);
  });
});

describe.each(DIALECTS)('a batch of writes is still all or nothing, on %s', (dialect) => {
  it('leaves nothing behind when a later row of a multi-row insert breaks a constraint', async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    const rows = detailRows(50);
    rows[29] = ['k29', null as unknown as string]; // NOT NULL: the 30th row of a 50-row statement fails
    const error = await failureOf(
      executeBatch(db.dataSource, [
        ...insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows: detailRows(5, 100) }),
        ...insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows, suffix: 'ON CONFLICT (key) DO NOTHING' }),
      ]),
    );
    expect(error).toMatch(/NOT NULL|null value/i);
    const [{ n }] = await queryRows<{ n: number }>(db.dataSource, 'SELECT COUNT(*) AS n FROM journey_details');
    expect(Number(n)).toBe(0); // neither the first statement's rows nor the 29 rows before the failing one
  });

  it('still lets an upsert skip the rows its conflict target names, and fails on another unique index', async () => {
    const db = await openTestDatabase(dialect);
    opened.push(db);
    await executeBatch(db.dataSource, insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows: detailRows(3) }));
    const changes = await executeBatch(db.dataSource, insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows: detailRows(5), suffix: 'ON CONFLICT (key) DO NOTHING' }));
    expect(changes).toEqual([2]);
    const [{ n }] = await queryRows<{ n: number }>(db.dataSource, 'SELECT COUNT(*) AS n FROM journey_details');
    expect(Number(n)).toBe(5);
    // Without a conflict target for it, a duplicate key fails the batch: nothing of it is kept.
    expect(await failureOf(executeBatch(db.dataSource, insertManyOps({ table: 'journey_details', columns: ['key', 'detail'], rows: [...detailRows(3, 10), ['k0', '{}']] })))).toMatch(/UNIQUE|duplicate key/i);
    const [{ m }] = await queryRows<{ m: number }>(db.dataSource, 'SELECT COUNT(*) AS m FROM journey_details');
    expect(Number(m)).toBe(5);
  });
});
