import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fixedClock } from '../../server/src/core/clock.js';
import { parseRows, type ParsedRow, type RowParser } from '../../server/src/core/data/import/parsed-rows.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { StageFileWriter } from '../../server/src/runtime/import-stage-writer.js';
import { stageOrder } from '../../server/src/core/data/import/staged-order.js';
import type { OrderInput } from '../../server/src/core/data/model.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Issue 9: on SQLite an import's parser thread writes each batch's staged orders into a SQLite file
 * of their own (core/data/import/stage-file.ts), read set-based by the importing thread through an
 * ATTACH, so the thread holding the write lock binds no staged row. Pinned here: the stored
 * outcome is exactly that of the in-process path (values staged by the writer itself), with the
 * batches cut by valid rows only (refused rows in between), rows that must go row by row (repeated
 * in a batch, redeeming a coupon, unknown customer, already stored, changed) and their items read
 * back from the file; of a valid row only its line crosses the thread; the files go when the import ends,
 * whatever ends it.
 */
const ENTRY = new URL('../../dist/server/src/runtime/import-parse-thread.js', import.meta.url);
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const t0 = Date.parse('2024-11-10T17:00:00Z');

const CUSTOMERS = 'externalId,name\nk1,A\nk2,B\nk3,C\n';
// Stored before the file (the second line of s1 changes it; s2 arrives unchanged).
const EARLIER = ['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,coupon,items', `s1,k1,created,8,${t0},,,,x1:bags`, `s2,k2,paid,9,${t0},${t0 + 1},,,x2:tops`].join('\n') + '\n';
const ORDERS =
  [
    'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,coupon,items',
    `a1,k1,paid,10.10,${t0},${t0 + 60_000},,,s1:dress:summer:1`,
    `bad1,k1,paid,not-a-number,${t0},,,,s1:dress`,
    `a2,k2,created,20,${t0 + DAY},,,,s2:coat|wool:winter:1;s3:dress`,
    `q1,k3,paid,9,${t0 + 2 * DAY},${t0 + 2 * DAY},,SAVE5,s4:dress`,
    `q1,k3,refunded,9,${t0 + 2 * DAY},${t0 + 2 * DAY},,SAVE5,s4:dress`,
    `r1,k2,created,30,${t0 + 3 * DAY},,,,s7:bags`,
    `r1,k2,paid,30,${t0 + 3 * DAY},${t0 + 4 * DAY},,,s7:bags`,
    `bad2,,paid,1,${t0},,,,`,
    `u1,nobody,paid,1,${t0},${t0},,,s8:dress`,
    `s1,k1,paid,8,${t0},${t0 + DAY},,,x1:bags`,
    `s2,k2,paid,9,${t0},${t0 + 1},,,x2:tops`,
    `a3,k3,cancelled,7,${t0 + 51 * DAY},,,,s5:bags`,
    `a4,k1,completed,0.2,${t0 + 300 * DAY},${t0 + 300 * DAY},double11,,s9:kids:spring:2:0.1;s10:美妆`,
    `a5,k2,refunded,9,${t0 + 52 * DAY},${t0 + 52 * DAY},,,s6:shoes`,
  ].join('\n') + '\n';

/** The in-process parser with the staged values dropped: the writer computes and binds them itself. */
const writerStaged: RowParser = async function* (kind, format, source, opts) {
  for await (const block of parseRows(kind, format, source, opts)) yield block.map((r): ParsedRow => (r.input ? { line: r.line, input: r.input } : r));
};

/** What crossed from the parser thread. */
function watching(parser: RowParser): { parser: RowParser; rows: ParsedRow[] } {
  const rows: ParsedRow[] = [];
  return {
    rows,
    parser: async function* (kind, format, source, opts) {
      for await (const block of parser(kind, format, source, opts)) {
        rows.push(...block);
        yield block;
      }
    },
  };
}

// Stage directories are made in os.tmpdir() unless told (ImportOptions.tempDir): a private one here (other import tests run in parallel processes).
const TMP = tempDir('rekindle-stage-files-test-');
const stageDirs = () => readdirSync(TMP).filter((d) => d.startsWith('rekindle-import-stage-'));

