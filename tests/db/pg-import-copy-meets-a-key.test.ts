import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import type { OrderInput } from '../../server/src/core/data/model.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { recordEvents, type NewCustomerEvent } from '../../server/src/persistence/event-log.js';
import { upsertOrders } from '../../server/src/persistence/shop-repository.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';

const NOW = Date.parse('2026-03-01T00:00:00Z');

/**
 * On PostgreSQL an import batch writes the orders and order events it takes for new by COPY
 * (pg-copy-insert.ts). A key stored meanwhile by another writer makes that COPY fail; the batch
 * then writes the same rows with its ON CONFLICT statement, inside the same transaction, and
 * ends as the upsert alone always did.
 */
describe('PostgreSQL import batch: COPY meets a key stored meanwhile', () => {
  let db: TestDatabase;
  let other: DataSource;
  let customer: number;
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    other = await openDatabase(db.target);
    [customer] = await addCustomers(db.dataSource, [{ externalId: 'race-1' }]);
  });
  afterAll(async () => {
    await other?.destroy();
    await db?.close();
  });

  const order = (i: number, status: OrderInput['status'] = 'paid'): OrderInput => ({
    externalId: `race-o${i}`, customerExternalId: 'race-1', status, amount: 10 + i, createdAt: NOW - 86_400_000 + i, paidAt: NOW - 86_400_000 + i + 60_000, items: [{ sku: `s${i}`, category: 'dress', season: 'summer', quantity: 1, price: 10 + i }],
  });

  it('writes a batch of 300 new orders whose one was stored by another connection after the batch read the stored orders: the batch’s values win, every row once', async () => {
    const inputs = Array.from({ length: 300 }, (_, i) => order(i));
    let raced = false;
    const result = await db.dataSource.transaction(async (m: EntityManager) => {
      const query = m.query.bind(m);
      // Right after the batch has read which of its orders are stored, another writer stores one of them.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const spy = jest.spyOn(m, 'query').mockImplementation(async (sql: string, params?: any) => {
        const r = await query(sql, params);
        if (!raced && /FROM orders WHERE external_id = ANY/.test(sql)) {
          raced = true;
          await other.query(`INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at) VALUES ('race-o7', $1, 'created', 1, 0, NULL, NULL, '[]', 0)`, [customer]);
        }
        return r;
      });
      try {
        return await upsertOrders(m, inputs, { now: NOW, timezone: TZ });
      } finally {
        spy.mockRestore();
      }
    });
    expect(raced).toBe(true);
    expect(result).toMatchObject({ created: 300, failed: 0 });
    const rows = (await db.dataSource.query(`SELECT external_id, status, amount FROM orders WHERE external_id LIKE 'race-o%' ORDER BY external_id`)) as { external_id: string; status: string; amount: number }[];
    expect(rows).toHaveLength(300);
    expect(rows.find((r) => r.external_id === 'race-o7')).toEqual({ external_id: 'race-o7', status: 'paid', amount: 17 });
    const events = (await db.dataSource.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT idempotency_key) AS keys FROM customer_events WHERE idempotency_key LIKE 'order:race-o%'`)) as { n: string; keys: string }[];
    expect(events[0]).toEqual({ n: '300', keys: '300' });
  });

  it('records 400 order events one of whose keys is stored already: 399 stored and queued once each, the other a duplicate with the stored id', async () => {
    const [before] = (await recordEvents(db.dataSource.manager, [{ customerId: customer, type: 'order_paid', properties: { orderId: 'k-200' }, occurredAt: NOW, idempotencyKey: 'order:k-200:order_paid' }], NOW)).ids;
    const events: NewCustomerEvent[] = Array.from({ length: 400 }, (_, i) => ({ customerId: customer, type: 'order_paid', properties: { orderId: `k-${i}` }, occurredAt: NOW + i, idempotencyKey: `order:k-${i}:order_paid` }));
    const r = await db.dataSource.transaction((m) => recordEvents(m, events, NOW + 1));
    expect(r.inserted).toHaveLength(399);
    expect(r.duplicates).toBe(1);
    expect(r.ids[200]).toBe(before);
    expect(new Set(r.ids).size).toBe(400);
    const queued = (await db.dataSource.query(`SELECT COUNT(*) AS n FROM event_inbox i JOIN customer_events e ON e.id = i.event_id WHERE e.idempotency_key LIKE 'order:k-%'`)) as { n: string }[];
    expect(Number(queued[0].n)).toBe(400); // 399 new + the one stored before (queued when it was)
    const stored = (await db.dataSource.query(`SELECT id, idempotency_key FROM customer_events WHERE idempotency_key LIKE 'order:k-%'`)) as { id: number; idempotency_key: string }[];
    expect(stored).toHaveLength(400);
    const byKey = new Map(stored.map((s) => [s.idempotency_key, Number(s.id)]));
    events.forEach((e, i) => expect(r.ids[i]).toBe(byKey.get(e.idempotencyKey)));
  });
});
