import { resolve } from 'node:path';

const HOLD = 0; // 1: the WAL checkpointer asks readers not to begin a query (it wants the WAL to start over)
const ACTIVE = 1; // queries of the SQL reader thread under way
const READERS = 2; // SQL reader threads of this file alive in the process

/**
 * How long the SQL reader thread may hold back a query for the checkpointer (ms). Its queries are
 * background scans (whole-shop segment counts, the intake's backlog counts), so a rare pause this
 * long is cheap; longer, and a segment count would wait on a checkpoint far behind.
 */
export const READER_MAX_PAUSE_MS = 250;

/**
 * A pause between two queries of the SQL reader thread (sql-reader-thread.ts), asked for by the
 * WAL checkpointer thread (wal-checkpointer-thread.ts) in a SharedArrayBuffer both hold.
 *
 * Why: SQLite starts a WAL over only when no reader's snapshot still needs any of its frames. The
 * reader thread runs long read transactions back to back — the intake view's backlog counts take
 * 0.4–2 s while a backlog of batched events is worked off, and the events bench polls them every
 * 100 ms — so some snapshot was always open: the checkpoint could not copy past it and the WAL grew
 * to 1.1 GB (the engine's 1 GB backstop then checkpointing inside its commits). With this gate, once
 * the WAL is long the checkpointer lets the query under way finish, holds the next one back while it
 * copies the rest and makes the WAL start over, and lets it go (after READER_MAX_PAUSE_MS at most).
 */
export class ReaderGate {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(12)) {
    this.cells = new Int32Array(buffer);
  }

  /** Reader thread, before a query: waits while the checkpointer holds queries back, `maxPauseMs` at most. */
  enter(maxPauseMs = READER_MAX_PAUSE_MS): void {
    const until = performance.now() + maxPauseMs;
    for (;;) {
      // Counted first, then the hold checked: a checkpointer that sets HOLD after this check sees the query.
      Atomics.add(this.cells, ACTIVE, 1);
      const left = until - performance.now();
      if (Atomics.load(this.cells, HOLD) === 0 || left <= 0) return;
      this.leave();
      Atomics.wait(this.cells, HOLD, 1, left);
    }
  }

  /** Reader thread, after a query. */
  leave(): void {
    Atomics.sub(this.cells, ACTIVE, 1);
    Atomics.notify(this.cells, ACTIVE);
  }

  /** Checkpointer: asks readers to begin no query and waits for the one under way, `maxWaitMs` at most. True when none runs. */
  hold(maxWaitMs: number): boolean {
    Atomics.store(this.cells, HOLD, 1);
    const until = performance.now() + maxWaitMs;
    for (;;) {
      const active = Atomics.load(this.cells, ACTIVE);
      if (active === 0) return true;
      const left = until - performance.now();
      if (left <= 0) return false;
      Atomics.wait(this.cells, ACTIVE, active, left);
    }
  }

  /** Checkpointer: readers may go on. */
  release(): void {
    Atomics.store(this.cells, HOLD, 0);
    Atomics.notify(this.cells, HOLD);
  }

  /** SqlReader, when it starts its thread. */
  readerStarted(): void {
    Atomics.add(this.cells, READERS, 1);
  }

  /**
   * SqlReader, once its thread has exited. A thread terminated in the middle of a query never
   * left it, so when the last reader of the file is gone nothing can be under way: the count
   * starts again from 0 (or a later checkpointer would wait READER_WAIT_MS on every long-WAL round).
   */
  readerGone(): void {
    if (Atomics.sub(this.cells, READERS, 1) > 1) return;
    Atomics.store(this.cells, ACTIVE, 0);
    Atomics.notify(this.cells, ACTIVE);
  }

  /** Checkpointer: is there a reader thread whose queries it could hold back? */
  hasReaders(): boolean {
    return Atomics.load(this.cells, READERS) > 0;
  }
}

const gates = new Map<string, SharedArrayBuffer>();

/**
 * The gate of one SQLite file in this process: the SQL reader thread and the WAL checkpointer are
 * made by different parts of the server (api/core.module.ts, api/journeys), each of which asks here.
 */
export function readerGateFor(file: string): SharedArrayBuffer {
  const key = resolve(file);
  let b = gates.get(key);
  if (!b) gates.set(key, (b = new ReaderGate().buffer));
  return b;
}
