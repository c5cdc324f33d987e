import type { DataSource } from 'typeorm';
import { hasProcessWriteLock, isSqlite, rawSqlite, setProcessWriteLock } from '../persistence/write-transaction.js';
import { SharedWriteLock } from './shared-write-lock.js';
import { WAL_BACKSTOP_PAGES, WalCheckpointer } from './wal-checkpointer.js';

type Pragmas = { pragma(s: string, o?: { simple: boolean }): unknown; name: string };

/**
 * WAL pages from which the import's checkpointer thread makes the WAL start over (taking the
 * import's write lock between two chunks, wal-checkpointer-thread.ts): the 256 MB the import
 * connection checkpointed at itself before (IMPORT_PRAGMAS' wal_autocheckpoint).
 */
export const IMPORT_RESTART_PAGES = 65_536;

/** Priority of the import's checkpointer thread: the importing thread's (0), not the server's +10 (its copies must keep up with a writer that commits back to back). */
const IMPORT_CHECKPOINTER_NICE = 0;

/**
 * The WAL checkpoints of a SQLite import run on a thread of their own (runtime/wal-checkpointer.ts)
 * instead of inside the importing connection's commits (issue 9). A checkpoint copies every page
 * the chunks committed since the last one from the WAL into the database file and syncs both:
 * inline (wal_autocheckpoint) that was the importing thread's time, the thread that bounds the
 * import's pace; on the checkpointer thread it overlaps the next chunks, and the import's end
 * (index builds, the facts' settle), when the parser thread has nothing left to do.
 *
 * Only where the connection checkpoints its own commits (the CLI, the benches, tests): the server's
 * request connection leaves them to the server's checkpointer thread already (wal_autocheckpoint 0,
 * and a process write lock set), and is left so. The connection keeps a backstop
 * (WAL_BACKSTOP_PAGES) should the thread fall far behind, and checkpoints as before should it stop.
 * The import's transactions take a SharedWriteLock of their own for the time, so that the thread can
 * make a long WAL start over between two chunks (a checkpoint under the lock; otherwise the WAL
 * only grows while chunks commit back to back).
 *
 * Returns the function that stops it (a last checkpoint on the thread, awaited: the import's WAL is
 * copied when the import returns, as far as it was before), or null when it does not apply.
 */
export async function startImportCheckpointer(ds: DataSource, ownCheckpoints: number, entry?: URL): Promise<(() => Promise<void>) | null> {
  // ownCheckpoints is never 0 here: the importer asks only for a connection that checkpoints its own
  // commits, and passes the import's own setting (IMPORT_PRAGMAS.wal_autocheckpoint, 65,536).
  if (!isSqlite(ds) || hasProcessWriteLock(ds)) return null;
  const db = rawSqlite(ds) as unknown as Pragmas;
  const file = db.name;
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return null;
  if (!(entry ? file !== ':memory:' && file !== '' : WalCheckpointer.supported(file))) return null;
  const lock = new SharedWriteLock();
  const checkpointer = new WalCheckpointer(file, () => undefined, { entry, writeLock: lock.buffer, restartPages: IMPORT_RESTART_PAGES, nice: IMPORT_CHECKPOINTER_NICE });
  try {
    await checkpointer.ready;
  } catch {
    await checkpointer.close().catch(() => undefined);
    return null;
  }
  setProcessWriteLock(ds, lock.forRequestThread());
  db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
  // The thread gone mid-import: the connection checkpoints its own commits again.
  checkpointer.onStopped(() => db.pragma(`wal_autocheckpoint = ${ownCheckpoints}`));
  return async () => {
    try {
      await checkpointer.close();
    } finally {
      setProcessWriteLock(ds, null);
      db.pragma(`wal_autocheckpoint = ${ownCheckpoints}`);
    }
  };
}
