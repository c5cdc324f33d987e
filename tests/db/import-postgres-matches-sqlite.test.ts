import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { mulberry32 } from '../../bench/support/mulberry32.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * PostgreSQL's import writes each batch set-based (new orders and their events by COPY, the rest
 * by unnest statements; SQLite its own bulk path): the same CSV files, imported into both, leave
 * the same customers, orders, order events (and their inbox rows) and customer facts. Three files
 * in batches of 700 (so COPY runs, beside batches too small for it): the customers, 3,000 orders,
 * then a second orders file that changes 400 of them (status, amount), repeats 300 unchanged and
 * adds 500 new ones (a batch of changed, unchanged and new orders together), with one refused row.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const STATUSES = ['paid', 'paid', 'paid', 'created', 'shipped', 'completed', 'cancelled', 'refunded'];
const CATEGORIES = ['dress', 'tops', 'coat/wool', '鞋', '\u{1F45F}sneaker', 'bags', 'kids', 'home, garden', 'beauty\tline'];
const SEASONS = ['spring', 'summer', 'autumn', 'winter'];
const CUSTOMERS = 300;
const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';

function files(): { customers: string; orders: string; more: string } {
  const rnd = mulberry32(24);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const customers = ['externalId,name,phone,email,province,city,device,tags,consent_sms,consent_email'];
  for (let i = 0; i < CUSTOMERS; i++)
    customers.push(`k${i},"客户 ""${i}""",${i % 3 ? `1380000${String(i).padStart(4, '0')}` : ''},${i % 4 ? `k${i}@example.com` : ''},浙江,杭州,${i % 2 ? 'mobile' : 'pc'},${i % 5 ? 'vip;new' : ''},${i % 2 ? 'true' : 'false'},${i % 3 ? 'true' : ''}`);
  const base = Date.parse('2023-10-01T00:00:00Z');
  const order = (id: string, status = pick(STATUSES)) => {
    const created = rnd() < 0.3 ? Date.parse(`${pick(['2023', '2024', '2025'])}-11-10T16:00:00Z`) + Math.floor(rnd() * 2 * 86_400_000) : base + Math.floor(rnd() * 730 * 86_400_000);
    const paid = status === 'created' || status === 'cancelled' ? '' : String(created + Math.floor(rnd() * 3_600_000));
    const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => `s${id}-${j}:${pick(CATEGORIES)}:${pick(SEASONS)}:${1 + Math.floor(rnd() * 2)}`).join(';');
    return `${id},k${Math.floor(rnd() * CUSTOMERS)},${status},${(rnd() * 300).toFixed(2)},${created},${paid},${rnd() < 0.15 ? 'double11' : ''},"${items}"`;
  };
  const orders = [HEADER];
  for (let i = 0; i < 3000; i++) orders.push(order(`o${i}`));
  const more = [HEADER];
  for (let i = 0; i < 300; i++) more.push(orders[1 + i]); // unchanged
  for (let i = 300; i < 700; i++) more.push(order(`o${i}`, pick(['shipped', 'completed', 'refunded']))); // changed
  for (let i = 3000; i < 3500; i++) more.push(order(`o${i}`)); // new
  more.push(`o9999,nobody,paid,10.00,${base},${base + 1},,"x:dress:summer:1"`); // refused: unknown customer
  return { customers: customers.join('\n') + '\n', orders: orders.join('\n') + '\n', more: more.join('\n') + '\n' };
}

async function importAll(ds: DataSource): Promise<unknown[]> {
  const f = files();
  const reports = [];
  for (const [kind, name, text] of [['customers', 'customers.csv', f.customers], ['orders', 'orders.csv', f.orders], ['orders', 'more.csv', f.more]] as const)
    reports.push(await importRows(ds, { kind, format: 'csv', source: [text], file: name, timezone: TZ, clock: fixedClock(NOW), batchSize: 700 }));
  return reports;
}

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Everything an import stores, keyed by external ids and keys (never by generated ids), in a stable order. */
async function stored(ds: DataSource) {
  const customers = ((await ds.query('SELECT * FROM customers ORDER BY external_id')) as Record<string, unknown>[]).map((c) => ({
    externalId: c.external_id, name: c.name, phone: c.phone, email: c.email, wechatId: c.wechat_id, province: c.province, city: c.city, device: c.device,
    tags: json(c.tags), consent: json(c.consent), attributes: json(c.attributes), createdAt: n(c.created_at), updatedAt: n(c.updated_at), deletedAt: n(c.deleted_at),
  }));
  const orders = ((await ds.query('SELECT o.*, c.external_id AS customer FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.external_id')) as Record<string, unknown>[]).map((o) => ({
    externalId: o.external_id, customer: o.customer, status: o.status, amount: n(o.amount), createdAt: n(o.created_at), paidAt: n(o.paid_at), promotion: o.promotion, items: json(o.items), updatedAt: n(o.updated_at),
  }));
  const events = ((await ds.query('SELECT e.*, c.external_id AS customer, (SELECT COUNT(*) FROM event_inbox i WHERE i.event_id = e.id) AS queued FROM customer_events e JOIN customers c ON c.id = e.customer_id ORDER BY e.client_id, e.idempotency_key')) as Record<string, unknown>[]).map((e) => ({
    customer: e.customer, type: e.type, properties: json(e.properties), occurredAt: n(e.occurred_at), key: e.idempotency_key, client: e.client_id, receivedAt: n(e.received_at), queued: n(e.queued),
  }));
  const facts = ((await ds.query('SELECT f.*, c.external_id AS customer FROM customer_facts f JOIN customers c ON c.id = f.customer_id ORDER BY c.external_id')) as Record<string, unknown>[]).map((f) => {
    const { customerId: _id, ...rest } = decodeFacts(f);
    return { customer: f.customer, ...rest, updatedAt: n(f.updated_at) };
  });
  return { customers, orders, events, facts };
}

describe('an import on PostgreSQL stores what the same import stores on SQLite', () => {
  let sqlite: TestDatabase;
  let postgres: TestDatabase;
  beforeAll(async () => {
    [sqlite, postgres] = await Promise.all([openTestDatabase('sqlite'), openTestDatabase('postgres')]);
  });
  afterAll(async () => {
    await sqlite?.close();
    await postgres?.close();
  });

  it('leaves the same customers, orders, order events with their inbox rows, and facts (new, changed, unchanged and refused rows)', async () => {
    const onSqlite = await importAll(sqlite.dataSource);
    const onPostgres = await importAll(postgres.dataSource);
    expect(onPostgres).toEqual(onSqlite);
    expect(onPostgres[2]).toMatchObject({ rows: 1201, created: 500, updated: 400, unchanged: 300, failed: 1 });

    const a = await stored(sqlite.dataSource);
    const b = await stored(postgres.dataSource);
    expect(a.customers).toHaveLength(CUSTOMERS);
    expect(a.orders).toHaveLength(3500);
    expect(a.facts).toHaveLength(CUSTOMERS);
    // Every order event is queued once for the engine.
    expect(new Set(a.events.map((e) => e.queued))).toEqual(new Set([1]));
    expect(b.customers).toEqual(a.customers);
    expect(b.orders).toEqual(a.orders);
    expect(b.events).toEqual(a.events);
    expect(b.facts).toEqual(a.facts);
  }, 120_000);
});
