import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';
import { rowToEnrollment, TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const AT = 1_793_494_800_000;
const N = 40; // a dense batch (≥ 32 customers in a narrow id range): the range reads

/**
 * A batch's facts and due enrollments on SQLite are read as one packed JSON text
 * (persistence/packed-rows.ts) instead of row by row; they must be what a plain SELECT gives,
 * doubles to the last bit and NULLs included. PostgreSQL reads them as before.
 */
describe.each(DIALECTS)('a batch reads its facts and due enrollments (%s)', (dialect) => {
  let db: TestDatabase;
  let customers: number[] = [];
  const prepared: string[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    if (dialect === 'sqlite') {
      const raw = rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown };
      const prepare = raw.prepare;
      raw.prepare = (sql: string) => (prepared.push(sql), prepare.call(raw, sql));
    }
    customers = await addCustomers(db.dataSource, Array.from({ length: N }, (_, i) => ({ externalId: `pk-${i}`, tags: i % 2 ? ['vip', '老客'] : [] })), 0);
    const odd = [0.1 + 0.2, 1 / 3, 123456789.12345679, 5e-324, 1e300, 149];
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({
        sql: 'UPDATE customer_facts SET total_spent = ?, p_alive = ?, expected_purchases = ?, last_order_at = ?, categories = ?, consent_sms = ? WHERE customer_id = ?',
        params: [odd[i % odd.length], i % 3 ? odd[(i + 1) % odd.length] : null, i % 4 ? null : 2.5, i % 5 ? AT - i * 86_400_000 : null, i % 2 ? '|dress|鞋|' : '', i % 3 === 0 ? 1 : 0, c],
      })),
    );
    await executeBatch(db.dataSource, [{ sql: `INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('f', 'active', 1, NULL, 0)`, params: [] }]);
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({
        sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, arm, entry_key, updated_at, group_label)
              VALUES ('f', 1, ?, ?, 'wait', 'active', ?, ?, ?, ?, ?, ?, 0, ?)`,
        params: [c, i % 2 ? `order-${i}` : '', AT - 5, AT - 3, i % 7 ? AT - 1 : AT + 10, i, i % 2 ? 'a' : null, `k-${i}`, i % 3 ? 'g-1' : null],
      })),
    );
  });
  afterAll(async () => db?.close());

  it('gives the facts a plain SELECT gives', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const got = await store.facts(customers, AT);
    const plain = await queryRows(db.dataSource, 'SELECT * FROM customer_facts ORDER BY customer_id');
    const ctx = { at: AT, timezone: defaultShopConfig.timezone, lifecycle: defaultShopConfig.lifecycle };
    expect(got.size).toBe(N);
    for (const r of plain) expect(got.get(Number(r.customer_id))).toEqual(deriveFacts(decodeFacts(r), ctx));
    // The doubles themselves, bit for bit.
    expect(customers.map((c) => got.get(c)!.totalSpent)).toEqual(plain.map((r) => Number(r.total_spent)));
    if (dialect === 'sqlite') expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM customer_facts WHERE customer_id BETWEEN/s.test(s))).toBe(true);
  });

  it('gives the due enrollments a plain SELECT gives, in customer order', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const got = await store.dueEnrollments(AT, 1000, null);
    const plain = (await queryRows(db.dataSource, `SELECT * FROM enrollments WHERE wake_at <= ? ORDER BY customer_id, id`, [AT])).map(rowToEnrollment);
    expect(plain.length).toBeGreaterThan(30);
    expect(got).toEqual(plain);
    // Re-read by id (a sparse batch, a worker's job): the same rows.
    expect(await store.reloadDue(got.map((e) => e.id).reverse(), AT)).toEqual(plain);
    if (dialect === 'sqlite') {
      expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM enrollments e WHERE e\.customer_id BETWEEN/s.test(s))).toBe(true);
      expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM enrollments e WHERE e\.id IN/s.test(s))).toBe(true);
    }
  });
});
