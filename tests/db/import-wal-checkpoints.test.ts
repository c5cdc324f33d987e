import { afterEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { parseRows } from '../../server/src/core/data/import/parsed-rows.js';
import type { CustomerEventListener } from '../../server/src/core/data/event-listener.js';
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../server/src/persistence/data-source.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { startImportCheckpointer } from '../../server/src/runtime/import-checkpointer.js';
import { hasProcessWriteLock, rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { WAL_BACKSTOP_PAGES } from '../../server/src/runtime/wal-checkpointer.js';
import { WalIndexReader } from '../../server/src/runtime/wal-index.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Issue 9: an import on a connection that checkpoints its own commits (the CLI, the benches) leaves
 * the WAL checkpoints to a thread of its own (runtime/import-checkpointer.ts) instead of copying
 * the WAL back inside its commits on the importing thread, the one that bounds the import's pace.
 * The server's connection, whose checkpoints its own checkpointer thread runs already, is left so.
 */
// Worker threads run compiled JavaScript: the checkpointer thread's entry from dist/ (npm test builds it first).
const ENTRY = new URL('../../dist/server/src/runtime/wal-checkpointer-thread.js', import.meta.url);
const MISSING_ENTRY = new URL('../../dist/server/src/runtime/no-such-checkpointer-thread.js', import.meta.url);
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const T0 = Date.parse('2024-11-10T17:00:00Z');
const CUSTOMERS = 200;
const ORDERS = 2_000;
const BATCH = 500;

const customersCsv = () => ['externalId,name', ...Array.from({ length: CUSTOMERS }, (_, i) => `k${i},客户${i}`)].join('\n') + '\n';
const ordersCsv = () =>
  [
    'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items',
    ...Array.from({ length: ORDERS }, (_, i) => `o${i},k${(i * 7919) % CUSTOMERS},${i % 5 ? 'paid' : 'created'},${(10 + (i % 90)).toFixed(2)},${T0 + i * 60_000},${i % 5 ? T0 + i * 60_000 + 1 : ''},${i % 10 ? '' : 'double11'},s${i % 13}:${['dress', 'bags', 'tops'][i % 3]}:summer:1`),
  ].join('\n') + '\n';

type Pragmas = { pragma(s: string, o?: { simple: boolean }): unknown };
const pragma = (ds: DataSource, name: string) => Number((rawSqlite(ds) as unknown as Pragmas).pragma(name, { simple: true }));

/** After each committed chunk: the connection's wal_autocheckpoint, and whether the WAL got copied into the file before `waitMs` passed (the import waits meanwhile). */
function watcher(ds: DataSource, file: string, waitMs: number) {
  const seen: { autocheckpoint: number; copied: boolean }[] = [];
  const wal = new WalIndexReader(file);
  const listener: CustomerEventListener = {
    onEvents: async () => {
      const autocheckpoint = pragma(ds, 'wal_autocheckpoint');
      const until = Date.now() + waitMs;
      let copied = wal.uncopiedFrames() === 0;
      while (!copied && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 25));
        copied = wal.uncopiedFrames() === 0;
      }
      seen.push({ autocheckpoint, copied });
    },
  };
  return { seen, listener, wal };
}

async function importOrders(db: TestDatabase, opts: { listener?: CustomerEventListener; entry?: URL; parser?: boolean } = {}) {
  const clock = fixedClock(NOW);
  await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: Readable.from([customersCsv()]), file: 'customers.csv', timezone: TZ, clock });
  return importRows(db.dataSource, {
    kind: 'orders',
    format: 'csv',
    source: Readable.from([ordersCsv()]),
    file: 'orders.csv',
    timezone: TZ,
    clock,
    batchSize: BATCH,
    // Any parser passed counts as a parser thread's (the CLI passes one for large files); the in-process one keeps the test light.
    parser: opts.parser === false ? undefined : parseRows,
    listeners: opts.listener ? [opts.listener] : [],
    offThreadCheckpoints: (ds, own) => startImportCheckpointer(ds, own, opts.entry ?? ENTRY),
  });
}

