import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { parseRows } from '../../server/src/core/data/import/parsed-rows.js';
import { importRows, type SettleAhead, type SettleAheadRun } from '../../server/src/persistence/importer.js';
import { aggregateOwedInto, applyPreparedSettle, dataVersion, preparedFrom, prepareFactsInto, type OwedAggregate, type PreparedPart, type PreparedSettle } from '../../server/src/persistence/owed-facts-ahead.js';
import { settleOwedFacts } from '../../server/src/persistence/owed-facts.js';
import { factsOwed, MAX_CUSTOMER_ID, MIN_CUSTOMER_ID, prepareConnection, unionSetText } from '../../server/src/persistence/owed-facts-sql.js';
import { rawSqlite, type RawSqlite } from '../../server/src/persistence/write-transaction.js';
import { startImportSettleAhead } from '../../server/src/runtime/import-settle-ahead.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Issue 9: a large import's settle of owed facts is worked out on a thread of its own, from one
 * read snapshot, while the importing thread builds the paused indexes again; the importing
 * thread then only copies the values in (persistence/owed-facts-ahead.ts). The stored facts are
 * those of the settle in place, and values that no longer hold are never written.
 */
// Worker threads run compiled JavaScript: the settle thread's entry from dist/ (npm test builds it first).
const ENTRY = new URL('../../dist/server/src/runtime/import-settle-thread.js', import.meta.url);
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const T0 = Date.parse('2024-11-10T17:00:00Z');
const CUSTOMERS = 300;
const BATCH = 500;
/** Passed as the file's size: an import this "large" pauses the by-customer indexes (import-index-pause.ts). */
const LARGE_FILE_BYTES = 100_000_000;

const customersCsv = () => ['externalId,name', ...Array.from({ length: CUSTOMERS }, (_, i) => `k${i},客户${i}`)].join('\n') + '\n';
const ordersCsv = (from: number, n: number) =>
  [
    'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items',
    ...Array.from({ length: n }, (_, j) => {
      const i = from + j;
      const items = `s${i % 13}:${['dress', 'bags', 'tops', '连衣裙'][i % 4]}:${['spring', 'summer', 'autumn', 'winter'][i % 4]}:1` + (i % 3 ? '' : `;s2:${['coat', 'dress'][i % 2]}:winter:2:3.10`);
      return `o${i},k${(i * 7919) % CUSTOMERS},${i % 5 ? 'paid' : 'created'},${(10 + (i % 90) + 0.37).toFixed(2)},${T0 + i * 3_600_000},${i % 5 ? T0 + i * 3_600_000 + 1 : ''},${i % 10 ? '' : 'double11'},${items}`;
    }),
  ].join('\n') + '\n';

/** The customers and a first, small import of orders (settled in place), then a large one through `settleAhead`. */
async function importShop(ds: DataSource, settleAhead?: SettleAhead) {
  const clock = fixedClock(NOW);
  await importRows(ds, { kind: 'customers', format: 'csv', source: Readable.from([customersCsv()]), file: 'customers.csv', timezone: TZ, clock });
  await importRows(ds, { kind: 'orders', format: 'csv', source: Readable.from([ordersCsv(0, 600)]), file: 'first.csv', timezone: TZ, clock, batchSize: BATCH });
  return importRows(ds, { kind: 'orders', format: 'csv', source: Readable.from([ordersCsv(600, 2_400)]), file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW + 3_600_000), batchSize: BATCH, parser: parseRows, fileBytes: LARGE_FILE_BYTES, settleAhead });
}

const facts = (ds: DataSource) => ds.query('SELECT * FROM customer_facts ORDER BY customer_id');

/** Owed rows appended as an import's chunks leave them, without settling (the slow path of a test's own). */
function owe(db: RawSqlite, rows: [customerId: number, amount: number, category: string][]) {
  for (const [c, amount, cat] of rows)
    db.prepare("INSERT INTO customer_facts_owed (customer_id, kind, amount, fact_at, categories, category_seasons, double11_year) VALUES (?, 2, ?, ?, ?, ? || '@2025-summer', NULL)").run(c, amount, T0, cat, cat);
  db.prepare('INSERT INTO customer_facts_owed_context (id, timezone, owed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET owed_at = excluded.owed_at').run(TZ, NOW);
}

/**
 * The whole settle worked out on one connection: the aggregate into `${file}-agg`, the fact rows of
 * every owed customer into `file` (both made first: a connection opened on existing files only
 * cannot create the files it attaches).
 */
function prepareSettleInto(db: RawSqlite, file: string): PreparedSettle {
  const agg = aggregateOwedInto(db, `${file}-agg`);
  return preparedFrom(agg, [prepareFactsInto(db, agg, file, MIN_CUSTOMER_ID, MAX_CUSTOMER_ID)]);
}

