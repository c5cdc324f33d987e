import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ReaderGate, readerGateFor } from './reader-gate.js';
import { SharedWriteLock } from './shared-write-lock.js';

export interface WalCheckpointerData {
  file: string;
  intervalMs: number;
  nice: number;
  /** The writers' SharedWriteLock (shared-write-lock.ts), taken to let a long WAL start over; none: never taken. */
  writeLock?: SharedArrayBuffer;
  /** WAL pages from which it takes the write lock for a moment so that the WAL starts over (see the thread). */
  restartPages: number;
  /** The file's ReaderGate (reader-gate.ts): with a long WAL a reader's snapshot still needs, it holds the SQL reader thread's next query back. */
  readerGate?: SharedArrayBuffer;
}

/** What `PRAGMA wal_checkpoint(PASSIVE)` answered: frames in the WAL, and how many of them are now in the database file. */
export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
  /** When the round that made this report began (Date.now() in the thread): it saw every commit made before. */
  startedAt: number;
  /**
   * Rounds that went for the writers' lock to let a long WAL start over: the frames left to copy
   * when its turn came (−1: the wal-index could not be read), how long it held the lock (ms; 0:
   * it did not checkpoint under it), and the frames it found on each turn it handed back unused.
   */
  underLock?: { frames: number; ms: number; handedBack: number[] };
  /** The round held the SQL reader thread's queries back (reader-gate.ts): a reader's snapshot kept a long WAL from starting over. */
  readersHeld?: boolean;
}

export type ToWalCheckpointer = { type: 'checkpoint' | 'close'; id: number };
export type FromWalCheckpointer =
  | { type: 'ready' }
  | { type: 'checkpointed'; report: CheckpointReport }
  | { type: 'log'; level: 'error'; message: string }
  | { type: 'reply'; id: number; ok: true; report: CheckpointReport }
  | { type: 'reply'; id: number; ok: false; error: string };

const ENTRY = new URL('./wal-checkpointer-thread.js', import.meta.url);

/**
 * How often the checkpointer copies the WAL back (the engine thread did once a second): often
 * enough that a backlog the engine works off at full speed (~100 MB of WAL a second, batches of
 * the events bench) does not take the WAL far past WAL_RESTART_PAGES; it copies what the writers
 * committed since its last round, so a page rewritten batch after batch is copied once a round,
 * not once a commit.
 */
export const WAL_CHECKPOINT_MS = 500;

/**
 * From 32,768 pages (128 MB) of WAL the checkpointer makes it start over (wal-checkpointer-thread.ts).
 * That takes the write lock for one checkpoint (measured 8–45 ms under the events bench's "due"
 * load: two fsyncs, and a thread at nice +10 preempted while it holds the lock), during which
 * every write waits, so not often: at that load the WAL grows by ~60 MB a second, so about every
 * two seconds. A shop with pauses between its writes never gets there: a checkpoint that finds
 * every frame copied lets the next writer start the WAL over without any lock.
 */
export const WAL_RESTART_PAGES = 32_768;

/**
 * The automatic checkpoint left to the engine thread's connection while the checkpointer runs:
 * a backstop that fires only if the WAL reaches 1 GB (the checkpointer far behind, or in the
 * moment between its death and the engine connection's going back to the default,
 * wal-checkpointer.provider.ts).
 */
export const WAL_BACKSTOP_PAGES = 262_144;

/**
 * Lower than the engine thread (+5): a checkpoint is never urgent, and on a busy 2-core machine
 * it should take what the request thread and the engine leave. It needs little CPU (page copies,
 * then an fsync it sleeps through), so even at +10 it keeps up; should it not, the WAL grows and
 * the engine connection's backstop (WAL_BACKSTOP_PAGES) checkpoints.
 */
export const WAL_CHECKPOINTER_NICE = 10;

