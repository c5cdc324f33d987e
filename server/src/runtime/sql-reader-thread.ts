/**
 * Entry point of the SQL reader thread (started by sql-reader.ts): long read-only queries —
 * a segment over the whole shop — on a read-only SQLite connection of their own. better-sqlite3
 * is synchronous: run on the request thread, a one-second count holds every other request for
 * that second; here it holds only this thread (WAL: readers never wait for writers).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ReaderGate } from './reader-gate.js';
import { lowerThisThreadPriority } from './thread-priority.js';

export interface SqlReaderData {
  file: string;
  /** The file's ReaderGate (reader-gate.ts): the WAL checkpointer may hold a query back for a moment so that a long WAL can start over. */
  gate?: SharedArrayBuffer;
}

export type ToSqlReader = { id: number; sql: string; params: unknown[]; pluck: boolean };
export type FromSqlReader = { id: number; ok: true; rows: unknown[] } | { id: number; ok: false; error: string };

// Whole-shop scans wait for the request thread on a busy machine, rather than share a core with it.
lowerThisThreadPriority(10);
const db = new Database((workerData as SqlReaderData).file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -65536');
const cache = new Map<string, Database.Statement>();
const gate = (workerData as SqlReaderData).gate ? new ReaderGate((workerData as SqlReaderData).gate) : null;

parentPort!.on('message', (m: ToSqlReader) => {
  try {
    let st = cache.get(m.sql);
    if (!st) {
      if (cache.size >= 500) cache.clear();
      cache.set(m.sql, (st = db.prepare(m.sql)));
    }
    // Each query is a read transaction of its own; between two, the checkpointer may ask for a pause.
    gate?.enter();
    let rows: unknown[];
    try {
      rows = m.pluck ? st.pluck(true).all(...m.params) : st.pluck(false).all(...m.params);
    } finally {
      gate?.leave();
    }
    parentPort!.postMessage({ id: m.id, ok: true, rows } satisfies FromSqlReader);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) } satisfies FromSqlReader);
  }
});