describe('a large import whose settle is worked out ahead on a thread of its own', () => {
  const opened: TestDatabase[] = [];
  const open = async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    return db;
  };
  /** prepareSettleInto on a second connection of the database's file, as the settle thread runs it. */
  const prepare = (db: TestDatabase, sliceCheck = true) => {
    const dir = tempDir('rekindle-settle-ahead-test-');
    for (const f of ['settle.sqlite', 'settle.sqlite-agg']) new Database(join(dir, f)).close();
    const other = new Database(db.target.url, { fileMustExist: true });
    try {
      return { prepared: prepareSettleInto(other as unknown as RawSqlite, join(dir, 'settle.sqlite')), sliceCheck };
    } finally {
      other.close();
    }
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
  });

  it('stores the facts a settle in place stores, worked out by the thread while the indexes are built; nothing is left owed', async () => {
    const inPlace = await open();
    const ahead = await open();
    const runs: SettleAheadRun[] = [];
    const r1 = await importShop(inPlace.dataSource);
    const r2 = await importShop(ahead.dataSource, (file, dir) => {
      const run = startImportSettleAhead(file, dir, ENTRY);
      runs.push(run);
      return run;
    });
    expect(r2).toEqual(r1);
    // The thread ran, on the import's file, after its last chunk: every owed row of the large import
    // aggregated, the fact rows of the customers below the middle one worked out by the thread
    // (the importing thread worked out the rest).
    expect(runs).toHaveLength(1);
    const aggregate = await runs[0].aggregate;
    expect(aggregate).toMatchObject({ customers: CUSTOMERS });
    expect(aggregate!.maxOwedId).toBeGreaterThan(0);
    const lower = await runs[0].part;
    expect(lower).toMatchObject({ hi: aggregate!.split, customers: CUSTOMERS / 2 });
    expect(await facts(ahead.dataSource)).toEqual(await facts(inPlace.dataSource));
    expect(factsOwed(rawSqlite(ahead.dataSource))).toBe(false);
    expect(await ahead.dataSource.query('SELECT count(*) AS n FROM customer_facts_owed_context')).toEqual([{ n: 0 }]);
  });

  it('writes the prepared values: a customer settled ahead has its owed orders counted once, its sets united with what it had', async () => {
    const db = await open();
    await importShop(db.dataSource);
    const before = (await db.dataSource.query('SELECT order_count, categories FROM customer_facts WHERE customer_id = 1'))[0];
    owe(rawSqlite(db.dataSource), [[1, 12.5, 'hats'], [1, 7.25, 'dress']]);
    const { prepared } = prepare(db);
    expect(await applyPreparedSettle(db.dataSource, prepared, dataVersion(rawSqlite(db.dataSource)))).toBe(true);
    const after = (await db.dataSource.query('SELECT order_count, categories FROM customer_facts WHERE customer_id = 1'))[0];
    expect(after.order_count).toBe(before.order_count + 2);
    expect(after.categories).toBe([...new Set([...before.categories.split('|').filter(Boolean), 'hats', 'dress'])].sort().map((c) => `|${c}`).join('') + '|');
    expect(factsOwed(rawSqlite(db.dataSource))).toBe(false);
  });

  it('applies the fact rows worked out in two halves on two connections at once as the settle in place would, whole or in slices', async () => {
    const rows: [number, number, string][] = [[1, 12.5, 'hats'], [1, 3, 'dress'], [99, 4, 'coat'], [150, 8, 'caps'], [151, 2.5, 'hats'], [260, 9, 'coat'], [299, 1, 'tops']];
    for (const sliceIds of [undefined, 100]) {
      const reference = await open();
      const db = await open();
      for (const d of [reference, db]) {
        await importShop(d.dataSource);
        owe(rawSqlite(d.dataSource), rows);
      }
      const dir = tempDir('rekindle-settle-ahead-test-');
      for (const f of ['aggregate.sqlite', 'lower.sqlite']) new Database(join(dir, f)).close();
      // The settle thread's connection: the aggregate and the lower half; the importing connection: the upper half.
      const other = new Database(db.target.url, { fileMustExist: true });
      let aggregate: OwedAggregate;
      let lower: PreparedPart;
      try {
        aggregate = aggregateOwedInto(other as unknown as RawSqlite, join(dir, 'aggregate.sqlite'));
        lower = prepareFactsInto(other as unknown as RawSqlite, aggregate, join(dir, 'lower.sqlite'), MIN_CUSTOMER_ID, aggregate.split);
      } finally {
        other.close();
      }
      expect(aggregate).toMatchObject({ customers: 6, split: 151 });
      const upper = prepareFactsInto(rawSqlite(db.dataSource), aggregate, join(dir, 'upper.sqlite'), aggregate.split, MAX_CUSTOMER_ID);
      expect([lower.customers, upper.customers]).toEqual([3, 3]);
      const prepared = preparedFrom(aggregate, [lower, upper]);
      expect(prepared).toMatchObject({ customers: 6, missing: 0 });
      expect(await applyPreparedSettle(db.dataSource, prepared, dataVersion(rawSqlite(db.dataSource)), sliceIds, sliceIds ? 0 : undefined)).toBe(true);
      expect(factsOwed(rawSqlite(db.dataSource))).toBe(false);
      await settleOwedFacts(reference.dataSource);
      expect(await facts(db.dataSource)).toEqual(await facts(reference.dataSource));
    }
  });

  it('writes nothing it prepared once another connection committed to the database since: the facts are then settled in place, exact', async () => {
    const reference = await open();
    const db = await open();
    for (const d of [reference, db]) {
      await importShop(d.dataSource);
      owe(rawSqlite(d.dataSource), [[1, 12.5, 'hats'], [2, 3.5, 'tops'], [260, 9, 'coat']]);
    }
    const version = dataVersion(rawSqlite(db.dataSource));
    const { prepared } = prepare(db);
    // Another connection settles owed facts (as a server reading facts would) and owes one more order.
    const other = new Database(db.target.url, { fileMustExist: true });
    other.prepare('UPDATE customer_facts SET order_count = order_count + 1 WHERE customer_id = 2').run();
    other.close();
    await reference.dataSource.query('UPDATE customer_facts SET order_count = order_count + 1 WHERE customer_id = 2');
    expect(await applyPreparedSettle(db.dataSource, prepared, version)).toBe(false);
    expect(factsOwed(rawSqlite(db.dataSource))).toBe(true);
    await settleOwedFacts(db.dataSource);
    await settleOwedFacts(reference.dataSource);
    expect(await facts(db.dataSource)).toEqual(await facts(reference.dataSource));
  });

  it('writes a whole prepared settle in one transaction and drops the owed rows without writing their pages again', async () => {
    const db = await open();
    await importShop(db.dataSource);
    const raw = rawSqlite(db.dataSource) as RawSqlite & { pragma(s: string): { busy: number; log: number; checkpointed: number }[] };
    const walFrames = () => raw.pragma('wal_checkpoint(PASSIVE)')[0].log;
    raw.pragma('wal_checkpoint(TRUNCATE)');
    // Many owed rows of every customer, spread over many pages, as a large import leaves them.
    const rows: [number, number, string][] = [];
    for (let i = 0; i < 6_000; i++) rows.push([1 + (i % CUSTOMERS), 1 + (i % 7), `category-with-a-long-name-${i % 11}`]);
    raw.prepare('BEGIN').run();
    owe(raw, rows);
    raw.prepare('COMMIT').run();
    const owedPages = walFrames();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    const { prepared } = prepare(db);
    const reference = await open();
    await importShop(reference.dataSource);
    owe(rawSqlite(reference.dataSource), rows);
    await settleOwedFacts(reference.dataSource, 100);
    // Slices of 100 ids would be three transactions, each rewriting every page still holding another
    // slice's rows (242 WAL frames against the owed rows' 137 when this was written; whole: 81).
    expect(await applyPreparedSettle(db.dataSource, prepared, dataVersion(raw), 100)).toBe(true);
    expect(owedPages).toBeGreaterThan(100);
    expect(walFrames()).toBeLessThan(owedPages);
    expect(factsOwed(raw)).toBe(false);
    expect(await db.dataSource.query('SELECT count(*) AS n FROM customer_facts_owed_context')).toEqual([{ n: 0 }]);
    expect(await facts(db.dataSource)).toEqual(await facts(reference.dataSource));
  });

  it('applies in slices when rows were owed after the snapshot: those stay owed, settled in place after, exact', async () => {
    const reference = await open();
    const db = await open();
    for (const d of [reference, db]) {
      await importShop(d.dataSource);
      owe(rawSqlite(d.dataSource), [[1, 12.5, 'hats'], [260, 9, 'coat']]);
    }
    const { prepared } = prepare(db);
    const raw = rawSqlite(db.dataSource);
    // Owed by this connection after the snapshot (not seen by data_version): not the snapshot's rows.
    for (const d of [reference, db]) owe(rawSqlite(d.dataSource), [[2, 3.5, 'tops']]);
    expect(await applyPreparedSettle(db.dataSource, prepared, dataVersion(raw))).toBe(true);
    expect(await db.dataSource.query('SELECT customer_id FROM customer_facts_owed')).toEqual([{ customer_id: 2 }]);
    await settleOwedFacts(db.dataSource);
    await settleOwedFacts(reference.dataSource);
    expect(await facts(db.dataSource)).toEqual(await facts(reference.dataSource));
  });

  it('starts its thread without loading TypeORM: the importing thread waits for its aggregate, not for modules it never uses', async () => {
    const db = await open();
    await importShop(db.dataSource);
    owe(rawSqlite(db.dataSource), [[1, 12.5, 'hats'], [2, 7.25, 'caps'], [3, 9, 'hats']]);
    const dir = tempDir('rekindle-settle-ahead-modules-');
    const log = join(dir, 'imports.log');
    writeFileSync(log, '');
    // A process of its own with the import recorder (it sees worker threads' imports too), running
    // only the thread's starter from dist/ on the shop's file, as the CLI's import does at its end.
    const script = join(dir, 'settle-ahead.mjs');
    writeFileSync(
      script,
      `const { startImportSettleAhead } = await import(${JSON.stringify(new URL('../../dist/server/src/runtime/import-settle-ahead.js', import.meta.url).href)});
      const run = startImportSettleAhead(${JSON.stringify(db.target.url)}, ${JSON.stringify(dir)});
      const aggregate = await run.aggregate;
      const part = await run.part;
      console.log(JSON.stringify({ customers: aggregate?.customers ?? null, part: part !== null }));
      process.exit(0);`,
    );
    const out = execFileSync(process.execPath, ['--import', './tests/support/record-imports.mjs', script], { env: { ...process.env, REKINDLE_IMPORTS_LOG: log }, encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({ customers: 3, part: true });
    const imported = new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean));
    expect(imported).toContain('better-sqlite3'); // the thread's own import: the recorder saw the thread
    expect([...imported].filter((s) => /^typeorm|^@nestjs\//.test(s))).toEqual([]);
  });

  it('writes its scratch file without a rollback journal: nothing of it must survive a crash', async () => {
    const db = await open();
    await importShop(db.dataSource);
    owe(rawSqlite(db.dataSource), [[1, 12.5, 'hats'], [1, 3, 'caps'], [2, 7.25, 'hats'], [2, 1, 'caps'], [3, 9, 'hats'], [3, 2, 'caps']]);
    const dir = tempDir('rekindle-settle-ahead-test-');
    const scratch = join(dir, 'settle.sqlite');
    for (const f of [scratch, `${scratch}-agg`]) new Database(f).close();
    const other = new Database(db.target.url, { fileMustExist: true });
    try {
      // Looked at while the thread's transaction writes the scratch rows (the set union runs for each of them).
      prepareConnection(other as unknown as RawSqlite);
      const journalSeen: boolean[] = [];
      other.function('rekindle_set_union', { deterministic: true }, (stored: unknown, added: unknown) => {
        journalSeen.push(existsSync(`${scratch}-journal`));
        return unionSetText(stored, added);
      });
      expect(prepareSettleInto(other as unknown as RawSqlite, scratch)).toMatchObject({ customers: 3, missing: 0 });
      expect(journalSeen.length).toBeGreaterThan(1);
      expect(journalSeen.every((seen) => !seen)).toBe(true);
    } finally {
      other.close();
    }
  });

  it('rolls back a slice whose owed rows are not those it counted (settled meanwhile on the same connection), keeping the slices before it', async () => {
    const db = await open();
    await importShop(db.dataSource);
    owe(rawSqlite(db.dataSource), [[1, 12.5, 'hats'], [260, 9, 'coat']]);
    const { prepared } = prepare(db);
    const raw = rawSqlite(db.dataSource);
    // The second slice's customer (260, slices of 200 ids) has its owed row removed behind the prepared settle's back.
    raw.prepare('DELETE FROM customer_facts_owed WHERE customer_id = 260').run();
    const c260 = await db.dataSource.query('SELECT * FROM customer_facts WHERE customer_id = 260');
    const c1 = (await db.dataSource.query('SELECT order_count FROM customer_facts WHERE customer_id = 1'))[0].order_count;
    expect(await applyPreparedSettle(db.dataSource, prepared, dataVersion(raw), 200)).toBe(false);
    // Slice 1 (customer 1) applied whole; slice 2 rolled back: customer 260's row as it was.
    expect((await db.dataSource.query('SELECT order_count FROM customer_facts WHERE customer_id = 1'))[0].order_count).toBe(c1 + 1);
    expect(await db.dataSource.query('SELECT * FROM customer_facts WHERE customer_id = 260')).toEqual(c260);
    expect(factsOwed(raw)).toBe(false);
  });
});