/** Every stored table that an order import writes, row by row, in a stable order. */
async function tables(ds: DataSource): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['customers', 'orders', 'customer_events', 'event_inbox', 'customer_facts', 'customer_facts_owed', 'paused_indexes'])
    out[t] = await ds.query(`SELECT * FROM ${t} ORDER BY 1`);
  out.schema = await ds.query(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`);
  return out;
}

describe('an import that checkpoints its own commits', () => {
  const opened: TestDatabase[] = [];
  const open = async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  it('has its chunks copied into the database file while it goes on, by a thread of its own: the importing connection does not checkpoint, save a 1 GB backstop', async () => {
    const db = await open();
    const w = watcher(db.dataSource, db.target.url, 5_000);
    const report = await importOrders(db, { listener: w.listener });
    expect(report.created).toBe(ORDERS);
    expect(w.seen).toHaveLength(ORDERS / BATCH);
    // Without the thread the connection checkpoints itself every 65,536 pages: a 2,000-order WAL is never copied.
    expect(w.seen.every((s) => s.autocheckpoint === WAL_BACKSTOP_PAGES)).toBe(true);
    expect(w.seen.every((s) => s.copied)).toBe(true);
    w.wal.close();
  });

  it('hands the connection back as it was, its WAL copied: its own checkpoints and page cache again, no write lock of the import left on it', async () => {
    const db = await open();
    const cache = pragma(db.dataSource, 'cache_size');
    await importOrders(db);
    expect(pragma(db.dataSource, 'wal_autocheckpoint')).toBe(DEFAULT_WAL_AUTOCHECKPOINT);
    expect(pragma(db.dataSource, 'cache_size')).toBe(cache);
    expect(hasProcessWriteLock(db.dataSource)).toBe(false);
    const wal = new WalIndexReader(db.target.url);
    expect(wal.uncopiedFrames()).toBe(0);
    wal.close();
  });

  it('stores the same rows as an import whose connection checkpoints its own commits', async () => {
    const offThread = await open();
    await importOrders(offThread);
    // A checkpointer entry that does not exist: the thread never starts, the connection checkpoints as before.
    const own = await open();
    await importOrders(own, { entry: MISSING_ENTRY });
    expect(await tables(offThread.dataSource)).toEqual(await tables(own.dataSource));
  });

  it('checkpoints on its own connection as before when the thread cannot start, or when the import parses in the importing thread (a small file)', async () => {
    for (const opts of [{ entry: MISSING_ENTRY }, { parser: false }]) {
      const db = await open();
      const w = watcher(db.dataSource, db.target.url, 0);
      expect((await importOrders(db, { ...opts, listener: w.listener })).created).toBe(ORDERS);
      expect(w.seen.map((s) => s.autocheckpoint)).toEqual(Array(ORDERS / BATCH).fill(65_536));
      expect(pragma(db.dataSource, 'wal_autocheckpoint')).toBe(DEFAULT_WAL_AUTOCHECKPOINT);
      w.wal.close();
    }
  });

  it("leaves a connection whose checkpoints another thread runs (the server's, wal_autocheckpoint 0) alone: no thread of its own, nothing checkpointed", async () => {
    const db = await open();
    await db.dataSource.query('PRAGMA wal_autocheckpoint = 0');
    const w = watcher(db.dataSource, db.target.url, 0);
    await importOrders(db, { listener: w.listener });
    expect(w.seen.map((s) => s.autocheckpoint)).toEqual(Array(ORDERS / BATCH).fill(0));
    expect(pragma(db.dataSource, 'wal_autocheckpoint')).toBe(0);
    expect(w.wal.uncopiedFrames()).toBeGreaterThan(0);
    w.wal.close();
  });
});
