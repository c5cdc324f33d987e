import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../core/clock.js';
import { notifyListeners, type CustomerEventListener, type StoredCustomerEvent } from '../core/data/event-listener.js';
import type { CustomerInput, EventInput, OrderInput } from '../core/data/model.js';
import { emptyReport, MAX_REPORTED_ERRORS, type ImportReport, type RowError } from '../core/data/import/report.js';
import { checkHeader, ImportColumnError } from '../core/data/import/column-check.js';
import { ignoredColumns, type ImportKind, type InputOf, type RowIssue } from '../core/data/import/row-mapper.js';
import type { ByteSource, ImportFormat } from '../core/data/import/row-reader.js';
import { parseRows, type RowParser } from '../core/data/import/parsed-rows.js';
import type { StagedOrder } from '../core/data/import/staged-order.js';
import { isSqlite, rawSqlite, writeTransaction } from './write-transaction.js';
import { DEFAULT_CLIENT, type NewCustomerEvent } from './event-log.js';
import { erasedRowMessage, liveCustomerIdsByExternalId, recordEvents, upsertCustomers, upsertOrders, type RowOutcome } from './shop-repository.js';
import { analyzeIfStale } from './pg-statistics.js';
import { importTempStoreInMemory } from './import-temp-store.js';
import { settleOwedFacts } from './owed-facts.js';
import { factsOwed, MAX_CUSTOMER_ID } from './owed-facts-sql.js';
import { attachStageFile, detachStageFile } from './order-chunk-sqlite.js';
import { stageFilePath, type StageFiles } from '../core/data/import/stage-file.js';
import { rmSync } from 'node:fs';
import { makeStageDir } from './import-stage-dirs.js';
import { tmpdir } from 'node:os';
import { pausedIndexes, pauseIndexesIn, restorePausedIndexes, restorePausedIndexesIn, worthPausing } from './import-index-pause.js';
import { applyPreparedSettle, dataVersion, preparedFrom, prepareFactsInto, type OwedAggregate, type PreparedPart, type PreparedSettle } from './owed-facts-ahead.js';
import { join } from 'node:path';

/**
 * Streams an import file into the database: rows are read one at a time, validated in full,
 * and written in batches (one transaction per batch, facts of touched customers refreshed in
 * the same transaction). Memory holds one batch, whatever the size of the file.
 */
/**
 * Rows per batch (= per transaction). Large on purpose: an order touches random pages of several
 * indexes (orders and events by customer, event keys, fact rows), and every commit writes each
 * page it dirtied to the WAL once: at 5,000 rows a 1M-order import spent a fifth of its time
 * committing the same pages over and over. Not larger: a batch holds SQLite's write lock, and a
 * server writing to the same file (its engine, event intake) waits at most `busy_timeout` (5 s)
 * for it; 25,000 rows took 2–4 s on a loaded 2-core machine. Memory stays bounded by the batch.
 */
export const DEFAULT_BATCH_SIZE = 25_000;
/**
 * Batch size of imports into a serving process (REST): on SQLite a batch holds the single writer,
 * so event intake and the engine wait for it; 5,000 rows keep that wait well under a second.
 */
export const LIVE_BATCH_SIZE = 5000;

