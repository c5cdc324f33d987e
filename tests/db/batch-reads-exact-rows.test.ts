import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { rawRowToCustomer } from '../../server/src/persistence/customer-mapper.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { PolicyStore } from '../../server/src/persistence/policy-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const AT = 1_793_494_800_000;
const N = 120;

/**
 * Rows SQLite hands to JS per statement text from now on (a packed read's rows counted inside its
 * one JSON text): what a read fetched, not what the store kept of it.
 */
function countRowsRead(ds: DataSource): Map<string, number> {
  const counts = new Map<string, number>();
  const raw = rawSqlite(ds) as unknown as { prepare(sql: string): { all(...p: unknown[]): unknown[] } };
  const prepare = raw.prepare;
  raw.prepare = (sql: string) => {
    const st = prepare.call(raw, sql);
    const all = st.all;
    st.all = (...p: unknown[]) => {
      const rows = all.apply(st, p);
      const first = rows[0] as unknown;
      const packed = Array.isArray(first) ? first[0] : (first as { packed?: unknown } | undefined)?.packed;
      const n = /json_group_array/.test(sql) ? (typeof packed === 'string' ? (JSON.parse(packed) as unknown[]).length : 0) : rows.length;
      counts.set(sql, (counts.get(sql) ?? 0) + n);
      return rows;
    };
    return st;
  };
  return counts;
}

const readFrom = (counts: Map<string, number>, pattern: RegExp) => [...counts].filter(([sql]) => pattern.test(sql)).reduce((s, [, n]) => s + n, 0);

/**
 * A stepping batch's reads of its customers, their facts and their last orders fetch exactly the
 * batch's rows on SQLite. Before, a batch whose ids spanned up to three times its size read the
 * whole id range and dropped the rest in JS (after Double 11's entry tick ~1.4 rows fetched a row
 * kept, every fetched row a JS object or array): bench/README.md, w-d11m.
 */
describe("a SQLite stepping batch reads exactly its customers' rows", () => {
  let db: TestDatabase;
  let customers: number[] = [];
  let counts: Map<string, number>;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    counts = countRowsRead(db.dataSource);
    customers = await addCustomers(db.dataSource, Array.from({ length: N }, (_, i) => ({ externalId: `ex-${i}`, tags: i % 2 ? ['vip'] : [] })), 0);
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({ sql: 'UPDATE customer_facts SET order_count = ?, last_order_at = ? WHERE customer_id = ?', params: [i % 4, i % 3 ? AT - i * 86_400_000 : null, c] })),
    );
  });
  afterAll(async () => db?.close());

  // Every second customer of the first 100: 50 ids over a range of 99 (the range read's case).
  const gapped = () => customers.slice(0, 100).filter((_, i) => i % 2 === 0);

  it('reads only the batch customers of a batch with gaps, the same customers a plain SELECT gives', async () => {
    const batch = gapped();
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    counts.clear();
    const got = await store.customers([...batch].reverse(), ['id', 'externalId', 'phone']);
    expect(readFrom(counts, /FROM customers WHERE/)).toBe(batch.length);
    expect([...got.keys()]).toEqual(batch);
    const plain = await queryRows(db.dataSource, `SELECT * FROM customers WHERE id IN (${batch.join(',')}) ORDER BY id`);
    for (const r of plain) {
      const c = got.get(Number(r.id))!;
      const full = rawRowToCustomer(r);
      expect([c.id, c.externalId, c.phone]).toEqual([full.id, full.externalId, full.phone]);
    }
  });

  it("reads only the batch customers' facts, as a plain SELECT derives them", async () => {
    const batch = gapped();
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    counts.clear();
    const some = await store.facts(batch, AT, ['orderCount', 'lastOrderAt']);
    const all = await store.facts(batch, AT);
    expect(readFrom(counts, /FROM customer_facts WHERE/)).toBe(2 * batch.length);
    expect([...some.keys()]).toEqual(batch);
    const ctx = { at: AT, timezone: defaultShopConfig.timezone, lifecycle: defaultShopConfig.lifecycle };
    for (const r of await queryRows(db.dataSource, `SELECT * FROM customer_facts WHERE customer_id IN (${batch.join(',')})`)) {
      const f = deriveFacts(decodeFacts(r), ctx);
      expect(all.get(Number(r.customer_id))).toEqual(f);
      expect(some.get(Number(r.customer_id))).toEqual({ orderCount: f.orderCount, lastOrderAt: f.lastOrderAt });
    }
  });

  it("reads only the batch customers' last orders for the policy's give-up", async () => {
    const batch = gapped();
    const policy = PolicySchema.parse({ caps: [], giveUp: { after: 3, within: '30d', pauseFor: '60d' } });
    const store = new PolicyStore(db.dataSource, { timezone: defaultShopConfig.timezone, policy: () => policy });
    counts.clear();
    const standing = await BatchUnit.run(db.dataSource, { customerIds: batch, enrollmentIds: [] }, (unit) => store.standing(unit, batch, policy, AT));
    expect(readFrom(counts, /last_order_at FROM customer_facts/)).toBe(batch.length);
    // A last order is an answer (give-up): the customers whose facts have one.
    for (const [i, c] of customers.slice(0, 100).entries()) if (i % 2 === 0) expect(standing.get(c)!.lastAnswerAt).toBe(i % 3 ? AT - i * 86_400_000 : null);
  });

  it('reads a batch without gaps by its id range, and a batch of customers listed twice once each', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const dense = customers.slice(10, 60);
    counts.clear();
    const got = await store.customers([...dense, ...dense.slice(0, 5)], ['id']);
    expect([...got.keys()]).toEqual(dense);
    expect(readFrom(counts, /FROM customers WHERE id BETWEEN/)).toBe(dense.length);
    expect(readFrom(counts, /FROM customers WHERE/)).toBe(dense.length);
  });
});
