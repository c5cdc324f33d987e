/**
 * Entry point of the WAL checkpointer thread (started by wal-checkpointer.ts): copies the server's
 * SQLite WAL back into the database file on a connection of its own, so that neither writer does.
 * A checkpoint run by a writer's connection runs inside its COMMIT (wal_autocheckpoint), while that
 * thread still holds the shared write lock (shared-write-lock.ts), or between its batches; either
 * way it is the writer's time, and its fsyncs with it. PASSIVE checkpoints never wait for readers
 * or writers and never block them: SQLite lets one checkpointer run beside the one writer, and the
 * writer whose transaction starts after a complete checkpoint starts the WAL over from its beginning.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { lowerThisThreadPriority } from './thread-priority.js';
import type { CheckpointReport, FromWalCheckpointer, ToWalCheckpointer, WalCheckpointerData } from './wal-checkpointer.js';

const data = workerData as WalCheckpointerData;
const port = parentPort!;
lowerThisThreadPriority(data.nice);
const db = new Database(data.file, { fileMustExist: true });
// It never writes; should it ever, it must not checkpoint on its own commits either.
db.pragma('wal_autocheckpoint = 0');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

function checkpoint(): CheckpointReport {
  const row = passive.get() as { busy: number; log: number; checkpointed: number };
  return { busy: row.busy, log: row.log, checkpointed: row.checkpointed };
}

const timer = setInterval(() => {
  try {
    port.postMessage({ type: 'checkpointed', report: checkpoint() } satisfies FromWalCheckpointer);
  } catch (e) {
    port.postMessage({ type: 'log', level: 'error', message: `WAL checkpoint failed: ${(e as Error).message}` } satisfies FromWalCheckpointer);
  }
}, data.intervalMs);

port.on('message', (m: ToWalCheckpointer) => {
  try {
    port.postMessage({ type: 'reply', id: m.id, ok: true, report: checkpoint() } satisfies FromWalCheckpointer);
  } catch (e) {
    port.postMessage({ type: 'reply', id: m.id, ok: false, error: (e as Error).message } satisfies FromWalCheckpointer);
  } finally {
    if (m.type === 'close') {
      clearInterval(timer);
      db.close();
    }
  }
});
port.postMessage({ type: 'ready' } satisfies FromWalCheckpointer);