export interface ImportOptions {
  kind: ImportKind;
  format: ImportFormat;
  source: ByteSource;
  /** Name used in the report and in error lines (`customers.csv:17: email: ...`). */
  file: string;
  timezone: string;
  clock: Clock;
  batchSize?: number;
  /** Told about customer events stored for the first time (order events, imported events). */
  listeners?: readonly CustomerEventListener[];
  onBytes?: (bytesRead: number) => void;
  /** Rows read so far, after each written batch (the CLI's progress bar shows rows and rows/s). */
  onRows?: (rows: number) => void;
  /**
   * What the import does after its last batch, as each step starts (the CLI's bar shows it): only
   * steps that run — SQLite: 'building indexes' when this import paused them, 'adding facts' when
   * orders owe their facts; PostgreSQL: 'updating planner statistics' (its facts are added per
   * batch and it pauses no index).
   */
  onStage?: (stage: ImportStage) => void;
  /** Each row error as it is found (the CLI prints them while the import goes on). */
  onError?: (e: RowError) => void;
  /**
   * Who parses and validates the rows: in this thread by default; the CLI and the REST route
   * pass a parser thread (runtime/import-parser.ts), which parses the next batch while this
   * thread writes the current one.
   */
  parser?: RowParser;
  /**
   * The file's size in bytes, when known (the CLI's file, the REST route's spooled upload): an
   * orders import large against the stored orders then leaves the two by-customer indexes out
   * while it writes and builds them once at its end (SQLite; import-index-pause.ts).
   */
  fileBytes?: number;
  /** Where an orders import on SQLite parsed in a thread stages its batches (a directory of its own is made in it); default os.tmpdir(). */
  tempDir?: string;
  /**
   * The idempotency-key namespace of an events file: the uploading API token's, as for its
   * `POST /api/events` (api/events/event-request.ts clientIdOf); DEFAULT_CLIENT for the CLI and
   * people signed in.
   */
  clientId?: string;
  /**
   * Moves the connection's WAL checkpoints onto a thread of their own while the import runs, for a
   * connection that checkpoints its own commits (runtime/import-checkpointer.ts, handed in by the
   * CLI and the benches with their parser thread); returns the function that stops it, or null.
   */
  offThreadCheckpoints?: OffThreadCheckpoints;
  /**
   * Works out a large SQLite import's settle of owed facts on a thread of its own while this
   * thread builds the paused indexes again (runtime/import-settle-ahead.ts, persistence/owed-facts-ahead.ts).
   * Only for a connection the import has to itself: handed in by the CLI and the benches.
   */
  settleAhead?: SettleAhead;
}

export type ImportStage = 'building indexes' | 'adding facts' | 'updating planner statistics';

/**
 * Starts working out the settle of a database file's owed facts on another connection, with
 * scratch files in `dir`: the aggregate of the owed rows, then the lower half of the fact rows
 * (owed-facts-ahead.ts); each null when it could not.
 */
export type SettleAhead = (file: string, dir: string) => SettleAheadRun;
export interface SettleAheadRun {
  aggregate: Promise<OwedAggregate | null>;
  part: Promise<PreparedPart | null>;
}

/** Starts a connection's WAL checkpoints on a thread of their own; the function that stops them (awaiting the last), or null where it does not apply. */
export type OffThreadCheckpoints = (ds: DataSource, ownCheckpoints: number) => Promise<(() => Promise<void>) | null>;

interface PendingRow<K extends ImportKind> {
  line: number;
  /** Absent for an order staged into a file by the parser thread (`stagedIn`): the file holds it. */
  input?: InputOf<K>;
  /** Orders on SQLite: what the parser computed for the bulk path (ParseOptions.stageOrders). */
  staged?: StagedOrder;
  /** Orders on SQLite, parsed in a thread: the staged-orders file (= batch) holding them (ParseOptions.stageFiles). */
  stagedIn?: number;
}

interface BatchResult {
  outcomes?: RowOutcome[];
  created: number;
  unchanged: number;
  events: StoredCustomerEvent[];
  /** Order events stored (orders: may exceed events.length, which is filled only for listeners). */
  eventCount?: number;
  failures: { index: number; issue: RowIssue }[];
}

