import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * A PostgreSQL stepping batch's statements are named prepared statements (pg-named.ts): each
 * connection parses a text once and may reuse its plan, instead of parsing and planning it in
 * every batch. Texts with long `IN (…)` lists are left unnamed (their number would grow).
 */
describe("a batch's statements are prepared once per connection (postgres)", () => {
  let db: TestDatabase;
  let customers: number[];

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    customers = await addCustomers(db.dataSource, [{ externalId: 'named-1' }, { externalId: 'named-2' }], 0);
  });
  afterAll(async () => db?.close());

  /** This session's prepared statements, read inside the batch (they are per connection). */
  const prepared = (unit: BatchUnit) => unit.read<{ statement: string }>('SELECT statement FROM pg_prepared_statements WHERE name LIKE ? ORDER BY statement', ['rekindle_batch_%']);

  it("the customers' lock, the unit's reads and the batch's writes are named; answers are the same as unnamed", async () => {
    const seen = await BatchUnit.run(db.dataSource, { customerIds: customers, enrollmentIds: [] }, async (unit) => {
      const rows = await unit.read<{ id: number }>('SELECT id FROM customers WHERE id = ANY(?::int[]) ORDER BY id', [customers]);
      expect(rows.map((r) => Number(r.id))).toEqual(customers);
      await unit.exec('INSERT INTO policy_counters (key, value) VALUES (?, 0) ON CONFLICT (key) DO NOTHING', ['named-test']);
      return (await prepared(unit)).map((r) => r.statement);
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        'SELECT id FROM customers WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE',
        'SELECT id FROM customers WHERE id = ANY($1::int[]) ORDER BY id',
        'INSERT INTO policy_counters (key, value) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING',
      ]),
    );
    // A stepping batch's enrollment update (a write applied at the commit) is named too.
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    await store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
      await s.commitStep([{ id: -1, nodeId: 'n', status: 'active', nodeEnteredAt: 1, wakeAt: 2, stepCount: 1, arm: null, waitingFor: null, exitReason: null }], [], []);
    });
    const after = await BatchUnit.run(db.dataSource, { customerIds: [], enrollmentIds: [] }, async (unit) => (await prepared(unit)).map((r) => r.statement));
    expect(after.some((t) => t.startsWith('UPDATE enrollments AS t SET'))).toBe(true);
  });

  it('a text with a long IN list stays unnamed', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const seen = await BatchUnit.run(db.dataSource, { customerIds: [], enrollmentIds: [] }, async (unit) => {
      await unit.read(`SELECT id FROM customers WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
      return (await prepared(unit)).map((r) => r.statement);
    });
    expect(seen.some((t) => t.includes('$40'))).toBe(false);
  });
});
