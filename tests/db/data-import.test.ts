import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import type { StoredCustomerEvent } from '../../server/src/core/data/event-listener.js';
import { loadStoredFacts, refreshFacts } from '../../server/src/persistence/fact-store.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { CustomerEntity, CustomerEventEntity, CustomerFactsEntity } from '../../server/src/persistence/entities/index.js';
import { findCustomer, listDeleted, restore, softDelete } from '../../server/src/persistence/shop-repository.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/data');
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';

describe.each(DIALECTS)('data import on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  const run = (kind: 'customers' | 'orders' | 'events', name: string, listenerSeen: StoredCustomerEvent[] = []) =>
    importRows(db.dataSource, {
      kind,
      format: name.endsWith('.csv') ? 'csv' : 'ndjson',
      source: createReadStream(join(FIXTURES, name)),
      file: name,
      timezone: TZ,
      clock: fixedClock(NOW),
      batchSize: 2, // several batches even for the small fixtures
      listeners: [{ onEvents: async (e) => void listenerSeen.push(...e) }],
    });

  it('imports good CSV rows and reports every bad one by line and field, writing nothing of it', async () => {
    const r = await run('customers', 'customers.csv');
    expect(r).toMatchObject({ rows: 5, created: 3, updated: 0, unchanged: 0, failed: 2 });
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { line: 4, field: 'email', message: 'not an email address: "not-an-email"' },
        { line: 5, field: 'consent_sms', message: expect.stringContaining('"maybe"') },
        { line: 5, field: 'device', message: expect.any(String) },
      ]),
    );
    const m = db.dataSource.manager;
    expect(await m.countBy(CustomerEntity, { externalId: 'c003' })).toBe(0);
    expect(await m.countBy(CustomerEntity, { externalId: 'c004' })).toBe(0);
    const c1 = await findCustomer(m, 'c001');
    expect(c1).toMatchObject({ name: '王芳', device: 'mobile', tags: ['vip', 'dress'], consent: { sms: true, email: true, wechat: true, push: false }, attributes: { level: 'gold' } });
    expect((await findCustomer(m, 'c002'))?.device).toBe('pc');
    // Facts rows exist for the new customers, so segments see them at once.
    expect(await m.count(CustomerFactsEntity)).toBe(3);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await db.dataSource.manager.findOneByOrFail(CustomerEntity, { externalId: 'c001' });
    const r = await run('customers', 'customers.csv');
    expect(r).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 2 });
    const after = await db.dataSource.manager.findOneByOrFail(CustomerEntity, { externalId: 'c001' });
    expect(after.updatedAt).toBe(before.updatedAt);
  });

  it('imports NDJSON customers with the same validation, field names from the zod shape', async () => {
    const r = await run('customers', 'customers.ndjson');
    expect(r).toMatchObject({ rows: 3, created: 2, failed: 1 });
    expect(r.errors).toEqual([{ line: 2, field: 'device', message: expect.any(String) }]);
    expect(await findCustomer(db.dataSource.manager, 'n001')).toMatchObject({ tags: ['a', 'b'], consent: { sms: true }, attributes: { level: 3 } });
  });

  it('order import updates facts and records each order event once, re-import records none', async () => {
    const seen: StoredCustomerEvent[] = [];
    const r = await run('orders', 'orders.csv', seen);
    expect(r).toMatchObject({ rows: 6, created: 4, failed: 2, eventsRecorded: 4 });
    expect(r.errors).toEqual(
      expect.arrayContaining([
        { line: 5, field: 'customerExternalId', message: expect.stringContaining('"nobody"') },
        { line: 6, field: 'amount', message: expect.any(String) },
      ]),
    );
    const m = db.dataSource.manager;
    const c1 = (await findCustomer(m, 'c001'))!;
    const f1 = (await loadStoredFacts(db.dataSource, c1.id))!;
    expect(f1).toMatchObject({ orderCount: 1, totalSpent: 199.5, unpaidOrderCount: 1, categories: ['dress'], double11Years: ['2025'], double11OrderCount: 1 });
    const c2 = (await findCustomer(m, 'c002'))!;
    expect(await loadStoredFacts(db.dataSource, c2.id)).toMatchObject({ orderCount: 1, totalSpent: 300, categories: ['coat', 'scarf'], double11OrderCount: 0 });

    const events = await m.find(CustomerEventEntity, { order: { idempotencyKey: 'ASC' } });
    expect(events.map((e) => e.idempotencyKey)).toEqual(['order:o001:order_paid', 'order:o002:order_created', 'order:o003:order_paid', 'order:o006:order_cancelled']);
    const paid = events.find((e) => e.idempotencyKey === 'order:o001:order_paid')!;
    expect(paid).toMatchObject({ type: 'order_paid', customerId: c1.id, occurredAt: Date.parse('2025-11-11T01:05:00Z'), properties: { orderId: 'o001', amount: 199.5, status: 'paid', promotion: 'double11' } });
    expect(seen.map((e) => e.type).sort()).toEqual(['order_cancelled', 'order_created', 'order_paid', 'order_paid']);

    const again: StoredCustomerEvent[] = [];
    const r2 = await run('orders', 'orders.csv', again);
    expect(r2).toMatchObject({ created: 0, updated: 0, unchanged: 4, failed: 2, eventsRecorded: 0 });
    expect(again).toEqual([]);
    expect(await m.count(CustomerEventEntity)).toBe(4);
  });

  it('imports events once per idempotency key and rejects unknown customers and bad lines', async () => {
    const seen: StoredCustomerEvent[] = [];
    const r = await run('events', 'events.ndjson', seen);
    expect(r).toMatchObject({ rows: 5, created: 2, unchanged: 1, failed: 2 });
    expect(r.errors).toEqual([
      { line: 4, field: 'customerExternalId', message: 'unknown customer "nobody"' },
      { line: 6, field: '(row)', message: expect.stringContaining('not valid JSON') },
    ]);
    expect(seen.map((e) => e.idempotencyKey).sort()).toEqual(['cc-2', 'pv-1']);
  });

  it('recycle bin: delete keeps customer and orders but drops facts; restore brings facts back', async () => {
    const m = db.dataSource.manager;
    const ctx = { now: NOW, timezone: TZ };
    const c1 = (await findCustomer(m, 'c001'))!;
    expect(await db.dataSource.transaction((t) => softDelete(t, 'c001', ctx))).toMatchObject({ externalId: 'c001', deletedAt: NOW });
    expect(await loadStoredFacts(db.dataSource, c1.id)).toBeNull();
    expect((await listDeleted(m, { limit: 10, offset: 0 })).items.map((c) => c.externalId)).toEqual(['c001']);
    expect(await db.dataSource.transaction((t) => softDelete(t, 'c001', ctx))).toBeNull();
    expect(await db.dataSource.transaction((t) => restore(t, 'c001', ctx))).toMatchObject({ deletedAt: null });
    expect(await loadStoredFacts(db.dataSource, c1.id)).toMatchObject({ orderCount: 1, totalSpent: 199.5 });
    expect((await listDeleted(m, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('orders added batch by batch leave the same facts as a full recompute (new orders merged, changed ones recomputed)', async () => {
    const m = db.dataSource.manager;
    const ctx = { now: NOW, timezone: TZ };
    await db.dataSource.transaction((t) => softDelete(t, 'c005', ctx));
    const lines = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items'];
    const cats = ['dress', 'tops', 'coat|wool', 'bags'];
    for (let i = 0; i < 40; i++) {
      const at = Date.parse('2024-11-10T20:00:00Z') + i * 11 * 86_400_000 + (i % 3) * 3_600_000;
      const paid = i % 4 !== 1;
      lines.push(`m${i},${['c001', 'c002', 'c005'][i % 3]},${paid ? 'paid' : 'created'},${(10.1 + i * 3.33).toFixed(2)},${at},${paid ? at + 60_000 : ''},${i % 5 === 0 ? 'double11' : ''},sku-${i}:${cats[i % 4]}:summer:1`);
    }
    // The same orders again, some paid now (a changed order: its customer is recomputed in full).
    for (let i = 1; i < 40; i += 8) {
      const at = Date.parse('2024-11-10T20:00:00Z') + i * 11 * 86_400_000 + (i % 3) * 3_600_000;
      lines.push(`m${i},${['c001', 'c002', 'c005'][i % 3]},paid,${(10.1 + i * 3.33).toFixed(2)},${at},${at + 120_000},,sku-${i}:${cats[i % 4]}:summer:1`);
    }
    const r = await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [lines.join('\n') + '\n'], file: 'many.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 7 });
    expect(r).toMatchObject({ failed: 0, created: 40, updated: 5 });
    const ids = await Promise.all(['c001', 'c002'].map(async (x) => (await findCustomer(m, x))!.id));
    const merged = await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id)));
    await db.dataSource.transaction((t) => refreshFacts(t, ids, TZ, NOW));
    const recomputed = await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id)));
    expect(merged).toEqual(recomputed);
    expect(merged[0]!.orderCount).toBeGreaterThan(10);
    expect(merged[0]!.double11OrderCount).toBeGreaterThan(0);
    // A customer in the recycle bin gets no fact row from an import.
    expect(await loadStoredFacts(db.dataSource, (await m.findOneByOrFail(CustomerEntity, { externalId: 'c005' })).id)).toBeNull();
  });
  it('refuses an order paid before it was created by line and field (CSV and NDJSON), keeps one within the 5-minute clock skew as paid at creation', async () => {
    const seen: StoredCustomerEvent[] = [];
    // Imported the day after these orders: an order more than 1 day ahead of the import's clock is refused as such.
    const NOW = Date.parse('2026-11-03T00:00:00Z');
    const csv = ['externalId,customerExternalId,status,amount,createdAt,paidAt', 'x2,c002,paid,12,2026-11-02T10:00:00Z,2026-11-01T09:00:00Z', 'x3,c002,paid,12,2026-11-02T10:00:00Z,2026-11-02T09:57:00Z'].join('\n') + '\n';
    const r = await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [csv], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), listeners: [{ onEvents: async (e) => void seen.push(...e) }] });
    expect(r).toMatchObject({ created: 1, failed: 1 });
    expect(r.errors).toEqual([{ line: 2, field: 'paidAt', message: expect.stringMatching(/^2026-11-01 17:00 \+08:00 is before createdAt 2026-11-02 18:00 \+08:00/) }]);
    // The skewed payment is recorded at the order's creation, never before order_created.
    expect(seen.map((e) => [e.idempotencyKey, new Date(e.occurredAt).toISOString()])).toEqual([['order:x3:order_paid', '2026-11-02T10:00:00.000Z']]);
    const nd = JSON.stringify({ externalId: 'x4', customerExternalId: 'c002', status: 'completed', amount: 12, createdAt: '2026-11-02 18:00', paidAt: '2026-11-02 12:00' }) + '\n';
    const r2 = await importRows(db.dataSource, { kind: 'orders', format: 'ndjson', source: [nd], file: 'orders.ndjson', timezone: TZ, clock: fixedClock(NOW) });
    expect(r2.errors).toEqual([{ line: 1, field: 'paidAt', message: expect.stringMatching(/^2026-11-02 12:00 \+08:00 is before createdAt 2026-11-02 18:00 \+08:00/) }]);
  });
});
