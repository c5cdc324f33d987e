import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import type { StoredCustomerEvent } from '../../server/src/core/data/event-listener.js';
import { decodeList, encodeList } from '../../server/src/persistence/columns.js';
import { loadStoredFacts, refreshFacts } from '../../server/src/persistence/fact-store.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { unionSetText } from '../../server/src/persistence/order-chunk-sqlite.js';
import { findCustomer } from '../../server/src/persistence/shop-repository.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * The set-based chunk write of new orders (SQLite: persistence/order-chunk-sqlite.ts; PostgreSQL
 * keeps the row-by-row path, same expectations) next to the rows it hands back to the row-by-row
 * path in the same chunk: repeated and changed orders, unknown customers, a live customer whose
 * fact row is missing. Facts must equal a full recomputation, every new event must be queued.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items';
const DAY = 86_400_000;

describe.each(DIALECTS)('order chunks on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  const csv = (lines: string[]) => [HEADER, ...lines].join('\n') + '\n';
  const importOrders = (text: string, batchSize: number, seen?: StoredCustomerEvent[]) =>
    importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [text], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize, listeners: seen ? [{ onEvents: async (e) => void seen.push(...e) }] : [] });
  const count = async (sql: string) => Number((await db.dataSource.query(sql))[0].n);

  it('new, repeated and changed orders of the same customers in one chunk and across chunks leave the facts of a full recomputation', async () => {
    const customers = await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: ['externalId,name\nk1,A\nk2,B\nk3,C\nk4,D\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
    expect(customers.created).toBe(4);
    const ids = await Promise.all(['k1', 'k2', 'k3', 'k4'].map(async (x) => (await findCustomer(db.dataSource.manager, x))!.id));
    // A live customer without a fact row (as after a crash of an older version): recomputed in full.
    await db.dataSource.query(dialect === 'postgres' ? 'DELETE FROM customer_facts WHERE customer_id = $1' : 'DELETE FROM customer_facts WHERE customer_id = ?', [ids[3]]);

    const t0 = Date.parse('2024-11-10T17:00:00Z'); // 11 Nov 01:00 in Shanghai: a Double-11 order without promotion
    const first = [
      `a1,k1,paid,10.10,${t0},${t0 + 60_000},,s1:dress:summer:1`,
      `a2,k1,paid,20.20,${t0 + 40 * DAY},${t0 + 40 * DAY + 1},double11,s2:coat|wool:winter:1;s3:dress:summer:1`,
      `a3,k1,created,5,${t0 + 50 * DAY},,,s4:tops`,
      `a4,k1,cancelled,7,${t0 + 51 * DAY},,,s5:bags`,
      `a5,k1,refunded,9,${t0 + 52 * DAY},${t0 + 52 * DAY},,s6:shoes`,
      `r1,k2,created,30,${t0 + 3 * DAY},,,s7:bags`,
      `a6,nobody,paid,1,${t0},${t0},,s8:dress`,
      `r1,k2,paid,30,${t0 + 3 * DAY},${t0 + 4 * DAY},,s7:bags`,
      `a7,k2,paid,0.1,${t0 + 200 * DAY},${t0 + 200 * DAY},,`,
      `a8,k4,paid,0.2,${t0 + 300 * DAY},${t0 + 300 * DAY},,s9:kids`,
      `a9,k3,created,3.3,${t0 + 9 * DAY},,,s10:home`,
    ];
    const seen: StoredCustomerEvent[] = [];
    const r1 = await importOrders(csv(first), 100, seen);
    expect(r1).toMatchObject({ rows: 11, created: 9, updated: 1, failed: 1, eventsRecorded: 10 });
    expect(r1.errors).toEqual([{ line: 8, field: 'customerExternalId', message: expect.stringContaining('"nobody"') }]);
    expect(seen.map((e) => e.idempotencyKey).sort()).toEqual(
      ['a1:order_paid', 'a2:order_paid', 'a3:order_created', 'a4:order_cancelled', 'a5:order_refunded', 'r1:order_created', 'r1:order_paid', 'a7:order_paid', 'a8:order_paid', 'a9:order_created'].map((k) => `order:${k}`).sort(),
    );

    // Across chunks of 3: new orders next to a changed one (a9 paid, a3 cancelled) of the same customers.
    const second = [
      // b1: 11 Nov again a year later (a Double-11 order), b2 by its promotion.
      `b1,k1,paid,1.11,${t0 + 365 * DAY},${t0 + 365 * DAY},,s11:dress:summer`,
      `a3,k1,cancelled,5,${t0 + 50 * DAY},,,s4:tops`,
      `b2,k1,paid,2.22,${t0 + 366 * DAY},${t0 + 366 * DAY},double11,s12:beauty`,
      `b3,k3,paid,3.33,${t0 + 2 * DAY},${t0 + 2 * DAY},,s13:home`,
      `a9,k3,paid,3.3,${t0 + 9 * DAY},${t0 + 10 * DAY},,s10:home`,
      `b4,k3,created,4.44,${t0 + 400 * DAY},,,s14:tops`,
      `b5,k2,paid,5.55,${t0 - 30 * DAY},${t0 - 30 * DAY},,s15:coat|wool`,
      `b6,k4,paid,6.66,${t0 + 1 * DAY},${t0 + 1 * DAY},,s16:kids`,
    ];
    const r2 = await importOrders(csv(second), 3);
    expect(r2).toMatchObject({ rows: 8, created: 6, updated: 2, failed: 0, eventsRecorded: 8 });

    const stored = await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id)));
    await db.dataSource.transaction((t) => refreshFacts(t, ids, TZ, NOW));
    const recomputed = await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id)));
    expect(stored).toEqual(recomputed);
    expect(stored[0]).toMatchObject({ orderCount: 4, totalSpent: 33.63, unpaidOrderCount: 0, double11OrderCount: 4, categories: ['beauty', 'coat/wool', 'dress'] });
    expect(stored[3]).toMatchObject({ orderCount: 2, totalSpent: 6.86, categories: ['kids'] });

    // Every stored event is queued once for the engine; a re-import stores and queues nothing.
    const events = await count('SELECT COUNT(*) AS n FROM customer_events');
    expect(events).toBe(18);
    expect(await count('SELECT COUNT(*) AS n FROM event_inbox')).toBe(events);
    const again = await importOrders(csv(second), 3);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 8, eventsRecorded: 0 });
    expect(await count('SELECT COUNT(*) AS n FROM event_inbox')).toBe(events);
  });

  it('a failing chunk keeps none of its orders, events or fact changes', async () => {
    const k1 = (await findCustomer(db.dataSource.manager, 'k1'))!.id;
    const before = await loadStoredFacts(db.dataSource, k1);
    const orders = await count('SELECT COUNT(*) AS n FROM orders');
    const events = await count('SELECT COUNT(*) AS n FROM customer_events');
    // The chunk's fact write fails inside the database after its orders, events and inbox rows
    // were written: PostgreSQL's fact update (a check), SQLite's owed facts (a trigger; facts are
    // owed by the chunk and settled after it, owed-facts.ts).
    await db.dataSource.query(dialect === 'postgres' ? 'ALTER TABLE customer_facts ADD CONSTRAINT t_fail CHECK (order_count < 5)' : 'CREATE TRIGGER t_fail BEFORE INSERT ON customer_facts_owed BEGIN SELECT RAISE(ABORT, \'too many\'); END');
    try {
      const t = Date.parse('2025-06-01T00:00:00Z');
      await expect(importOrders(csv([`c1,k1,paid,1,${t},${t},,s:dress`, `c2,k1,paid,1,${t},${t},,s:dress`]), 10)).rejects.toThrow(/lines 2-3: the batch could not be written \(nothing of it was kept\)/);
    } finally {
      await db.dataSource.query(dialect === 'postgres' ? 'ALTER TABLE customer_facts DROP CONSTRAINT t_fail' : 'DROP TRIGGER t_fail');
    }
    expect(await count('SELECT COUNT(*) AS n FROM orders')).toBe(orders);
    expect(await count('SELECT COUNT(*) AS n FROM customer_events')).toBe(events);
    expect(await count('SELECT COUNT(*) AS n FROM event_inbox')).toBe(events);
    expect(await loadStoredFacts(db.dataSource, k1)).toEqual(before);
    expect(await count('SELECT COUNT(*) AS n FROM customer_facts_owed')).toBe(0);
    // The next import on the same connection works (the staging table is usable again).
    const t = Date.parse('2025-06-02T00:00:00Z');
    expect(await importOrders(csv([`c3,k2,paid,1,${t},${t},,s:dress`, `c4,k2,paid,2,${t},${t},,s:tops`]), 10)).toMatchObject({ created: 2, failed: 0 });
  });

  it('first purchases and one new value a customer, before, between and after the stored ones, leave the sets of a full recomputation', async () => {
    const names = ['s1', 's2', 's3', 's4'];
    await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [`externalId,name\n${names.map((n) => `${n},X`).join('\n')}\n`], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
    const ids = await Promise.all(names.map(async (x) => (await findCustomer(db.dataSource.manager, x))!.id));
    const t = Date.parse('2025-04-01T00:00:00Z'); // spring in Shanghai; + 90 days: summer
    // One order each: every set starts empty (s4: one order with two items).
    const first = await importOrders(csv([`f1,s1,paid,1,${t},${t},,x:dress`, `f2,s2,paid,1,${t},${t},,x:dress`, `f3,s3,paid,1,${t},${t},,x:dress`, `f4,s4,paid,1,${t},${t},,x:kids;y:coat`]), 100);
    expect(first).toMatchObject({ created: 4, failed: 0 });
    // Then one new category (and season) each: before, after, between the stored ones, and an
    // order inside 11 November for a Double-11 year.
    const d11 = Date.parse('2025-11-11T02:00:00Z');
    const second = await importOrders(csv([`g1,s1,paid,1,${t + 90 * DAY},${t + 90 * DAY},,x:bags`, `g2,s2,paid,1,${t},${t},,x:tops`, `g3,s4,paid,1,${d11},${d11},,x:home`, `g4,s3,paid,1,${t},${t},,x:dress`]), 100);
    expect(second).toMatchObject({ created: 4, failed: 0 });
    const stored = await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id)));
    await db.dataSource.transaction((tx) => refreshFacts(tx, ids, TZ, NOW));
    expect(stored).toEqual(await Promise.all(ids.map((id) => loadStoredFacts(db.dataSource, id))));
    expect(stored.map((f) => f?.categories)).toEqual([['bags', 'dress'], ['dress', 'tops'], ['dress'], ['coat', 'home', 'kids']]);
    expect(stored[0]?.categorySeasons).toEqual(['bags@2025-summer', 'dress@2025-spring']);
    expect(stored[3]?.double11Years).toEqual(['2025']);
  });

  it('rows of an order that redeems a coupon apply in input order, its other rows included', async () => {
    const customers = await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: ['externalId,name\nkc,C\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
    expect(customers.created).toBe(1);
    const kc = (await findCustomer(db.dataSource.manager, 'kc'))!.id;
    const t = Date.parse('2025-07-01T00:00:00Z');
    // A paid line that redeems a coupon, then the same order refunded (its export's later line):
    // row by row the order ends refunded; the refunded line alone would have been staged and
    // written first, and the paid line would then have "updated" the order back to paid.
    const text = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,coupon,items', `q1,kc,paid,9,${t},${t},,SAVE5,s:dress`, `q1,kc,refunded,9,${t},${t},,SAVE5,s:dress`, `q2,kc,paid,4,${t},${t},,,s:tops`].join('\n') + '\n';
    const r = await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [text], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 100 });
    expect(r).toMatchObject({ rows: 3, created: 2, updated: 1, failed: 0 });
    const [q1] = await db.dataSource.query(dialect === 'postgres' ? 'SELECT status FROM orders WHERE external_id = $1' : 'SELECT status FROM orders WHERE external_id = ?', ['q1']);
    expect(q1.status).toBe('refunded');
    const keys: { idempotency_key: string }[] = await db.dataSource.query(
      dialect === 'postgres' ? 'SELECT idempotency_key FROM customer_events WHERE customer_id = $1 ORDER BY id' : 'SELECT idempotency_key FROM customer_events WHERE customer_id = ? ORDER BY id',
      [kc],
    );
    expect(keys.map((k) => k.idempotency_key).filter((k) => k.startsWith('order:q1:'))).toEqual(['order:q1:order_paid', 'order:q1:order_refunded']);
    const stored = await loadStoredFacts(db.dataSource, kc);
    await db.dataSource.transaction((tx) => refreshFacts(tx, [kc], TZ, NOW));
    expect(stored).toEqual(await loadStoredFacts(db.dataSource, kc));
    expect(stored).toMatchObject({ orderCount: 1, totalSpent: 4 });
  });
});

describe('unionSetText', () => {
  it('gives the text of the sorted union, keeping the stored text when nothing is new', () => {
    expect(unionSetText('', 'b|a|b')).toBe(encodeList(['a', 'b']));
    expect(unionSetText(null, null)).toBe('');
    expect(unionSetText('|a|c|', 'c|b')).toBe('|a|b|c|');
    const stored = '|a|c|';
    expect(unionSetText(stored, 'a|c')).toBe(stored);
  });

  it('inserts one new value at its sorted place, as sorting the whole set would', () => {
    const sorted = (text: string, x: string) => encodeList([...new Set([...decodeList(text), x])].sort());
    const sets = ['|b|', '|a|c|', '|dress@2024-spring|shoes@2025-autumn|tops@2024-winter|', '||x|', '|B|a|é|'];
    for (const text of sets) for (const x of ['a', 'b', 'c', 'zz', 'A', 'dress@2025-summer', 'é', 'e']) expect(unionSetText(text, x)).toBe(sorted(text, x));
    // A text that is not a sorted set without repeats (never stored so) still comes out sorted.
    expect(unionSetText('|c|a|', 'b')).toBe('|a|b|c|');
    expect(unionSetText('|a|a|', 'b')).toBe('|a|b|');
  });
});