/**
 * The server's WAL checkpoints, on a thread and connection of their own (wal-checkpointer-thread.ts),
 * while the server's writers (the request thread's and the engine thread's connections) leave
 * them to it (wal_autocheckpoint 0, engine-thread.provider.ts). If the thread fails or exits
 * without being closed, the `onStopped` listeners are called, so that both writers' connections
 * checkpoint again (wal-checkpointer.provider.ts). A turn of the write lock the thread held or
 * waited for when it died is passed on once it comes (SharedWriteLock.freeDeadCheckpointerTurn):
 * the writers keep taking turns.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve(r: CheckpointReport): void; reject(e: Error): void }>();
  private waiting: { after: number; resolve(r: CheckpointReport): void; reject(e: Error): void }[] = [];
  private readonly stopped: (() => void)[] = [];
  private next = 1;
  private closed = false;
  private down = false;
  readonly ready: Promise<void>;
  /** Once the thread has exited (with a write lock): what became of its turn of the lock (tests). */
  lockFreed: Promise<'none' | 'freed' | 'broken'> | null = null;

  constructor(
    file: string,
    private readonly log: (message: string) => void,
    opts: { entry?: URL; intervalMs?: number; writeLock?: SharedArrayBuffer; restartPages?: number; readerGate?: SharedArrayBuffer; nice?: number } = {},
  ) {
    const readerGate = opts.readerGate ?? readerGateFor(file);
    this.worker = new Worker(opts.entry ?? ENTRY, {
      workerData: {
        file,
        intervalMs: opts.intervalMs ?? WAL_CHECKPOINT_MS,
        nice: opts.nice ?? WAL_CHECKPOINTER_NICE,
        writeLock: opts.writeLock,
        restartPages: opts.restartPages ?? WAL_RESTART_PAGES,
        // The SQL reader thread on the same file in this process asks for the same gate (sql-reader.ts).
        readerGate,
      } satisfies WalCheckpointerData,
      name: 'rekindle-wal-checkpointer',
    });
    // Never what keeps the process alive: the last connection to close checkpoints the rest anyway.
    this.worker.unref();
    let started!: () => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => ((started = res), (failed = rej)));
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: FromWalCheckpointer) => {
      switch (m.type) {
        case 'ready':
          return started();
        case 'checkpointed': {
          const due = this.waiting.filter((w) => m.report.startedAt >= w.after);
          this.waiting = this.waiting.filter((w) => m.report.startedAt < w.after);
          for (const w of due) w.resolve(m.report);
          return;
        }
        case 'log':
          return this.log(m.message);
        case 'reply': {
          const c = this.calls.get(m.id);
          this.calls.delete(m.id);
          if (m.ok) c?.resolve(m.report);
          else c?.reject(new Error(m.error));
        }
      }
    });
    const gone = (thrown: unknown) => {
      // What the thread threw arrives cloned, not always as an Error with a message.
      const e = new Error((thrown as Error | undefined)?.message ?? ((thrown as { code?: string } | undefined)?.code || String(thrown)));
      if (!this.closed && !this.down) {
        this.down = true;
        this.log(`WAL checkpointer stopped (${e.message}); the writers' connections checkpoint their own commits from now on`);
        for (const f of this.stopped.splice(0)) f();
      }
      this.down = true;
      failed(e);
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => {
      gone(new Error(`exited (${code})`));
      // Terminated in the middle of a round (a close that timed out), it may have left the reader
      // thread's queries held back: each would then wait READER_MAX_PAUSE_MS from now on.
      new ReaderGate(readerGate).release();
      // Only now does the thread run no more code. Closed or not: a close that timed out may have
      // terminated it while it waited its turn.
      if (opts.writeLock)
        this.lockFreed = new SharedWriteLock(opts.writeLock).freeDeadCheckpointerTurn().then((r) => {
          if (r === 'broken') this.log('WAL checkpointer died taking a turn of the write lock: the writers go on without it');
          return r;
        });
    });
  }

  /** A SQLite file (not :memory:) and the compiled thread entry (dist/; not under ts-jest). */
  static supported(file: string): boolean {
    return file !== ':memory:' && file !== '' && ENTRY.protocol === 'file:' && existsSync(fileURLToPath(ENTRY));
  }

  /** Started and not stopped: the writers may leave checkpoints to it. */
  get running(): boolean {
    return !this.down && !this.closed;
  }

  /** Called once if the thread stops without being closed (at once if it already has). */
  onStopped(listener: () => void): void {
    if (this.down && !this.closed) listener();
    else if (!this.down) this.stopped.push(listener);
  }

  private call(type: ToWalCheckpointer['type']): Promise<CheckpointReport> {
    if (this.down) return Promise.reject(new Error('the WAL checkpointer has stopped'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ type, id } satisfies ToWalCheckpointer);
    });
  }

  /** A checkpoint now, as on the interval (tests, tools); the interval's go on. */
  async checkpointNow(): Promise<CheckpointReport> {
    await this.ready;
    return this.call('checkpoint');
  }

  /**
   * The report of the next checkpoint on the interval whose round began at `after` (Date.now()) or
   * later: pass the time just after a commit to wait for a round that saw it (reports of rounds
   * that began before it may still be on their way). Rejects if the thread stops.
   */
  nextCheckpoint(after = -Infinity): Promise<CheckpointReport> {
    if (this.down) return Promise.reject(new Error('the WAL checkpointer has stopped'));
    return new Promise((resolve, reject) => this.waiting.push({ after, resolve, reject }));
  }

  /** A last checkpoint, then its connection closes and the thread stops (bounded). */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // A thread that already stopped answers nothing: do not wait out the timeout for it.
    if (this.down) return void (await this.worker.terminate());
    await Promise.race([this.ready.then(() => this.call('close')).catch(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await this.worker.terminate();
  }

  /** Nest calls this on the provider's value when the app closes (after the engine thread has stopped, in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