async function writeEvents(m: EntityManager, inputs: EventInput[], now: number, clientId: string): Promise<BatchResult> {
  const { ids, erased } = await liveCustomerIdsByExternalId(m, inputs.map((i) => i.customerExternalId));
  const failures: BatchResult['failures'] = [];
  const known: NewCustomerEvent[] = [];
  const indexOf: number[] = [];
  for (const [index, e] of inputs.entries()) {
    const customerId = ids.get(e.customerExternalId);
    const erasedAt = customerId === undefined ? erased.get(e.customerExternalId) : undefined;
    if (erasedAt !== undefined) failures.push({ index, issue: { field: 'customerExternalId', message: erasedRowMessage(e.customerExternalId, erasedAt) } });
    else if (customerId === undefined) failures.push({ index, issue: { field: 'customerExternalId', message: `unknown customer "${e.customerExternalId}"` } });
    else {
      // An event file is its sender's data, in the same key namespace as its API calls: a feed that
      // back-fills over REST what it already posted must meet its own keys, not store them again.
      known.push({ customerId, type: e.type, properties: e.properties, occurredAt: e.occurredAt, idempotencyKey: e.idempotencyKey, clientId });
      indexOf.push(index);
    }
  }
  const r = await recordEvents(m, known, now);
  for (const c of r.conflicts) failures.push({ index: indexOf[c.index], issue: { field: 'idempotencyKey', message: `"${c.idempotencyKey}" was already used for a different event (customer, type, occurredAt or properties differ)` } });
  return { created: r.inserted.length, unchanged: r.duplicates, events: r.inserted, failures };
}

/**
 * SQLite settings for the length of an import (the connection's own are restored after it):
 * a larger page cache, since an import touches indexes of large tables (orders by customer,
 * events by customer and key, fact rows) all over; and WAL checkpoints every 65,536 pages of WAL
 * (256 MB with SQLite's 4 KB pages) instead of the connection's 64 MB (data-source.ts), so a page
 * that many chunks touch is copied back to the database file
 * less often (fact rows and index pages are dirtied again by nearly every chunk; 256 MB instead of
 * 64 MB took ~15–20% off the importing thread's CPU at 1M orders, bench/README.md). The WAL file keeps
 * that size after the import (SQLite reuses it). Durability is unchanged: every chunk still commits
 * (synchronous stays NORMAL). A connection that does not checkpoint itself (the server's request
 * connection: its checkpointer thread does, runtime/wal-checkpointer.ts, so that no request waits
 * for one) is left so. An import given a parser (a large file) moves them onto a thread of its own
 * instead (offThreadCheckpoints: runtime/import-checkpointer.ts); the 65,536 then only hold until that thread is up, or if it stops.
 */
const IMPORT_PRAGMAS = { cache_size: -131072, wal_autocheckpoint: 65536 } as const;

const importSessions = new WeakMap<object, { count: number; saved: [string, number][]; checkpointer: Promise<(() => Promise<void>) | null> }>();

/**
 * Applies IMPORT_PRAGMAS while at least one import runs on the connection (imports may overlap),
 * and moves the connection's WAL checkpoints onto a thread of their own for that time
 * (the caller's offThreadCheckpoints, runtime/import-checkpointer.ts) when it checkpoints its own commits.
 */
async function sqliteImportSession(ds: DataSource, opts: Pick<ImportOptions, 'parser' | 'offThreadCheckpoints'>): Promise<() => Promise<void>> {
  if (!isSqlite(ds)) return async () => {};
  const db = rawSqlite(ds) as unknown as { pragma(s: string, o?: { simple: boolean }): unknown };
  let session = importSessions.get(db);
  if (!session) {
    const saved = Object.keys(IMPORT_PRAGMAS).map((k): [string, number] => [k, Number(db.pragma(k, { simple: true }))]);
    const own = new Map(saved).get('wal_autocheckpoint')!;
    for (const [k, v] of Object.entries(IMPORT_PRAGMAS)) if (!(k === 'wal_autocheckpoint' && own === 0)) db.pragma(`${k} = ${v}`);
    // A thread only for imports that parse in a thread (files large enough, PARSER_THREAD_MIN_BYTES):
    // a small one would spend longer starting it than checkpointing.
    const offThread = opts.parser !== undefined && own !== 0 ? opts.offThreadCheckpoints : undefined;
    session = { count: 0, saved, checkpointer: offThread ? offThread(ds, IMPORT_PRAGMAS.wal_autocheckpoint).catch(() => null) : Promise.resolve(null) };
    importSessions.set(db, session);
  }
  session.count++;
  const s = session;
  await s.checkpointer;
  const restoreTempStore = importTempStoreInMemory(db as Parameters<typeof importTempStoreInMemory>[0]);
  return async () => {
    restoreTempStore();
    if (--s.count > 0) return;
    importSessions.delete(db);
    try {
      await (await s.checkpointer)?.();
    } finally {
      for (const [k, v] of s.saved) db.pragma(`${k} = ${v}`);
    }
  };
}

