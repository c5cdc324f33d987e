/**
 * Entry point of the WAL checkpointer thread (started by wal-checkpointer.ts): copies the server's
 * SQLite WAL back into the database file on a connection of its own, so that neither writer does.
 * A checkpoint run by a writer's connection runs inside its COMMIT (wal_autocheckpoint), while that
 * thread still holds the shared write lock (shared-write-lock.ts), or between its batches; either
 * way it is the writer's time, and its fsyncs with it. PASSIVE checkpoints never wait for readers
 * or writers and never block them: SQLite lets one checkpointer run beside the one writer, and the
 * writer whose transaction starts after a complete checkpoint starts the WAL over from its beginning.
 *
 * That last part needs a moment when no frame is left to copy, and with two writers committing
 * back to back there is none: the WAL then grows for as long as they write (0.2–1.1 GB in runs of
 * the events bench), and a connection's automatic checkpoint, which counts the frames since the
 * WAL last started over, fires on every one of its commits from then on (with 64 MB, the engine
 * thread's commits did, each with two fsyncs, holding the write lock). So once the WAL is longer
 * than `restartPages`, this thread takes the shared write lock for a moment, between two writers'
 * transactions, and copies the few frames committed since its last checkpoint: the next writer
 * starts the WAL over (unless a reader's snapshot still needs its frames; then the next round).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SharedWriteLock } from './shared-write-lock.js';
import { lockHolderPriority, lowerThisThreadPriority } from './thread-priority.js';
import { READER_MAX_PAUSE_MS, ReaderGate } from './reader-gate.js';
import { WalIndexReader } from './wal-index.js';
import type { CheckpointReport, FromWalCheckpointer, ToWalCheckpointer, WalCheckpointerData } from './wal-checkpointer.js';

const data = workerData as WalCheckpointerData;
const port = parentPort!;
lowerThisThreadPriority(data.nice);
const db = new Database(data.file, { fileMustExist: true });
// It never writes; should it ever, it must not checkpoint on its own commits either.
db.pragma('wal_autocheckpoint = 0');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

// Its locked checkpoint runs at the request thread's priority (where permitted): see lockHolderPriority.
const writeLock = data.writeLock ? new SharedWriteLock(data.writeLock).forCheckpointerThread(lockHolderPriority()) : null;

function checkpoint(startedAt = Date.now()): CheckpointReport {
  const row = passive.get() as { busy: number; log: number; checkpointed: number };
  return { busy: row.busy, log: row.log, checkpointed: row.checkpointed, startedAt };
}

/**
 * Frames left for the checkpoint under the write lock: it holds up every writer for as long as it
 * copies and syncs, so the copying is done beforehand without the lock, in passes, until a pass
 * finds fewer new frames than this (or after MAX_PASSES: the writers outpace it; far outpaced, it
 * leaves the lock for the next round).
 */
const LOCKED_FRAMES = 512;
const MAX_PASSES = 4;
/** Turns of the write lock a round may hand back (too many frames left when it came) before it leaves the restart to the next round. */
const LOCKED_ATTEMPTS = 3;
const walIndex = new WalIndexReader(data.file);

const readerGate = data.readerGate ? new ReaderGate(data.readerGate) : null;

/**
 * How long it waits for the SQL reader thread's query under way to end when that query's snapshot
 * keeps a long WAL from starting over (ms): its backlog counts run up to ~2 s under a backlog;
 * one longer than this is left alone for the round.
 */
const READER_WAIT_MS = 2_000;

/**
 * A checkpoint; if the WAL is long, then one more between two writers, so that the next writer
 * starts it over. Should a reader's snapshot keep it from copying everything, it waits for the SQL
 * reader thread's query under way and holds its next query back meanwhile (reader-gate.ts).
 */
