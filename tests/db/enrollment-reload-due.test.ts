import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { recordPreparedStatements } from '../support/prepared-statements.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * Due enrollments re-read by id (a sparse batch of a tick, a worker's job) come back by their
 * primary key. On SQLite the flow test `e.flow_id IN (SELECT … FROM flows …)` let the planner read
 * every enrollment of the active flows through uq_enrollments_entry's flow_id prefix instead and
 * test each against the id list: a cost growing with the campaign (bench/double11).
 */
describe.each(DIALECTS)('due enrollments re-read by id (%s)', (dialect) => {
  let db: TestDatabase;
  const enrollmentIds = new Map<string, number>();
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ids = await addCustomers(db.dataSource, [{ externalId: 'rd-1' }, { externalId: 'rd-2' }, { externalId: 'rd-3' }], 0);
    const q = (sql: string, params: unknown[]) => db.dataSource.query(dialect === 'postgres' ? sql.replace(/\?/g, ((i) => () => `$${++i}`)(0)) : sql, params);
    await q(`INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('running', 'active', 1, NULL, 0), ('paused', 'paused', 2, NULL, 0)`, []);
    const enroll = async (key: string, flow: string, customer: number, status: string, wakeAt: number) => {
      await q(
        `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES (?, 1, ?, ?, 'wait', ?, 0, 0, ?, 1, ?, 0)`,
        [flow, customer, key, status, wakeAt, `e-${key}`],
      );
      const [r] = (await q('SELECT id FROM enrollments WHERE entry_key = ?', [`e-${key}`])) as { id: number }[];
      enrollmentIds.set(key, Number(r.id));
    };
    await enroll('due', 'running', ids[0], 'active', 100);
    await enroll('later', 'running', ids[0], 'active', 500);
    await enroll('done', 'running', ids[1], 'exited', 100);
    await enroll('paused', 'paused', ids[1], 'active', 100);
    await enroll('due-2', 'running', ids[2], 'active', 200);
  });
  afterAll(async () => db?.close());

  it('returns the named enrollments that are active, due and in a running flow, in customer order', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const got = await store.reloadDue([...enrollmentIds.values()], 300);
    expect(got.map((e) => e.journeyKey)).toEqual(['due', 'due-2']);
  });

  if (dialect === 'sqlite') {
    it('reads them by primary key, never through uq_enrollments_entry (every enrollment of the flow)', async () => {
      const raw = rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown };
      const prepare = raw.prepare;
      const seen: string[] = [];
      raw.prepare = (sql: string) => (seen.push(sql), prepare.call(raw, sql));
      // A batch-sized id list (the planner's choice depends on its length), unknown ids included.
      const ids = [...enrollmentIds.values(), ...Array.from({ length: 495 }, (_, i) => 1_000_000 + i)];
      try {
        await new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig).reloadDue(ids, 301);
      } finally {
        raw.prepare = prepare;
      }
      const sql = seen.find((s) => /FROM enrollments e WHERE e\.id IN/.test(s));
      expect(sql).toBeDefined();
      const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, [...ids, 301])) as { detail: string }[];
      const text = plan.map((p) => p.detail).join(' | ');
      expect(text).toMatch(/SEARCH e USING INTEGER PRIMARY KEY \(rowid=\?\)/);
      expect(text).not.toMatch(/uq_enrollments_entry/);
    });
  }
});

/**
 * A dense batch of a tick (consecutive customers) reads its enrollments by one customer range of
 * ix_enrollments_customer, whose key is (customer_id, journey_key): the rows come back sorted by
 * (customer id, id) without SQLite sorting them in a temporary B-tree for an ORDER BY.
 */
describe.each(DIALECTS)('a dense batch of due enrollments (%s)', (dialect) => {
  let db: TestDatabase;
  const N = 40;
  let prepared: string[] = []; // SQLite: every statement text prepared (statements are cached, so from the start)
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    if (dialect === 'sqlite') prepared = recordPreparedStatements(db.dataSource);
    const ids = await addCustomers(db.dataSource, Array.from({ length: N }, (_, i) => ({ externalId: `dn-${i}` })), 0);
    const q = (sql: string, params: unknown[]) => db.dataSource.query(dialect === 'postgres' ? sql.replace(/\?/g, ((i) => () => `$${++i}`)(0)) : sql, params);
    await q(`INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('running', 'active', 1, NULL, 0)`, []);
    // Two journeys per customer, the later-inserted one with the key that sorts first: index order
    // (customer_id, journey_key) differs from (customer_id, id).
    for (const key of ['z', 'a'])
      for (const id of [...ids].reverse())
        await q(
          `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at) VALUES ('running', 1, ?, ?, 'wait', 'active', 0, 0, 100, 1, ?, 0)`,
          [id, key, `d-${id}-${key}`],
        );
  });
  afterAll(async () => db?.close());

  it('comes back in (customer id, id) order, from the cursor on', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const first = await store.dueEnrollments(300, 1000, null);
    expect(first).toHaveLength(2 * N);
    const order = first.map((e) => [e.customerId, e.id]);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect(first.map((e) => e.journeyKey).slice(0, 2)).toEqual(['z', 'a']); // by id within a customer
  });

  if (dialect === 'sqlite') {
    it('is read without a temporary B-tree sort', async () => {
      await new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig).dueEnrollments(301, 1000, null);
      const sql = prepared.find((s) => /WHERE e\.customer_id BETWEEN/.test(s));
      expect(sql).toBeDefined();
      const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, [1, N, 301])) as { detail: string }[];
      const text = plan.map((p) => p.detail).join(' | ');
      expect(text).toMatch(/ix_enrollments_customer/);
      expect(text).not.toMatch(/TEMP B-TREE/);
    });
  }
});