export async function importRows(ds: DataSource, opts: ImportOptions): Promise<ImportReport> {
  const restore = await sqliteImportSession(ds, opts);
  try {
    let report: ImportReport;
    try {
      report = await importRowsIn(ds, opts);
    } catch (e) {
      // Indexes this import paused are built again whatever stopped it (a failed chunk rolled its
      // own pause back already); if even that fails, the next process to open the database does.
      await restorePausedIndexes(ds).catch(() => undefined);
      throw e;
    }
    // The settle worked out on another thread meanwhile, for a large import (owed-facts-ahead.ts).
    const ahead = startSettleAhead(ds, opts);
    try {
      // Before the facts are settled: a customer without a fact row is recomputed from its orders.
      try {
        if (isSqlite(ds) && pausedIndexes(rawSqlite(ds)).length > 0) opts.onStage?.('building indexes');
        await restorePausedIndexes(ds);
      } catch (e) {
        throw new Error(`${opts.file}: the rows were written, but the orders' and events' by-customer indexes could not be built again (built when the database is next opened): ${(e as Error).message}`);
      }
      // The orders' facts, owed by each chunk (owed-facts.ts), added once for the whole file: as
      // worked out ahead where that still holds, then whatever is left in place. If that fails they
      // stay owed (each slice whole), and the next read of facts adds them.
      try {
        if (isSqlite(ds) && factsOwed(rawSqlite(ds))) opts.onStage?.('adding facts');
        const prepared = ahead ? await preparedAhead(ds, ahead) : null;
        if (ahead && prepared) await applyPreparedSettle(ds, prepared, ahead.version);
        await settleOwedFacts(ds);
      } catch (e) {
        throw new Error(`${opts.file}: the orders were written, but their customers' facts are not updated yet (the next read of facts does it): ${(e as Error).message}`);
      }
    } finally {
      if (ahead) {
        await ahead.run.part; // the thread done with the directory (a failure is null: caught in startSettleAhead)
        rmSync(ahead.dir, { recursive: true, force: true });
      }
    }
    return report;
  } catch (e) {
    // Chunks written before the failure owe their facts: settled now, or by the next reader.
    await settleOwedFacts(ds).catch(() => undefined);
    throw e;
  } finally {
    await restore();
  }
}

/**
 * Starts working out the settle on another thread (ImportOptions.settleAhead) when this import
 * left facts owed and paused the indexes (a large import: the settle then overlaps their builds),
 * on a database file; the importing connection's data_version read first, so that a commit by any
 * other connection from here on makes the prepared values unused (owed-facts-ahead.ts).
 */
function startSettleAhead(ds: DataSource, opts: ImportOptions): { run: SettleAheadRun; version: number; dir: string } | null {
  if (!opts.settleAhead || !isSqlite(ds)) return null;
  const db = rawSqlite(ds);
  const file = (db as unknown as { name: string }).name;
  if (!file || file === ':memory:' || pausedIndexes(db).length === 0 || !factsOwed(db)) return null;
  const version = dataVersion(db);
  const dir = makeStageDir(opts.tempDir ?? tmpdir());
  const run = opts.settleAhead(file, dir);
  return { run: { aggregate: run.aggregate.catch(() => null), part: run.part.catch(() => null) }, version, dir };
}

