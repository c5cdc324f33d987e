/**
 * Entry point of an import's settle thread (started by import-settle-ahead.ts): works out the
 * settle of the import's owed facts on a connection of its own (persistence/owed-facts-ahead.ts)
 * while the importing thread builds the paused indexes again — first the aggregate of every owed
 * row (posted as soon as it is there, so that the importing thread can work out the upper half
 * of the fact rows from it), then the lower half of the fact rows. It only reads the shop's
 * database; it writes its scratch files alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { aggregateOwedInto, prepareFactsInto, type OwedAggregate, type PreparedPart } from '../persistence/owed-facts-ahead.js';
import { MIN_CUSTOMER_ID } from '../persistence/owed-facts-sql.js';
import { INDEX_BUILD_CACHE_KIB } from '../persistence/import-index-build-sorts.js';
import type { RawSqlite } from '../persistence/write-transaction.js';

export interface ImportSettleThreadData {
  /** The shop's database file. */
  file: string;
  /** The scratch file to create for the aggregate. */
  aggregate: string;
  /** The scratch file to create for the lower half of the fact rows. */
  part: string;
}

/** Two messages: the aggregate, then the lower half (or one failure, which ends both). */
export type FromImportSettleThread = { ok: true; aggregate: OwedAggregate } | { ok: true; part: PreparedPart } | { ok: false; error: string };

const data = workerData as ImportSettleThreadData;
const post = (m: FromImportSettleThread) => parentPort!.postMessage(m);
try {
  // The scratch files made first: a connection opened on an existing file only (fileMustExist) cannot create files it attaches.
  new Database(data.aggregate).close();
  new Database(data.part).close();
  const db = new Database(data.file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The aggregate's sort of every owed row in small runs merged by SQLite's sorter, not one
    // in-memory sort of them all (a 1M import's prepare: ~3.5 → ~2.2–2.6 s CPU; the reason is the
    // index builds', persistence/import-index-build-sorts.ts): temporary storage on file (SQLite's
    // sorter never spills with it in memory), a small cache (the run size).
    db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
    db.pragma('temp_store = file');
    const raw = db as unknown as RawSqlite;
    const aggregate = aggregateOwedInto(raw, data.aggregate);
    post({ ok: true, aggregate });
    post({ ok: true, part: prepareFactsInto(raw, aggregate, data.part, MIN_CUSTOMER_ID, aggregate.split) });
  } finally {
    db.close();
  }
} catch (e) {
  post({ ok: false, error: (e as Error).message });
}
