/**
 * bench/import: orders from a CSV file into SQLite through the real importer (`importRows`, what
 * `rekindle import orders` and `POST /api/import/orders` run: parse, validate, upsert, order
 * events + inbox, facts owed per chunk and settled once at the end), next to a baseline in the same run: the same CSV
 * parsed with csv-parse and inserted with plain better-sqlite3 prepared statements in
 * transactions of the same size (--batch, default the importer's) into a table with the same columns.
 *
 *   npm run build && npm run bench:import -- [--orders 1000000] [--customers 200000] [--batch <rows per transaction>] [--in-thread] [--db sqlite|postgres]
 *
 * `--db postgres`: the same into a fresh database of the local PostgreSQL (REKINDLE_BENCH_PG_URL,
 * default postgres://postgres@127.0.0.1:5432/postgres; dropped at the end), as `rekindle import
 * orders` runs with DATABASE_URL; the baseline is then csv-parse + one plain `INSERT … SELECT FROM
 * unnest(…)` per batch into a bare table with the same columns, in the same database.
 *
 * The importer parses in its parser thread, as the CLI runs it (`--in-thread`: in the importing
 * thread). Prints rows/s, CPU time per row (the process's, all threads) and peak memory (RSS)
 * of each, the ratios, and the load average.
 */
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { DEFAULT_BATCH_SIZE, importRows } from '../../server/src/persistence/importer.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import type { DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { startImportCheckpointer } from '../../server/src/runtime/import-checkpointer.js';
import { startImportSettleAhead } from '../../server/src/runtime/import-settle-ahead.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { mulberry32 } from '../support/mulberry32.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const ORDERS = arg('orders', 1_000_000);
const CUSTOMERS = arg('customers', Math.max(1, Math.round(ORDERS / 5)));
// Rows per transaction, for the baseline and the importer alike (default: the importer's own).
const BATCH = arg('batch', DEFAULT_BATCH_SIZE);
const TZ = 'Asia/Shanghai';
const DB = process.argv.includes('--db') ? process.argv[process.argv.indexOf('--db') + 1] : 'sqlite';
if (DB !== 'sqlite' && DB !== 'postgres') throw new Error(`--db: expected sqlite or postgres, got "${DB}"`);
const PG_ADMIN = process.env.REKINDLE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function pgAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A database of its own for one part of the run: a file in `dir`, or a fresh PostgreSQL database (dropped by `drop`). */
async function benchDatabase(dir: string, name: string): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (DB === 'sqlite') return { target: { url: join(dir, `${name}.sqlite`) }, drop: async () => {} };
  const db = `rekindle_bench_import_${name}_${process.pid}`;
  await pgAdmin(`DROP DATABASE IF EXISTS ${db}`);
  await pgAdmin(`CREATE DATABASE ${db}`);
  return { target: { url: PG_ADMIN.replace(/\/[^/]*$/, `/${db}`) }, drop: () => pgAdmin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`) };
}

/** The PostgreSQL baseline's batch: one INSERT … SELECT FROM unnest of the rows, in a transaction. */
async function pgPlainBatch(ds: DataSource, rows: string[][]): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: string[]) => unknown) => rows.map(f);
  await ds.transaction((m) =>
    m.query(
      'INSERT INTO plain_orders (external_id, customer, status, amount, created_at, paid_at, promotion, items) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])',
      [col((r) => r[0]), col((r) => r[1]), col((r) => r[2]), col((r) => Number(r[3])), col((r) => Number(r[4])), col((r) => (r[5] ? Number(r[5]) : null)), col((r) => r[6] || null), col((r) => r[7])],
    ),
  );
}
const CATEGORIES = ['dress', 'tops', 'shoes', 'bags', 'beauty', 'kids', 'home', 'coat'];
const SEASONS = ['spring', 'summer', 'autumn', 'winter'];

async function writeLines(file: string, header: string, n: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write(header + '\n');
  for (let i = 0; i < n; i++) if (!out.write(line(i) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/**
 * CPU time of this (the importing) thread alone, in seconds: Linux only (/proc), null elsewhere.
 * With the parser thread, the import's pace is bounded by this thread's CPU per row once a
 * second core is free.
 */
function mainThreadCpuSeconds(): number | null {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) of each live thread of this process, by thread id (Linux; empty elsewhere). */
function threadCpuSeconds(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // not Linux
  }
  return out;
}

/** Jiffies (1/100 s) the whole machine spent busy, all CPUs (/proc/stat; null elsewhere): on PostgreSQL its backends' CPU counts here. */
function machineBusyTicks(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7];
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system) the PostgreSQL backends serving `ds`'s database have used so far,
 * by backend pid (/proc; the backends of the pool's connections live as long as the pool).
 */
async function pgBackendCpu(ds: DataSource): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const { pid } of (await ds.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database()')) as { pid: number }[]) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // gone, or not on this machine
    }
  }
  return out;
}

/**
 * Peak RSS while `fn` runs (sampled every 50 ms), and the CPU time the process spent meanwhile
 * (user + system, all threads: a parser thread counts too). On a shared machine the wall clock
 * depends on the other processes; CPU time per row much less.
 */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number; machineCpuSeconds: number | null; mainCpuSeconds: number | null; busiestOtherCpuSeconds: number | null; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  // Each thread's CPU, sampled with the RSS: a thread that ends (the parser thread) keeps its last
  // sample. The busiest thread besides this one is the parser thread when there is one (the others
  // are V8's GC helpers and libuv's pool), so the bench can say which thread bounds the pace.
  const startCpu = threadCpuSeconds();
  const lastCpu = new Map<string, number>();
  const sample = () => {
    for (const [tid, s] of threadCpuSeconds()) lastCpu.set(tid, s);
  };
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
    sample();
  }, 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mainCpu = mainThreadCpuSeconds();
  const busy = machineBusyTicks();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    const used = process.cpuUsage(cpu);
    const mainAfter = mainThreadCpuSeconds();
    sample();
    let busiest: number | null = null;
    for (const [tid, s] of lastCpu) if (tid !== String(process.pid)) busiest = Math.max(busiest ?? 0, s - (startCpu.get(tid) ?? 0));
    const busyAfter = machineBusyTicks();
    return { result, seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6, machineCpuSeconds: busy === null || busyAfter === null ? null : (busyAfter - busy) / 100, mainCpuSeconds: mainCpu === null || mainAfter === null ? null : mainAfter - mainCpu, busiestOtherCpuSeconds: busiest, peakMb: peak / 1048576 };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-import-'));
  try {
    const rnd = mulberry32(11);
    const base = Date.parse('2024-01-01T00:00:00Z');
    const customersCsv = join(dir, 'customers.csv');
    const ordersCsv = join(dir, 'orders.csv');
    await writeLines(customersCsv, 'externalId,name,province,device,consent_sms', CUSTOMERS, (i) => `c${i},客户${i},浙江,${i % 3 ? 'mobile' : 'pc'},${i % 2 ? 'true' : 'false'}`);
    await writeLines(ordersCsv, 'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items', ORDERS, (i) => {
      const created = base + Math.floor(rnd() * 700 * 86_400_000);
      const paid = rnd() < 0.9;
      const cat = CATEGORIES[Math.floor(rnd() * CATEGORIES.length)];
      const season = SEASONS[Math.floor(rnd() * 4)];
      const amount = (20 + Math.floor(rnd() * 500)).toFixed(2);
      return `o${i},c${Math.floor(rnd() * CUSTOMERS)},${paid ? 'paid' : 'created'},${amount},${created},${paid ? created + 600_000 : ''},${rnd() < 0.1 ? 'double11' : ''},sku-${i % 997}:${cat}:${season}:1:${amount}`;
    });
    console.log(`orders.csv: ${ORDERS.toLocaleString('en')} orders of ${CUSTOMERS.toLocaleString('en')} customers, ${(statSync(ordersCsv).size / 1048576).toFixed(0)} MB; ${BATCH.toLocaleString('en')} rows per transaction; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);

    // Baseline: csv-parse + plain batched inserts into a bare table (better-sqlite3 statements, or
    // one unnest insert per batch on PostgreSQL).
    const baseDb = await benchDatabase(dir, 'baseline');
    const baseDs = await openDatabase(baseDb.target);
    let writeBatch: (rows: string[][]) => unknown;
    if (DB === 'sqlite') {
      const db = rawSqlite(baseDs);
      db.prepare('CREATE TABLE plain_orders (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, customer TEXT, status TEXT, amount REAL, created_at INTEGER, paid_at INTEGER, promotion TEXT, items TEXT)').run();
      const insert = db.prepare('INSERT INTO plain_orders (external_id, customer, status, amount, created_at, paid_at, promotion, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      writeBatch = db.transaction((rows: string[][]) => {
        for (const r of rows) insert.run(r[0], r[1], r[2], Number(r[3]), Number(r[4]), r[5] ? Number(r[5]) : null, r[6] || null, r[7]);
      });
    } else {
      await baseDs.query('CREATE TABLE plain_orders (id SERIAL PRIMARY KEY, external_id TEXT UNIQUE, customer TEXT, status TEXT, amount DOUBLE PRECISION, created_at BIGINT, paid_at BIGINT, promotion TEXT, items TEXT)');
      writeBatch = (rows) => pgPlainBatch(baseDs, rows);
    }
    const baseline = await measure(async () => {
      let rows: string[][] = [];
      let n = 0;
      for await (const r of createReadStream(ordersCsv).pipe(parse({ from_line: 2 }))) {
        rows.push(r as string[]);
        if (rows.length >= BATCH) {
          await writeBatch(rows);
          n += rows.length;
          rows = [];
        }
      }
      await writeBatch(rows);
      return n + rows.length;
    });
    await baseDs.destroy();
    await baseDb.drop();

    // Rekindle: customers first (not timed), then the orders through the importer.
    const ourDb = await benchDatabase(dir, 'rekindle');
    const ds = await openDatabase(ourDb.target);
    await importRows(ds, { kind: 'customers', format: 'csv', source: createReadStream(customersCsv), file: 'customers.csv', timezone: TZ, clock: systemClock, batchSize: BATCH });
    // As `rekindle import orders` runs it: parsed in its parser thread (--in-thread: in this one).
    const parser = process.argv.includes('--in-thread') ? undefined : (threadRowParser(BATCH) ?? undefined);
    // fileBytes as the CLI passes it (a large file may pause the by-customer indexes; import-index-pause.ts).
    const backendsBefore = DB === 'postgres' ? await pgBackendCpu(ds) : null;
    const ours = await measure(() => importRows(ds, { kind: 'orders', format: 'csv', source: createReadStream(ordersCsv), file: 'orders.csv', timezone: TZ, clock: systemClock, batchSize: BATCH, parser, offThreadCheckpoints: startImportCheckpointer, settleAhead: process.argv.includes('--settle-in-place') ? undefined : (file, out) => startImportSettleAhead(file, out), fileBytes: statSync(ordersCsv).size }));
    let backendSeconds: number | null = null;
    if (backendsBefore) {
      backendSeconds = 0;
      for (const [pid, cpu] of await pgBackendCpu(ds)) backendSeconds += cpu - (backendsBefore.get(pid) ?? 0);
    }
    await ds.destroy();
    await ourDb.drop();
    if (ours.result.failed > 0) throw new Error(`import failed rows: ${JSON.stringify(ours.result.errors.slice(0, 3))}`);

    const rate = (n: number, s: number) => Math.round(n / s);
    const fmt = (n: number) => n.toLocaleString('en');
    const cpuPerRow = (m: { cpuSeconds: number; machineCpuSeconds: number | null }, n: number) =>
      `CPU ${m.cpuSeconds.toFixed(1)} s = ${((m.cpuSeconds * 1e6) / n).toFixed(1)} µs/row${m.machineCpuSeconds === null ? '' : ` (machine ${((m.machineCpuSeconds * 1e6) / n).toFixed(1)} µs/row)`}`;
    console.log(`${DB} baseline (csv-parse + ${DB === 'sqlite' ? 'better-sqlite3 batched inserts' : 'one unnest INSERT a batch'}): ${fmt(baseline.result)} rows in ${baseline.seconds.toFixed(1)} s = ${fmt(rate(baseline.result, baseline.seconds))} rows/s, ${cpuPerRow(baseline, baseline.result)}, peak RSS ${baseline.peakMb.toFixed(0)} MB`);
    console.log(
      `${DB} rekindle import orders: ${fmt(ours.result.created)} orders (+ ${fmt(ours.result.eventsRecorded ?? 0)} events, facts) in ${ours.seconds.toFixed(1)} s = ${fmt(rate(ORDERS, ours.seconds))} rows/s (${(rate(ORDERS, ours.seconds) / rate(baseline.result, baseline.seconds)).toFixed(2)}x baseline; target >= 100,000 rows/s), ${cpuPerRow(ours, ORDERS)} (${(ours.cpuSeconds / baseline.cpuSeconds).toFixed(1)}x the baseline's CPU${ours.mainCpuSeconds === null ? '' : `; importing thread ${((ours.mainCpuSeconds * 1e6) / ORDERS).toFixed(1)} µs/row`}${ours.busiestOtherCpuSeconds === null || process.argv.includes('--in-thread') ? '' : `; parser thread ${((ours.busiestOtherCpuSeconds * 1e6) / ORDERS).toFixed(1)} µs/row`}), peak RSS ${ours.peakMb.toFixed(0)} MB`,
    );
    if (backendSeconds !== null) console.log(`${DB} rekindle import orders: PostgreSQL backends ${backendSeconds.toFixed(1)} s CPU = ${((backendSeconds * 1e6) / ORDERS).toFixed(1)} µs/row`);
    console.log(`load average (1, 5, 15 min) at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
