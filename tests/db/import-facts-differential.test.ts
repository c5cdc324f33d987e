import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { refreshFacts } from '../../server/src/persistence/fact-store.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { mulberry32 } from '../../bench/support/mulberry32.js';

/**
 * Differential: the fact rows an import leaves (SQLite's set-based chunk: the chunk's aggregate
 * per customer added to the stored row, persistence/order-chunk-sqlite.ts) are, column for column
 * and byte for byte, the rows a full recomputation from the orders writes (refreshFacts). A seeded
 * file of many chunks: customers with orders in most chunks, several items an order, every status,
 * Double 11 by date and by promotion, categories beyond the BMP and next to U+E000–U+FFFF (where
 * UTF-8 byte order and UTF-16 order differ), amounts that round to cents.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const STATUSES = ['paid', 'paid', 'paid', 'created', 'shipped', 'completed', 'cancelled', 'refunded'];
const CATEGORIES = ['dress', 'tops', 'coat/wool', '鞋', '\u{1F45F}sneaker', '\uFF21wide', 'bags', 'kids', 'home', 'beauty'];
const SEASONS = ['spring', 'summer', 'autumn', 'winter'];

describe('import facts equal a full recomputation (SQLite, many chunks)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
  });
  afterAll(async () => db?.close());

  it('leaves every fact row byte for byte as refreshFacts recomputes it', async () => {
    const CUSTOMERS = 40;
    const customerLines = Array.from({ length: CUSTOMERS }, (_, i) => `k${i},C${i}`);
    const c = await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [['externalId,name', ...customerLines].join('\n') + '\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
    expect(c.created).toBe(CUSTOMERS);

    const rnd = mulberry32(7);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const base = Date.parse('2023-10-01T00:00:00Z');
    const lines: string[] = [];
    for (let i = 0; i < 900; i++) {
      // Around Double 11 a third of the time, else anywhere in two years.
      const created = rnd() < 0.3 ? Date.parse(`${pick(['2023', '2024', '2025'])}-11-10T16:00:00Z`) + Math.floor(rnd() * 2 * 86_400_000) : base + Math.floor(rnd() * 730 * 86_400_000);
      const status = pick(STATUSES);
      const paid = status === 'created' || status === 'cancelled' ? '' : String(created + Math.floor(rnd() * 3_600_000));
      const items = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, j) => `s${i}-${j}:${pick(CATEGORIES)}:${pick(SEASONS)}:1`).join(';');
      // Some amounts finer than a cent (a spreadsheet's 19.999): stored rounded to cents, so the
      // chunks' totals and a recompute's one total agree (they differed by a cent before).
      const amount = (rnd() * 300).toFixed(rnd() < 0.5 ? 2 : 4);
      lines.push(`o${i},k${Math.floor(rnd() * CUSTOMERS)},${status},${amount},${created},${paid},${rnd() < 0.15 ? 'double11' : ''},${items}`);
    }
    const file = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items', ...lines].join('\n') + '\n';
    const r = await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [file], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 37 });
    expect(r).toMatchObject({ rows: 900, created: 900, failed: 0 });

    const rows = async () => db.dataSource.query('SELECT * FROM customer_facts ORDER BY customer_id') as Promise<Record<string, unknown>[]>;
    const imported = await rows();
    expect(imported).toHaveLength(CUSTOMERS);
    const ids = imported.map((f) => Number(f.customer_id));
    await db.dataSource.transaction((t) => refreshFacts(t, ids, TZ, NOW));
    expect(await rows()).toEqual(imported);
    const amounts = (await db.dataSource.query('SELECT amount FROM orders')) as { amount: number }[];
    expect(amounts.filter((o) => Math.round(Number(o.amount) * 100) / 100 !== Number(o.amount))).toEqual([]);
    // The file reached the interesting cases: sets beyond the BMP, Double 11 orders, unpaid ones.
    expect(imported.some((f) => String(f.categories).includes('\u{1F45F}'))).toBe(true);
    expect(imported.some((f) => Number(f.double11_order_count) > 0)).toBe(true);
    expect(imported.some((f) => Number(f.unpaid_order_count) > 0)).toBe(true);
  });
});
