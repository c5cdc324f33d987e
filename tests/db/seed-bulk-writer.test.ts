import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { computeStoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { bulkWriteShop, countCustomers, resetShop } from '../../server/src/persistence/bulk-writer.js';
import { toCustomer, toOrder } from '../../server/src/persistence/customer-mapper.js';
import { CustomerEntity } from '../../server/src/persistence/entities/customer.entity.js';
import { OrderEntity } from '../../server/src/persistence/entities/order.entity.js';
import { loadStoredFacts } from '../../server/src/persistence/fact-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const TZ = 'Asia/Shanghai';
const NOW = Date.parse('2026-11-23T09:00:00Z');
const N = 1200;

describe.each(DIALECTS)('bulk writer on %s', (dialect) => {
  let db: TestDatabase;
  let written: { customers: number; orders: number; facts: number };
  const progress: number[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    written = await bulkWriteShop(db.dataSource, generateDemoShop({ customers: N, seed: 7, now: NOW, timezone: TZ }), {
      timezone: TZ,
      now: NOW,
      batchSize: 500,
      onProgress: (n) => progress.push(n),
    });
  });
  afterAll(async () => db?.close());

  it('writes every generated customer, order and one fact row per customer, reporting progress per batch', async () => {
    const expectedOrders = [...generateDemoShop({ customers: N, seed: 7, now: NOW, timezone: TZ })].reduce((n, c) => n + c.orders.length, 0);
    expect(written).toEqual({ customers: N, orders: expectedOrders, facts: N });
    const [o] = await db.dataSource.query('SELECT COUNT(*) AS n FROM orders');
    const [f] = await db.dataSource.query('SELECT COUNT(*) AS n FROM customer_facts');
    expect([await countCustomers(db.dataSource), Number(o.n), Number(f.n)]).toEqual([N, expectedOrders, N]);
    expect(progress).toEqual([500, 1000, 1200]);
  });

  it('gives customer ids that ascend with external ids', async () => {
    const rows: { id: number; external_id: string }[] = await db.dataSource.query('SELECT id, external_id FROM customers ORDER BY id');
    expect(rows[0]).toMatchObject({ external_id: 'c000001' });
    expect(Number(rows[0].id)).toBe(1);
    const byExternal = [...rows].sort((a, b) => (a.external_id < b.external_id ? -1 : 1));
    expect(byExternal.map((r) => Number(r.id))).toEqual(rows.map((r) => Number(r.id)));
  });

  it('stores fact rows equal to computeStoredFacts recomputed from the stored customer and orders', async () => {
    const m = db.dataSource.manager;
    for (const id of [1, 2, 3, 250, 777, N]) {
      const customer = toCustomer((await m.findOneByOrFail(CustomerEntity, { id }))!);
      const orders = (await m.find(OrderEntity, { where: { customerId: id } })).map(toOrder);
      // BG/NBD predictions are not derived from the orders: they stay empty until a model is fitted.
      const { pAlive, expectedPurchases, ...fromOrders } = (await loadStoredFacts(db.dataSource, id))!;
      expect({ pAlive, expectedPurchases }).toEqual({ pAlive: null, expectedPurchases: null });
      expect(fromOrders).toEqual(computeStoredFacts(customer, orders, TZ));
    }
    const [withOrders] = await db.dataSource.query('SELECT COUNT(*) AS n FROM customer_facts WHERE order_count > 0');
    expect(Number(withOrders.n)).toBeGreaterThan(N * 0.8);
  });

  it('lets new customers and orders be inserted after seeding (id sequences moved past the seeded rows)', async () => {
    const c = await db.dataSource.manager.save(CustomerEntity, { externalId: 'new-1', name: null, phone: null, email: null, wechatId: null, province: null, city: null, device: null, tags: [], consent: {}, attributes: {}, createdAt: NOW, updatedAt: NOW, deletedAt: null });
    expect(c.id).toBe(N + 1);
  });

  it('empties the shop tables on reset, including tables that point at customers', async () => {
    const emptied = await resetShop(db.dataSource);
    expect(emptied).toEqual(expect.arrayContaining(['customers', 'orders', 'customer_facts', 'customer_events']));
    expect(await countCustomers(db.dataSource)).toBe(0);
    const [o] = await db.dataSource.query('SELECT COUNT(*) AS n FROM orders');
    expect(Number(o.n)).toBe(0);
  });
});
