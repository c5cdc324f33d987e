import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mayEnter } from '../../server/src/core/engine/entry-policy.js';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * Every enrolment of the event intake put an entry into ix_enrollments_flow_customer at a random
 * place; the one read that used it, a flow's entry history of a batch's customers, goes by
 * ix_enrollments_customer instead (both dialects keep the same answers). A candidate with a journey
 * key is asked about that key's entries only, by (customer_id, journey_key) in that index.
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
    await enroll('f1', ids[2], '', 'completed', 2);
  });
  const whole = (customers: number[]) => customers.map((customerId) => ({ customerId, journeyKey: '' }));
  const sorted = (h: Map<number, { journeyKey: string; enteredAt: number; active: boolean }[]>) =>
    [...h.entries()].map(([c, list]) => [c, list.map((e) => [e.journeyKey, e.enteredAt, e.active]).sort()]).sort((a, b) => Number(a[0]) - Number(b[0]));
  afterAll(async () => db?.close());

  it('returns each customer’s entries of that flow only', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const h = await store.entryHistory('f1', whole([ids[0], ids[1], ids[2]]));
    expect(sorted(h)).toEqual([
      [ids[0], [['a', 10, true], ['b', 5, false]]],
      [ids[1], [['d', 3, false]]],
      [ids[2], [['', 2, false]]],
    ]);
  });

  it('answers a keyed candidate with its own key’s entries, and a customer with an unkeyed candidate with all', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const keyed = [
      { customerId: ids[0], journeyKey: 'b' },
      { customerId: ids[0], journeyKey: 'new' },
      { customerId: ids[0], journeyKey: 'b' },
      { customerId: ids[1], journeyKey: 'a' },
      { customerId: ids[2], journeyKey: 'e' },
    ];
    expect(sorted(await store.entryHistory('f1', keyed))).toEqual([[ids[0], [['b', 5, false]]]]);
    expect(sorted(await store.entryHistory('f1', [...keyed, { customerId: ids[1], journeyKey: '' }]))).toEqual([
      [ids[0], [['b', 5, false]]],
      [ids[1], [['d', 3, false]]],
    ]);
  });

  it('gives every re-entry policy the same verdict as the customer’s whole history', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const candidates = ids.flatMap((customerId) => ['', 'a', 'b', 'c', 'd', 'e', 'new'].map((journeyKey) => ({ customerId, journeyKey })));
    const full = await store.entryHistory('f1', whole(ids));
    const policies = [{ policy: 'always' as const }, { policy: 'never' as const }, { policy: 'after' as const, days: 1 }];
    for (const c of candidates) {
      const asked = await store.entryHistory('f1', [c]);
      for (const reentry of policies)
        for (const now of [20, 10 + 86_400_000]) expect([c, reentry, now, mayEnter(reentry, asked.get(c.customerId) ?? [], c.journeyKey, now)]).toEqual([c, reentry, now, mayEnter(reentry, full.get(c.customerId) ?? [], c.journeyKey, now)]);
    }
  });

  if (dialect === 'sqlite') {
    it('keeps no (flow_id, customer_id) index and reads the history by customer (and key), not every enrollment of the flow', async () => {
      const indexes = (await queryRows(db.dataSource, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enrollments'")).map((r) => r.name);
      expect(indexes).not.toContain('ix_enrollments_flow_customer');
      expect(indexes).toContain('ix_enrollments_customer');
      // The statements entryHistory runs, as SQLite plans them (a fresh connection: the earlier
      // tests' statements are prepared and cached on this one).
      const fresh = await openTestDatabase('sqlite');
      const raw = rawSqlite(fresh.dataSource) as unknown as { prepare(sql: string): unknown };
      const prepare = raw.prepare;
      const seen: string[] = [];
      raw.prepare = (sql: string) => (seen.push(sql), prepare.call(raw, sql));
      try {
        await new TypeOrmJourneyStore(fresh.dataSource, {} as ShopConfig).entryHistory('f1', [...whole([ids[0], ids[1]]), { customerId: ids[2], journeyKey: 'x' }]);
      } finally {
        raw.prepare = prepare;
        await fresh.close();
      }
      const sql = seen.find((s) => /journey_key, entered_at, status FROM enrollments/.test(s));
      expect(sql).toBeDefined();
      const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, ['f1', ids[0], ids[1]])) as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX ix_enrollments_customer \(customer_id=\?\)/);
      // Keyed candidates: one seek by (customer_id, journey_key) each, the pairs outer.
      const keyedSql = seen.find((s) => /FROM json_each/.test(s));
      expect(keyedSql).toBeDefined();
      const keyedPlan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${keyedSql}`, [JSON.stringify([[ids[2], 'x']]), 'f1'])) as { detail: string }[];
      expect(keyedPlan.map((p) => p.detail).join(' | ')).toMatch(/^SCAN k .*\| SEARCH e USING INDEX ix_enrollments_customer \(customer_id=\? AND journey_key=\?\)$/);
    });
  }
});