function checkpointAndRestart(): CheckpointReport {
  const startedAt = Date.now();
  const first = checkpoint(startedAt);
  if (!writeLock || first.log < data.restartPages || first.checkpointed === first.log || !readerGate?.hasReaders()) return restart(startedAt, first);
  if (!readerGate.hold(READER_WAIT_MS)) {
    readerGate.release();
    return first;
  }
  // The reader's next query waits READER_MAX_PAUSE_MS at most: what is left then is for the next round.
  const until = performance.now() + READER_MAX_PAUSE_MS;
  try {
    return { ...restart(startedAt, checkpoint(startedAt), until), readersHeld: true };
  } finally {
    readerGate.release();
  }
}

/** The WAL is long (or not): copies it in passes, then takes the writers' lock for one short checkpoint so that it starts over. */
function restart(startedAt: number, first: CheckpointReport, until = Infinity): CheckpointReport {
  let last = first;
  if (!writeLock || last.log < data.restartPages) return last;
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    // A reader's snapshot still needs frames that are not copied yet: the WAL cannot start over
    // before it ends, and taking the lock would gain nothing.
    if (last.checkpointed < last.log) return last;
    const next = checkpoint(startedAt);
    const fresh = next.log - last.log;
    last = next;
    // The WAL started over between passes: nothing long is left to restart.
    if (next.log < data.restartPages) return last;
    if (fresh < LOCKED_FRAMES) break;
    // The writers far outpace the copying: under the lock it would copy and sync as many frames
    // as they wrote in a pass, every writer waiting on a nice +10 thread; try again next round
    // (the engine connection's backstop, WAL_BACKSTOP_PAGES, bounds the WAL should this persist).
    if (pass === MAX_PASSES - 1 && fresh > 4 * LOCKED_FRAMES) return last;
  }
  // Not all copied, or readers let go again (they would begin snapshots that keep the WAL from starting over).
  if (last.checkpointed < last.log || performance.now() > until) return last;
  // While it waited for its turn (behind an engine transaction, say) the writers may have
  // committed thousands of frames, which it would copy and sync with every writer waiting. So it
  // looks at the wal-index first: with many frames left it hands the turn back, copies them
  // without the lock and asks again; past twice the restart length it copies them anyway.
  const handedBack: number[] = [];
  for (let attempt = 1; ; attempt++) {
    writeLock.acquire();
    const left = walIndex.uncopiedFrames();
    if (left === null || left <= LOCKED_FRAMES || last.log >= 2 * data.restartPages) {
      const t0 = performance.now();
      let report: CheckpointReport;
      try {
        report = checkpoint(startedAt);
      } finally {
        writeLock.release();
      }
      return { ...report, underLock: { frames: left ?? -1, ms: performance.now() - t0, handedBack } };
    }
    writeLock.release();
    handedBack.push(left);
    last = checkpoint(startedAt);
    if (attempt === LOCKED_ATTEMPTS || last.log < data.restartPages || last.checkpointed < last.log) return { ...last, underLock: { frames: 0, ms: 0, handedBack } };
  }
}

const timer = setInterval(() => {
  try {
    port.postMessage({ type: 'checkpointed', report: checkpointAndRestart() } satisfies FromWalCheckpointer);
  } catch (e) {
    port.postMessage({ type: 'log', level: 'error', message: `WAL checkpoint failed: ${(e as Error).message}` } satisfies FromWalCheckpointer);
  }
}, data.intervalMs);

port.on('message', (m: ToWalCheckpointer) => {
  try {
    port.postMessage({ type: 'reply', id: m.id, ok: true, report: checkpointAndRestart() } satisfies FromWalCheckpointer);
  } catch (e) {
    port.postMessage({ type: 'reply', id: m.id, ok: false, error: (e as Error).message } satisfies FromWalCheckpointer);
  } finally {
    if (m.type === 'close') {
      clearInterval(timer);
      walIndex.close();
      db.close();
    }
  }
});
port.postMessage({ type: 'ready' } satisfies FromWalCheckpointer);