/**
 * The settle worked out ahead, once the indexes are built: this thread, otherwise idle until the
 * settle thread is done, works out the upper half of the fact rows from the settle thread's
 * aggregate while that thread works out the lower half (owed-facts-ahead.ts). Null when either
 * could not: the facts are then settled in place.
 */
async function preparedAhead(ds: DataSource, ahead: { run: SettleAheadRun; dir: string }): Promise<PreparedSettle | null> {
  const aggregate = await ahead.run.aggregate;
  if (!aggregate) return null;
  let upper: PreparedPart;
  try {
    upper = prepareFactsInto(rawSqlite(ds), aggregate, join(ahead.dir, 'facts-upper.sqlite'), aggregate.split, MAX_CUSTOMER_ID);
  } catch {
    return null;
  }
  const lower = await ahead.run.part;
  return lower ? preparedFrom(aggregate, [lower, upper]) : null;
}

async function importRowsIn(ds: DataSource, opts: ImportOptions): Promise<ImportReport> {
  // SQLite orders parsed in a thread: that thread writes the staged values into a file per batch
  // (stage-file.ts) in a directory of this import's own, removed when it ends, whatever ends it.
  // (An in-process parser ignores it: it would only move the same work onto the same thread.)
  const stageFiles: StageFiles | undefined =
    opts.kind === 'orders' && isSqlite(ds) && opts.parser ? { dir: makeStageDir(opts.tempDir ?? tmpdir()), rows: opts.batchSize ?? DEFAULT_BATCH_SIZE } : undefined;
  try {
    return await importRowsWith(ds, opts, stageFiles);
  } finally {
    if (stageFiles) rmSync(stageFiles.dir, { recursive: true, force: true });
  }
}

