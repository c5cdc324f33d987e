import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import type { OrderInput } from '../../server/src/core/data/model.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { customerExportRows } from '../../server/src/persistence/customer-export.js';
import { loadStoredFacts, refreshFacts } from '../../server/src/persistence/fact-store.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { settleOwedFacts } from '../../server/src/persistence/owed-facts.js';
import { SqlSegmentStore } from '../../server/src/persistence/segment-store.js';
import { upsertOrders } from '../../server/src/persistence/shop-repository.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * SQLite's bulk import owes its orders' facts chunk by chunk and settles them once
 * (persistence/owed-facts.ts). What a crash between two chunks leaves — committed orders whose
 * facts are owed — must never reach a reader: the segment scan, the engine's fact read, the
 * customer view and the export settle first; a recompute (a changed order) must not count an owed
 * order twice; a failing settle changes nothing and is named by the import.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const T = Date.parse('2025-06-01T00:00:00Z');

describe('facts owed by an import (SQLite)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
    const lines = ['externalId,name', 'k1,A', 'k2,B', 'k3,C'];
    await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [lines.join('\n') + '\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
  });
  afterEach(async () => db?.close());

  const ids = async () => (await db.dataSource.query('SELECT id FROM customers ORDER BY id')).map((r: { id: number }) => Number(r.id)) as number[];
  const order = (externalId: string, customer: string, amount: number, status: OrderInput['status'] = 'paid', day = 0): OrderInput => ({
    externalId,
    customerExternalId: customer,
    status,
    amount,
    createdAt: T + day * 86_400_000,
    paidAt: status === 'created' ? null : T + day * 86_400_000 + 1,
    items: [{ sku: `s-${externalId}`, category: day % 2 ? 'dress' : 'tops', quantity: 1 }],
  });
  /** One committed chunk, as the importer writes it, and then nothing: a process killed right after its commit. */
  const chunkThenCrash = (orders: OrderInput[]) => writeTransaction(db.dataSource, (m) => upsertOrders(m, orders, { now: NOW, timezone: TZ }, { events: false, oweFacts: true }));
  const owed = async () => Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM customer_facts_owed'))[0].n);
  const rawFacts = async () => db.dataSource.query('SELECT customer_id, order_count, total_spent, first_order_at, last_order_at, unpaid_order_count, last_unpaid_at, categories, category_seasons, double11_years, double11_order_count FROM customer_facts ORDER BY customer_id');
  const recomputed = async () => {
    const all = await ids();
    await writeTransaction(db.dataSource, (m) => refreshFacts(m, all, TZ, NOW));
    return rawFacts();
  };
  const chunk1 = [order('a1', 'k1', 10, 'paid', 1), order('a2', 'k1', 5.5, 'paid', 2), order('a3', 'k2', 7, 'created', 3), order('a4', 'k3', 1.25, 'paid', 4)];

  it('a chunk committed before a crash owes its facts, and a segment scan counts them', async () => {
    await chunkThenCrash(chunk1);
    expect(await owed()).toBe(4);
    // The fact rows themselves do not count the chunk yet (this is what a reader must never see).
    expect((await rawFacts()).map((f: { order_count: number }) => Number(f.order_count))).toEqual([0, 0, 0]);
    const segments = new SqlSegmentStore(db.dataSource);
    const buyers = await segments.runSql({ where: 'f.order_count >= ?', params: ['1'] }, 10);
    expect(buyers).toEqual({ count: 2, ids: [(await ids())[0], (await ids())[2]] });
    expect(await owed()).toBe(0);
    expect(await rawFacts()).toEqual(await recomputed());
  });

  it("the engine's fact read, the customer view and the export settle owed facts before reading", async () => {
    const [k1, k2] = await ids();
    await chunkThenCrash(chunk1);
    const facts = await new TypeOrmJourneyStore(db.dataSource, defaultShopConfig).facts([k1, k2], NOW);
    expect(facts.get(k1)).toMatchObject({ orderCount: 2, totalSpent: 15.5 });
    expect(facts.get(k2)).toMatchObject({ orderCount: 0, unpaidOrderCount: 1 });

    await chunkThenCrash([order('b1', 'k1', 1, 'paid', 5)]);
    expect(await loadStoredFacts(db.dataSource, k1)).toMatchObject({ orderCount: 3, totalSpent: 16.5 });

    await chunkThenCrash([order('b2', 'k2', 2, 'paid', 6)]);
    const rows: Record<string, string>[] = [];
    for await (const r of customerExportRows(db.dataSource, { at: NOW, timezone: TZ, lifecycle: defaultShopConfig.lifecycle })) rows.push(r);
    expect(rows.find((r) => r.externalId === 'k2')).toMatchObject({ orderCount: '1', totalSpent: '2' });
    expect(await owed()).toBe(0);
    expect(await rawFacts()).toEqual(await recomputed());
  });

  it('settled in slices of customer ids, one transaction each, the facts are those of one settle', async () => {
    await chunkThenCrash(chunk1);
    await chunkThenCrash([order('d1', 'k3', 2, 'paid', 8), order('d2', 'k1', 1, 'created', 9)]);
    await settleOwedFacts(db.dataSource, 1);
    expect(await owed()).toBe(0);
    expect(Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM customer_facts_owed_context'))[0].n)).toBe(0);
    const [k1, , k3] = await ids();
    expect(await loadStoredFacts(db.dataSource, k1)).toMatchObject({ orderCount: 2, totalSpent: 15.5, unpaidOrderCount: 1 });
    expect(await loadStoredFacts(db.dataSource, k3)).toMatchObject({ orderCount: 2, totalSpent: 3.25 });
    expect(await rawFacts()).toEqual(await recomputed());
  });

  it('a changed order after an owing chunk counts every order once (the recompute settles first)', async () => {
    await chunkThenCrash(chunk1);
    // a3 paid now: the row-by-row path recomputes k2 from its orders; k1's owed orders are settled, not lost.
    await chunkThenCrash([order('a3', 'k2', 7, 'paid', 3), order('c1', 'k1', 3, 'paid', 7)]);
    const [k1, k2, k3] = await ids();
    expect(await loadStoredFacts(db.dataSource, k1)).toMatchObject({ orderCount: 3, totalSpent: 18.5 });
    expect(await loadStoredFacts(db.dataSource, k2)).toMatchObject({ orderCount: 1, totalSpent: 7, unpaidOrderCount: 0 });
    expect(await loadStoredFacts(db.dataSource, k3)).toMatchObject({ orderCount: 1, totalSpent: 1.25 });
    expect(await rawFacts()).toEqual(await recomputed());
  });

  it('orders written outside an import (the order API, simulations) leave nothing owed: their facts are settled in their own transaction', async () => {
    const [k1] = await ids();
    await writeTransaction(db.dataSource, (m) => upsertOrders(m, [order('e1', 'k1', 9, 'paid', 1)], { now: NOW, timezone: TZ }));
    expect(await owed()).toBe(0);
    expect((await rawFacts()).find((f: { customer_id: number }) => Number(f.customer_id) === k1)).toMatchObject({ order_count: 1, total_spent: 9 });
  });

  it('an import settles at its end, and re-importing the same file changes nothing', async () => {
    const csv = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items', ...Array.from({ length: 30 }, (_, i) => `o${i},k${(i % 3) + 1},paid,${i + 1}.5,${T + i},${T + i},,s${i}:dress`)].join('\n') + '\n';
    const run = () => importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [csv], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 7 });
    expect(await run()).toMatchObject({ created: 30, failed: 0 });
    expect(await owed()).toBe(0);
    const after = await rawFacts();
    expect(after.map((f: { order_count: number }) => Number(f.order_count))).toEqual([10, 10, 10]);
    expect(await run()).toMatchObject({ created: 0, unchanged: 30 });
    expect(await owed()).toBe(0);
    expect(await rawFacts()).toEqual(after);
    expect(after).toEqual(await recomputed());
  });

  it('a settle that fails keeps the facts owed (nothing half-added), the import says so with its file, and the next reader settles', async () => {
    await db.dataSource.query("CREATE TRIGGER t_fail BEFORE UPDATE ON customer_facts BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const csv = `externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items\nz1,k1,paid,4,${T},${T},,s:dress\nz2,k2,paid,6,${T},${T},,s:tops\n`;
    await expect(importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [csv], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 1 })).rejects.toThrow(
      /^orders\.csv: the orders were written, but their customers' facts are not updated yet .*disk full/,
    );
    expect(await owed()).toBe(2);
    expect((await rawFacts()).map((f: { order_count: number }) => Number(f.order_count))).toEqual([0, 0, 0]);
    await db.dataSource.query('DROP TRIGGER t_fail');
    expect(await loadStoredFacts(db.dataSource, (await ids())[1])).toMatchObject({ orderCount: 1, totalSpent: 6 });
    expect(await owed()).toBe(0);
    expect(await rawFacts()).toEqual(await recomputed());
  });
});