describe('orders staged into files by the parser thread (SQLite)', () => {
  let threaded: TestDatabase;
  let inProcess: TestDatabase;
  beforeAll(async () => {
    threaded = await openTestDatabase('sqlite');
    inProcess = await openTestDatabase('sqlite');
  });
  afterAll(async () => {
    await threaded?.close();
    await inProcess?.close();
  });

  const load = async (db: TestDatabase, parser: RowParser, batchSize: number) => {
    const clock = fixedClock(NOW);
    await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [CUSTOMERS], file: 'customers.csv', timezone: TZ, clock });
    await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [EARLIER], file: 'earlier.csv', timezone: TZ, clock });
    return importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [ORDERS], file: 'orders.csv', timezone: TZ, clock, batchSize, parser, tempDir: TMP });
  };
  const tables = async (db: TestDatabase) => {
    const out: Record<string, unknown[]> = {};
    for (const [t, key] of [['orders', 'id'], ['customer_events', 'id'], ['event_inbox', 'event_id'], ['customer_facts', 'customer_id'], ['customer_facts_owed', 'rowid'], ['coupons', 'rowid']]) out[t] = await db.dataSource.query(`SELECT * FROM ${t} ORDER BY ${key}`);
    return out;
  };

  it('a thread-parsed import stores exactly what the in-process path stores, batch by batch, and nothing staged crosses the thread', async () => {
    const before = new Set(stageDirs());
    const watched = watching(threadRowParser(3, ENTRY)!);
    // Batches of 3 valid rows: the refused lines shift every later batch against the parser's blocks.
    const a = await load(threaded, watched.parser, 3);
    const b = await load(inProcess, writerStaged, 3);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ rows: 14, failed: 3, created: 7, updated: 3, unchanged: 1 });
    const valid = watched.rows.filter((r) => r.issues === undefined);
    expect(valid.length).toBe(12);
    // Every valid row is in a file, file k = the k-th batch of 3 valid rows; only its line and file
    // crossed (no input, no staged values): the importer read the row-by-row ones' inputs (a coupon
    // order, repeats, an unknown customer, stored ones) back from the file.
    expect(valid.map((r) => r.stagedIn)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    expect(valid.map((r) => Object.keys(r).sort().join())).toEqual(new Array(12).fill('line,stagedIn'));
    const [x, y] = [await tables(threaded), await tables(inProcess)];
    expect(x.orders.length).toBe(9);
    expect(x.customer_facts_owed.length).toBe(0);
    expect(x).toEqual(y);
    // The import's stage directory is gone.
    expect(stageDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it('writes a staged-orders file without a rollback journal file (scratch: nothing of it must survive a crash)', () => {
    const dir = tempDir('rekindle-stage-writer-test-');
    const writer = new StageFileWriter({ dir, rows: 10 });
    const order = { externalId: 'j1', customerExternalId: 'k1', status: 'paid', amount: 10, createdAt: t0, paidAt: t0 + 1, items: [] } as OrderInput;
    writer.add(order, stageOrder(order, TZ));
    writer.add({ ...order, externalId: 'j2' }, stageOrder({ ...order, externalId: 'j2' }, TZ));
    expect(readdirSync(dir).sort()).toEqual(['0.sqlite']);
    writer.close();
    expect(readdirSync(dir).sort()).toEqual(['0.sqlite']);
  });

  it('an import that fails midway removes its staged files too', async () => {
    const db = await openTestDatabase('sqlite');
    try {
      await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [CUSTOMERS], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
      const before = new Set(stageDirs());
      const lines = ORDERS.split('\n');
      async function* source() {
        yield lines.slice(0, 9).join('\n') + '\n';
        await new Promise((resolve) => setTimeout(resolve, 200));
        throw new Error('the upload broke off');
      }
      let failure: Error | null = null;
      try {
        await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: source(), file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 3, parser: threadRowParser(3, ENTRY)!, tempDir: TMP });
      } catch (e) {
        failure = e as Error;
      }
      expect(failure?.message).toContain('the upload broke off');
      expect(stageDirs().filter((d) => !before.has(d))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("the next import removes what a killed import left (its process is gone), never a running one's or other files", async () => {
    // A pid that surely ran and ended: a child that has exited.
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    const killed = join(TMP, `rekindle-import-stage-${gone}-AbC123`);
    const running = join(TMP, `rekindle-import-stage-${process.ppid}-XyZ789`); // this test's parent runs
    const other = join(TMP, 'rekindle-import-stage-notes');
    for (const d of [killed, running]) {
      mkdirSync(d);
      writeFileSync(join(d, 'batch-0.sqlite'), 'staged');
    }
    writeFileSync(other, 'not a stage directory');
    const db = await openTestDatabase('sqlite');
    try {
      await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: [CUSTOMERS], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
      await importRows(db.dataSource, { kind: 'orders', format: 'csv', source: [ORDERS], file: 'orders.csv', timezone: TZ, clock: fixedClock(NOW), batchSize: 3, parser: threadRowParser(3, ENTRY)!, tempDir: TMP });
      expect([existsSync(killed), existsSync(running), existsSync(other)]).toEqual([false, true, true]);
      expect(stageDirs().filter((d) => d !== basename(running) && d !== basename(other))).toEqual([]); // its own is gone too
    } finally {
      rmSync(running, { recursive: true, force: true });
      rmSync(other, { force: true });
      await db.close();
    }
  });
});
