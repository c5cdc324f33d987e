import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * ix_enrollments_wake holds active enrollments only (migration 1765002520000): a step that ends a
 * journey writes no entry into it (status and wake_at are indexed, so that update is never HOT and
 * used to add one to every index), while the due reads that go through it are unchanged.
 */
describe.each(DIALECTS)('ix_enrollments_wake holds active enrollments only (%s)', (dialect) => {
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(dialect === 'postgres' ? sql.replace(/\?/g, ((i) => () => `$${++i}`)(0)) : sql, params) as Promise<Record<string, unknown>[]>;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'wi-1' }, { externalId: 'wi-2' }, { externalId: 'wi-3' }], 0);
    await q(`INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('running', 'active', 1, NULL, 0)`);
    const enroll = (key: string, customer: number, status: string, wakeAt: number | null) =>
      q(`INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES ('running', 1, ?, ?, 'wait', ?, 0, 0, ?, 1, ?, 0)`, [customer, key, status, wakeAt, `e-${key}`]);
    await enroll('due', ids[0], 'active', 100);
    await enroll('later', ids[0], 'active', 500);
    await enroll('exited', ids[1], 'exited', null);
    await enroll('completed', ids[1], 'completed', null);
    await enroll('due-2', ids[2], 'active', 200);
  });
  afterAll(async () => db?.close());

  it('is a partial index on status = active with the same columns', async () => {
    const [r] =
      dialect === 'postgres'
        ? await q(`SELECT indexdef AS sql FROM pg_indexes WHERE indexname = 'ix_enrollments_wake'`)
        : await q(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_enrollments_wake'`);
    expect(String(r.sql).replace(/["()]/g, '')).toMatch(/status, wake_at, customer_id.*WHERE.*status.*= 'active'/i);
  });

  it('holds an entry for each active enrollment and none for a finished one', async () => {
    if (dialect === 'postgres') {
      // Its entries counted through it (the table is tiny: keep the planner on the index), and the
      // index's predicate says a finished row version gets none (PostgreSQL checks it per row version).
      await q('SET enable_seqscan = off');
      await q('SET enable_bitmapscan = off');
      const [n] = await q(`SELECT COUNT(*) AS n FROM enrollments WHERE status = 'active'`);
      const plan = (await q(`EXPLAIN SELECT COUNT(*) FROM enrollments WHERE status = 'active'`)).map((r) => String(Object.values(r)[0])).join('\n');
      const [pred] = await q(`SELECT pg_get_expr(indpred, indrelid) AS pred FROM pg_index WHERE indexrelid = 'ix_enrollments_wake'::regclass`);
      await q('RESET enable_seqscan');
      await q('RESET enable_bitmapscan');
      expect(Number(n.n)).toBe(3);
      expect(plan).toMatch(/ix_enrollments_wake/);
      expect(String(pred.pred)).toMatch(/status.*= 'active'/);
    } else {
      const [n] = await q(`SELECT COUNT(*) AS n FROM enrollments INDEXED BY ix_enrollments_wake WHERE status = 'active'`);
      expect(Number(n.n)).toBe(3);
      // A finished state cannot be read through it at all: it is not in the index.
      await expect(q(`SELECT COUNT(*) AS n FROM enrollments INDEXED BY ix_enrollments_wake WHERE status = 'exited'`)).rejects.toThrow(/no query solution/);
    }
  });

  it('the tick still finds the due enrollments through it, in customer order', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const got = await store.dueEnrollments(300, 10, null);
    expect(got.map((e) => e.journeyKey)).toEqual(['due', 'due-2']);
    // The cursor walk (after the plan is used up) goes through the same index.
    const after = await store.dueEnrollments(600, 10, { customerId: got[1].customerId, id: got[1].id });
    expect(after).toEqual([]);
  });
});