async function importRowsWith(ds: DataSource, opts: ImportOptions, stageFiles: StageFiles | undefined): Promise<ImportReport> {
  const { kind, format, file } = opts;
  const report = emptyReport(file, kind, format);
  if (kind === 'orders') report.eventsRecorded = 0;
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  // SQLite's bulk path binds each new order's staged values; the parser (its own thread, usually)
  // computes them, so the thread holding the write lock does not (staged-order.ts).
  const stageOrders = kind === 'orders' && isSqlite(ds);
  // A large import of orders leaves the by-customer indexes out (import-index-pause.ts): decided
  // once, before the first chunk; the drop is part of that chunk's transaction.
  let pause = stageOrders && opts.fileBytes !== undefined && worthPausing(rawSqlite(ds), opts.fileBytes);
  /** The next batch's staged-orders file (stageFiles). */
  let nextStageFile = 0;
  /** The indexes are paused by this import and not yet given back. */
  let paused = false;

  const fail = (line: number, issues: RowIssue[]) => {
    report.failed++;
    for (const issue of issues) {
      const e = { line, ...issue };
      opts.onError?.(e);
      if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push(e);
      else report.errorsOmitted++;
    }
  };

  const flush = async (batch: PendingRow<ImportKind>[]) => {
    if (batch.length === 0) return;
    const now = opts.clock.now();
    const ctx = { now, timezone: opts.timezone };
    // Orders staged into a file have no input here (`stagedIn`): writeStagedFileChunk reads what it needs from the file.
    const inputs = batch.map((b) => b.input) as InputOf<ImportKind>[];
    // Staged into a file by the parser thread: the whole batch is file k (checked again by the count of its rows).
    let stageFile: string | undefined;
    let stageSchema: string | undefined;
    if (batch[0].stagedIn !== undefined) {
      const k = nextStageFile++;
      if (batch[0].stagedIn !== k || batch[batch.length - 1].stagedIn !== k) throw new Error(`${file}: lines ${batch[0].line}-${batch[batch.length - 1].line}: the batch is not staged-orders file ${k}`);
      stageFile = stageFilePath(stageFiles!.dir, k);
    }
    let result: BatchResult;
    try {
      result = await writeTransaction(ds, async (m): Promise<BatchResult> => {
        if (kind === 'customers') return outcomesResult(await upsertCustomers(m, inputs as CustomerInput[], ctx));
        if (kind === 'orders') {
          // The stored events as objects only for listeners (a million of them otherwise).
          const staged = stageOrders ? batch.map((b) => b.staged) : undefined;
          if (pause) {
            pause = false;
            paused = pauseIndexesIn(rawSqlite(ds)) > 0;
          }
          // Rows the row-by-row path writes read orders by customer: the indexes come back first,
          // in this transaction, for the rest of the import.
          const beforeRowByRow = paused
            ? () => {
                restorePausedIndexesIn(rawSqlite(ds));
                paused = false;
              }
            : undefined;
          if (stageFile !== undefined) stageSchema = attachStageFile(rawSqlite(ds), stageFile);
          const r = await upsertOrders(m, inputs as OrderInput[], ctx, { events: (opts.listeners?.length ?? 0) > 0, staged, oweFacts: true, beforeRowByRow, stageSchema });
          return { ...outcomesResult(r), events: r.events, eventCount: r.eventCount };
        }
        return writeEvents(m, inputs as EventInput[], now, opts.clientId ?? DEFAULT_CLIENT);
      });
    } catch (e) {
      throw new Error(`${file}: lines ${batch[0].line}-${batch[batch.length - 1].line}: the batch could not be written (nothing of it was kept): ${(e as Error).message}`);
    } finally {
      if (stageSchema !== undefined) await detachStageFile(rawSqlite(ds), stageSchema);
      if (stageFile !== undefined) rmSync(stageFile, { force: true });
    }
    if (result.outcomes) {
      for (const o of result.outcomes) if (typeof o === 'string') report[o]++;
    } else {
      report.created += result.created;
      report.unchanged += result.unchanged;
    }
    for (const f of result.failures) fail(batch[f.index].line, [f.issue]);
    if (kind === 'orders') report.eventsRecorded! += result.eventCount ?? result.events.length;
    opts.onRows?.(report.rows);
    // After commit: listeners only ever see events that are really stored.
    await notifyListeners(opts.listeners ?? [], result.events);
  };

  let batch: PendingRow<ImportKind>[] = [];
  const parse = opts.parser ?? parseRows;
  // The header comes before the first block: a file without a required column is refused before
  // any row is written (and a header-only file too), so nothing of it is ever half-imported.
  let headerError: string | null = null;
  const blocks = parse(kind, format, opts.source, {
    timezone: opts.timezone,
    now: opts.clock.now(),
    stageOrders,
    stageFiles,
    onBytes: opts.onBytes,
    onHeader: (h) => {
      report.ignoredColumns = ignoredColumns(kind, h);
      const check = checkHeader(kind, h, file);
      report.warnings = check.warnings;
      headerError = check.error;
    },
  });
  for await (const block of blocks) {
    if (headerError) throw new ImportColumnError(headerError);
    for (const row of block) {
      report.rows++;
      if (row.issues !== undefined) {
        fail(row.line, row.issues);
        continue;
      }
      batch.push(row);
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    }
  }
  if (headerError) throw new ImportColumnError(headerError);
  await flush(batch);
  // Fresh planner statistics after a bulk import (PostgreSQL; see pg-statistics.ts).
  if (!isSqlite(ds)) opts.onStage?.('updating planner statistics');
  await analyzeIfStale(ds, ['customers', 'orders', 'customer_facts', 'customer_events']);
  // Rows failing in the database phase (unknown customer) are found after later rows' parse errors.
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

function outcomesResult(r: { outcomes: RowOutcome[] }): BatchResult {
  const failures: BatchResult['failures'] = [];
  r.outcomes.forEach((o, index) => {
    if (typeof o === 'object') failures.push({ index, issue: o });
  });
  return { outcomes: r.outcomes, created: 0, unchanged: 0, events: [], failures };
}
