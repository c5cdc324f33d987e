import type { ProcessWriteLock } from '../persistence/write-transaction.js';

const NEXT = 0; // next ticket to hand out
const SERVING = 1; // ticket that holds the lock
const BROKEN = 2; // 1: a holder died; the lock lets everyone through (SQLite's busy timeout still guards)

type WaitAsync = (a: Int32Array, i: number, v: number, t?: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * The write lock of one SQLite file shared by the server's request thread and its engine thread
 * (a SharedArrayBuffer both hold): a ticket lock, so writers take turns first come, first served.
 * SQLite allows one writer; without this, a thread that finds the file locked sleeps in SQLite's
 * busy handler (1, 2, 5 … 100 ms) — and the request thread's event loop sleeps with it — while a
 * writer that keeps coming back can starve the other. The request thread waits without blocking
 * (Atomics.waitAsync); the engine thread, which serves no requests, blocks (Atomics.wait). Each
 * engine transaction is short (runtime/engine-thread.ts), so a request's commit waits a few
 * milliseconds at most.
 */
export class SharedWriteLock {
  private readonly cells: Int32Array;

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(12)) {
    this.cells = new Int32Array(buffer);
  }

  private get broken(): boolean {
    return Atomics.load(this.cells, BROKEN) === 1;
  }

  private release(): void {
    if (this.broken) return;
    Atomics.add(this.cells, SERVING, 1);
    Atomics.notify(this.cells, SERVING);
  }

  /** The other thread died, maybe holding or waiting for the lock: stop locking. */
  break(): void {
    Atomics.store(this.cells, BROKEN, 1);
    Atomics.add(this.cells, SERVING, 1);
    Atomics.notify(this.cells, SERVING);
  }

  /** For the request thread: never blocks its event loop. */
  forRequestThread(): ProcessWriteLock {
    return {
      acquire: async () => {
        const ticket = Atomics.add(this.cells, NEXT, 1);
        let serving: number;
        while ((serving = Atomics.load(this.cells, SERVING)) !== ticket && !this.broken) {
          const r = waitAsync(this.cells, SERVING, serving, 50);
          if (r.async) await r.value;
        }
      },
      release: () => this.release(),
    };
  }

  /** For the engine thread (and the WAL checkpointer's, wal-checkpointer-thread.ts): blocks while it waits its turn. */
  forEngineThread(): ProcessWriteLock {
    return {
      acquire: () => {
        const ticket = Atomics.add(this.cells, NEXT, 1);
        let serving: number;
        while ((serving = Atomics.load(this.cells, SERVING)) !== ticket && !this.broken) Atomics.wait(this.cells, SERVING, serving, 50);
      },
      release: () => this.release(),
    };
  }
}
