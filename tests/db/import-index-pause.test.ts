import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { PAUSABLE_INDEXES, pauseIndexesIn, worthPausing } from '../../server/src/persistence/import-index-pause.js';
import { rawSqlite, writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { refreshFacts } from '../../server/src/persistence/fact-store.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * A large SQLite import of orders leaves the orders' and events' by-customer indexes out while it
 * writes and builds them once at its end (persistence/import-index-pause.ts). Whatever stops it,
 * the indexes come back (the import's end, or the next open of the database), and queries by
 * customer use them again; rows the row-by-row path writes get them back first.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const T = Date.parse('2025-06-01T00:00:00Z');
/** A size that makes any orders file "large" (the decision reads only the size). */
const LARGE = 1e9;

const HEADER = 'externalId,customerExternalId,status,amount,createdAt,paidAt,items';
const orderLine = (i: number, customers = 20, status = 'paid') => `o${i},k${i % customers},${status},${(i % 50) + 1}.5,${T + i * 60_000},${status === 'paid' ? T + i * 60_000 + 1 : ''},s${i}:${i % 2 ? 'dress' : 'tops'}`;
const ordersCsv = (from: number, to: number, line = (i: number) => orderLine(i)) => [HEADER, ...Array.from({ length: to - from }, (_, k) => line(from + k))].join('\n') + '\n';

describe('by-customer indexes paused by a large import (SQLite)', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase('sqlite');
    const lines = ['externalId,name', ...Array.from({ length: 20 }, (_, i) => `k${i},C${i}`)];
    await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [lines.join('\n') + '\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
  });
  afterEach(async () => db?.close());

  const indexes = async (ds = db.dataSource) => (await ds.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('ix_orders_customer_id', 'ix_customer_events_customer_type') ORDER BY name`)).map((r: { name: string }) => r.name) as string[];
  const definitions = async (ds = db.dataSource) => ds.query(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND name IN ('ix_orders_customer_id', 'ix_customer_events_customer_type') ORDER BY name`);
  const plan = async (sql: string, ds = db.dataSource) => (await ds.query(`EXPLAIN QUERY PLAN ${sql}`)).map((r: { detail: string }) => r.detail).join('; ');
  const expectIndexesUsed = async (ds = db.dataSource) => {
    expect(await indexes(ds)).toEqual(['ix_customer_events_customer_type', 'ix_orders_customer_id']);
    expect(await ds.query('SELECT * FROM paused_indexes')).toEqual([]);
    expect(await plan('SELECT id FROM orders WHERE customer_id = 3', ds)).toMatch(/USING (COVERING )?INDEX ix_orders_customer_id/);
    expect(await plan("SELECT id FROM customer_events WHERE customer_id = 3 AND type = 'order_paid' AND occurred_at >= 0", ds)).toMatch(/USING (COVERING )?INDEX ix_customer_events_customer_type/);
  };
  const run = (csv: string, o: { fileBytes?: number; batchSize?: number; onRows?: () => void } = {}) =>
    importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [csv], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: o.batchSize ?? 10, fileBytes: o.fileBytes, onRows: o.onRows });

  it('leaves both indexes out while a large file is written and builds them, as they were, at its end', async () => {
    const before = await definitions();
    const seen: string[][] = [];
    let during = Promise.resolve();
    const report = await run(ordersCsv(0, 45), { fileBytes: LARGE, onRows: () => (during = during.then(async () => void seen.push(await indexes()))) });
    await during;
    expect(report.created).toBe(45);
    expect(seen.length).toBe(5);
    expect(seen.slice(0, 4)).toEqual([[], [], [], []]);
    expect(await definitions()).toEqual(before);
    await expectIndexesUsed();
    // The facts are the recompute's (settled after the indexes are back).
    const facts = async () => db.dataSource.query('SELECT customer_id, order_count, total_spent, categories FROM customer_facts ORDER BY customer_id');
    const imported = await facts();
    const ids = (await db.dataSource.query('SELECT id FROM customers')).map((r: { id: number }) => Number(r.id));
    await writeTransaction(db.dataSource, (m) => refreshFacts(m, ids, TZ, NOW));
    expect(imported).toEqual(await facts());
    expect(imported.reduce((n: number, f: { order_count: number }) => n + Number(f.order_count), 0)).toBe(45);
  });

  it('keeps the indexes for a small file, and for a file small against the orders and events stored', async () => {
    const seen: string[][] = [];
    await run(ordersCsv(0, 30), { fileBytes: 3_000, onRows: () => void indexes().then((x) => seen.push(x)) });
    expect(seen.every((x) => x.length === 2)).toBe(true);
    const sqlite = rawSqlite(db.dataSource);
    expect(worthPausing(sqlite, 100_000 * 80)).toBe(true);
    expect(worthPausing(sqlite, 99_000 * 80)).toBe(false);
    // 30 orders and their events stored: 100,000 rows are large against them; with a million
    // orders stored, 100,000 rows are small (the rebuild would sort a million entries more).
    await db.dataSource.query(`INSERT INTO orders (id, external_id, customer_id, status, amount, created_at, items, updated_at) SELECT 1000000, 'big', customer_id, status, amount, created_at, items, updated_at FROM orders LIMIT 1`);
    expect(worthPausing(sqlite, 100_000 * 80)).toBe(false);
    expect(worthPausing(sqlite, 501_000 * 80)).toBe(true);
  });

  it('a chunk that fails midway leaves the indexes back (and the chunks before it imported)', async () => {
    await db.dataSource.query(`CREATE TRIGGER fail_o25 BEFORE INSERT ON orders WHEN NEW.external_id = 'o25' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END`);
    const seen: string[][] = [];
    await expect(run(ordersCsv(0, 45), { fileBytes: LARGE, onRows: () => void indexes().then((x) => seen.push(x)) })).rejects.toThrow(/lines 22-31: the batch could not be written.*refused by a test trigger/);
    expect(seen[0]).toEqual([]);
    await expectIndexesUsed();
    expect(Number((await db.dataSource.query('SELECT COUNT(*) AS n FROM orders'))[0].n)).toBe(20);
    // The first chunk failing: its own rollback undoes the drop.
    await db.dataSource.query(`DROP TRIGGER fail_o25`);
    await db.dataSource.query(`CREATE TRIGGER fail_p1 BEFORE INSERT ON orders WHEN NEW.external_id = 'o101' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END`);
    await expect(run(ordersCsv(100, 130), { fileBytes: LARGE })).rejects.toThrow(/refused by a test trigger/);
    await expectIndexesUsed();
  });

  it('an import that throws between chunks (its reader fails) builds them again on its way out', async () => {
    let n = 0;
    await expect(
      run(ordersCsv(0, 45), {
        fileBytes: LARGE,
        onRows: () => {
          if (++n === 2) throw new Error('the progress bar broke');
        },
      }),
    ).rejects.toThrow(/the progress bar broke/);
    await expectIndexesUsed();
  });

  it('rows for the row-by-row path (a changed order) get the indexes back first, for the rest of the import', async () => {
    await run(ordersCsv(0, 5));
    const seen: string[][] = [];
    let during = Promise.resolve();
    // Chunk 1: new orders; chunk 2 changes o2 (paid → refunded): its customer's facts are recomputed from their orders.
    const csv = ordersCsv(100, 110) + `o2,k2,refunded,3.5,${T + 2 * 60_000},${T + 2 * 60_000 + 1},s2:tops\n` + ordersCsv(110, 125).split('\n').slice(1).join('\n');
    const report = await run(csv, { fileBytes: LARGE, onRows: () => (during = during.then(async () => void seen.push(await indexes()))) });
    await during;
    expect(report).toMatchObject({ created: 25, updated: 1 });
    expect(seen[0]).toEqual([]);
    expect(seen.slice(1).every((x) => x.length === 2)).toBe(true);
    await expectIndexesUsed();
    const facts = async () => db.dataSource.query('SELECT customer_id, order_count, total_spent FROM customer_facts ORDER BY customer_id');
    const imported = await facts();
    const ids = (await db.dataSource.query('SELECT id FROM customers')).map((r: { id: number }) => Number(r.id));
    await writeTransaction(db.dataSource, (m) => refreshFacts(m, ids, TZ, NOW));
    expect(imported).toEqual(await facts());
  });

  it('an index paused by a process that is gone is built again when the database is next opened; one paused by a live import is left to it', async () => {
    const before = await definitions();
    const url = db.target.url;
    await writeTransaction(db.dataSource, async () => void pauseIndexesIn(rawSqlite(db.dataSource)));
    expect(await indexes()).toEqual([]);
    // Paused by this (live) process: another connection opening the file leaves it paused.
    const other = await openDatabase({ url });
    expect(await indexes(other)).toEqual([]);
    await other.destroy();
    // The pausing process is gone (a pid no process has).
    await db.dataSource.query('UPDATE paused_indexes SET pid = 2147483646');
    const reopened = await openDatabase({ url });
    try {
      expect(await definitions(reopened)).toEqual(before);
      await expectIndexesUsed(reopened);
    } finally {
      await reopened.destroy();
    }
    expect([...PAUSABLE_INDEXES].sort()).toEqual(['ix_customer_events_customer_type', 'ix_orders_customer_id']);
  });
});
