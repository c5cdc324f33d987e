import type { ProcessWriteLock } from '../persistence/write-transaction.js';
import type { HolderPriority } from './thread-priority.js';

const NEXT = 0; // next ticket to hand out
const SERVING = 1; // ticket that holds the lock
const BROKEN = 2; // 1: a holder died; the lock lets everyone through (SQLite's busy timeout still guards)
// The WAL checkpointer's turn, so that its thread's death costs the writers no more than that turn
// (freeDeadCheckpointerTurn): NONE, TAKING (between announcing and recording its ticket), HAS (TICKET
// recorded: queued for or holding the lock, or released a moment ago).
const CKPT = 3;
const CKPT_TICKET = 4;
const NONE = 0;
const TAKING = 1;
const HAS = 2;
// 1 while the request thread writes batches of events back to back (pressing): the engine thread
// waits up to ENGINE_DEFER_MS before it asks for a turn (forEngineThread).
const PRESSURE = 5;

/**
 * How long the engine thread holds back a turn of the lock while the request thread writes batches
 * back to back (ms). Its intake of a batch took a turn between every two of the request thread's
 * writes (the ticket lock is first come, first served), ~6 ms of every ~20: the requests' writes
 * waited that long each time, for events the inbox holds anyway. Held back, it still takes a turn
 * at least every ENGINE_DEFER_MS (plus the write under way), so its ticks and intake keep going
 * during a long burst; single events never press, so their lag is as before.
 */
export const ENGINE_DEFER_MS = 250;

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

  constructor(readonly buffer: SharedArrayBuffer = new SharedArrayBuffer(24)) {
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
      pressing: (on: boolean) => {
        Atomics.store(this.cells, PRESSURE, on ? 1 : 0);
        if (!on) Atomics.notify(this.cells, PRESSURE);
      },
    };
  }

  /**
   * For the engine thread: blocks while it waits its turn. With `priority` (thread-priority.ts
   * lockHolderPriority), the thread runs at the request thread's priority from asking for its turn
   * until it has handed the lock on: woken when its turn comes and holding the lock, a thread at
   * a lower priority waits behind other threads for a CPU while every request's commit waits for it.
   */
  forEngineThread(priority: HolderPriority | null = null): ProcessWriteLock {
    return {
      acquire: () => {
        // Batches being written back to back: hold back (bounded), woken when they end.
        if (Atomics.load(this.cells, PRESSURE) === 1 && !this.broken) Atomics.wait(this.cells, PRESSURE, 1, ENGINE_DEFER_MS);
        priority?.raise();
        this.waitTurn(Atomics.add(this.cells, NEXT, 1));
      },
      release: () => {
        this.release();
        priority?.restore();
      },
    };
  }

  /**
   * For the WAL checkpointer thread (wal-checkpointer-thread.ts): blocks as the engine thread's
   * does, and records its ticket so that, should the thread die, the request thread can pass its
   * turn on (freeDeadCheckpointerTurn) instead of breaking the lock for both writers.
   * `priority`: as the engine thread's (forEngineThread).
   */
  forCheckpointerThread(priority: HolderPriority | null = null): ProcessWriteLock {
    return {
      acquire: () => {
        priority?.raise();
        // Announced before the ticket is taken: a thread killed in between leaves TAKING, not a ticket nobody knows of.
        Atomics.store(this.cells, CKPT, TAKING);
        const ticket = Atomics.add(this.cells, NEXT, 1);
        Atomics.store(this.cells, CKPT_TICKET, ticket);
        Atomics.store(this.cells, CKPT, HAS);
        this.waitTurn(ticket);
      },
      release: () => {
        // Released before the record is cleared: a thread killed in between leaves a ticket already passed, which freeing skips.
        this.release();
        Atomics.store(this.cells, CKPT, NONE);
        priority?.restore();
      },
    };
  }

  private waitTurn(ticket: number): void {
    let serving: number;
    while ((serving = Atomics.load(this.cells, SERVING)) !== ticket && !this.broken) Atomics.wait(this.cells, SERVING, serving, 50);
  }

  /**
   * On the request thread, once the checkpointer thread has exited (its 'exit' event: it runs no
   * more code): if it held a ticket, waits without blocking until that ticket's turn comes (now,
   * if it died holding the lock) and passes it on, so the writers go on taking turns. Killed in
   * the instant between announcing and recording its ticket, it may or may not hold one: then
   * the lock is broken, as for a dead engine thread. What it did: 'none', 'freed' or 'broken'.
   */
  async freeDeadCheckpointerTurn(): Promise<'none' | 'freed' | 'broken'> {
    const state = Atomics.load(this.cells, CKPT);
    if (state === NONE || this.broken) return 'none';
    if (state === TAKING) {
      this.break();
      return 'broken';
    }
    const ticket = Atomics.load(this.cells, CKPT_TICKET);
    // Tickets wrap around: compare by difference. Ahead of SERVING: still queued; behind: released already.
    while (((ticket - Atomics.load(this.cells, SERVING)) | 0) > 0 && !this.broken) {
      const r = waitAsync(this.cells, SERVING, Atomics.load(this.cells, SERVING), 50);
      if (r.async) await r.value;
    }
    Atomics.store(this.cells, CKPT, NONE);
    if (this.broken || Atomics.load(this.cells, SERVING) !== ticket) return 'none';
    this.release();
    return 'freed';
  }
}
