import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * Every enrolment of the event intake put an entry into ix_enrollments_flow_customer at a random
 * place; the one read that used it, a flow's entry history of a batch's customers, goes by
 * ix_enrollments_customer instead (both dialects keep the same answers).
 */
describe.each(DIALECTS)('entry history of a flow (%s)', (dialect) => {
  let db: TestDatabase;
  let ids: number[];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ids = await addCustomers(db.dataSource, [{ externalId: 'eh-1' }, { externalId: 'eh-2' }, { externalId: 'eh-3' }], 0);
    const enroll = (flow: string, customer: number, key: string, status: string, at: number) =>
      db.dataSource.query(
        dialect === 'postgres'
          ? `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ($1, 1, $2, $3, 'start', $4, $5, $5, 0, $6, $5)`
          : `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES (?, 1, ?, ?, 'start', ?, ?, ?, 0, ?, ?)`,
        dialect === 'postgres' ? [flow, customer, key, status, at, `e-${key}`] : [flow, customer, key, status, at, at, `e-${key}`, at],
      );
    await enroll('f1', ids[0], 'a', 'active', 10);
    await enroll('f1', ids[0], 'b', 'completed', 5);
    await enroll('f2', ids[0], 'c', 'active', 7);
    await enroll('f1', ids[1], 'd', 'exited', 3);
    await enroll('f2', ids[2], 'e', 'active', 1);
  });
  afterAll(async () => db?.close());

  it('returns each customer’s entries of that flow only', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const h = await store.entryHistory('f1', [ids[0], ids[1], ids[2]]);
    expect(
      [...h.entries()].map(([c, list]) => [c, list.map((e) => [e.journeyKey, e.enteredAt, e.active]).sort()]).sort((a, b) => Number(a[0]) - Number(b[0])),
    ).toEqual([
      [ids[0], [['a', 10, true], ['b', 5, false]]],
      [ids[1], [['d', 3, false]]],
    ]);
  });

  if (dialect === 'sqlite') {
    it('keeps no (flow_id, customer_id) index and reads the history by customer, not every enrollment of the flow', async () => {
      const indexes = (await queryRows(db.dataSource, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enrollments'")).map((r) => r.name);
      expect(indexes).not.toContain('ix_enrollments_flow_customer');
      expect(indexes).toContain('ix_enrollments_customer');
      // The statement entryHistory runs, as SQLite plans it.
      const raw = rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown };
      const prepare = raw.prepare;
      const seen: string[] = [];
      raw.prepare = (sql: string) => (seen.push(sql), prepare.call(raw, sql));
      try {
        await new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig).entryHistory('f1', [ids[0], ids[1]]);
      } finally {
        raw.prepare = prepare;
      }
      const sql = seen.find((s) => /journey_key, entered_at, status FROM enrollments/.test(s));
      expect(sql).toBeDefined();
      const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, ['f1', ids[0], ids[1]])) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX ix_enrollments_customer \(customer_id=\?\)/);
    });
  }
});
