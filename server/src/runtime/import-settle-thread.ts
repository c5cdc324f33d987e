/**
 * Entry point of an import's settle thread (started by import-settle-ahead.ts): works out the
 * settle of the import's owed facts on a connection of its own, from one read snapshot, into a
 * scratch file (persistence/owed-facts-ahead.ts), while the importing thread builds the paused
 * indexes again. It only reads the shop's database; it writes the scratch file alone.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareSettleInto, type PreparedSettle } from '../persistence/owed-facts-ahead.js';
import { INDEX_BUILD_CACHE_KIB } from '../persistence/import-index-build-sorts.js';
import type { RawSqlite } from '../persistence/write-transaction.js';

export interface ImportSettleThreadData {
  /** The shop's database file. */
  file: string;
  /** The scratch file to create. */
  out: string;
}

export type FromImportSettleThread = { ok: true; prepared: PreparedSettle } | { ok: false; error: string };

const data = workerData as ImportSettleThreadData;
let reply: FromImportSettleThread;
try {
  // The scratch file made first: a connection opened on an existing file only (fileMustExist) cannot create files it attaches.
  new Database(data.out).close();
  const db = new Database(data.file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The aggregate's sort of every owed row in small runs merged by SQLite's sorter, not one
    // in-memory sort of them all (a 1M import's prepare: ~3.5 → ~2.2–2.6 s CPU; the reason is the
    // index builds', persistence/import-index-build-sorts.ts): temporary storage on file (SQLite's
    // sorter never spills with it in memory), a small cache (the run size).
    db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
    db.pragma('temp_store = file');
    reply = { ok: true, prepared: prepareSettleInto(db as unknown as RawSqlite, data.out) };
  } finally {
    db.close();
  }
} catch (e) {
  reply = { ok: false, error: (e as Error).message };
}
parentPort!.postMessage(reply);
