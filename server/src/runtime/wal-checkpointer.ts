import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerData {
  file: string;
  intervalMs: number;
  nice: number;
}

/** What `PRAGMA wal_checkpoint(PASSIVE)` answered: frames in the WAL, and how many of them are now in the database file. */
export interface CheckpointReport {
  busy: number;
  log: number;
  checkpointed: number;
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
 * How often the checkpointer copies the WAL back, as the engine thread did before it: often enough
 * that the WAL stays at about a second of writes (and the writer after a complete checkpoint starts
 * it over), rarely enough that pages rewritten batch after batch (index ends, counters) are copied
 * once a second, not once a batch.
 */
export const WAL_CHECKPOINT_MS = 1000;

/**
 * Lower than the engine thread (+5): a checkpoint is never urgent, and on a busy 2-core machine
 * it should take what the request thread and the engine leave. It needs little CPU (page copies,
 * then an fsync it sleeps through), so even at +10 it keeps up; should it not, the WAL grows and
 * the engine connection's backstop (engine-thread.ts) checkpoints.
 */
export const WAL_CHECKPOINTER_NICE = 10;

/**
 * The server's WAL checkpoints, on a thread and connection of their own (wal-checkpointer-thread.ts),
 * while the server's writers (the request thread's and the engine thread's connections) leave
 * them to it (wal_autocheckpoint 0, engine-thread.provider.ts). If the thread fails or exits
 * without being closed, the `onStopped` listeners are called, so the writers checkpoint again.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve(r: CheckpointReport): void; reject(e: Error): void }>();
  private readonly waiting: ((r: CheckpointReport) => void)[] = [];
  private readonly stopped: (() => void)[] = [];
  private next = 1;
  private closed = false;
  private down = false;
  readonly ready: Promise<void>;

  constructor(
    file: string,
    private readonly log: (message: string) => void,
    opts: { entry?: URL; intervalMs?: number } = {},
  ) {
    this.worker = new Worker(opts.entry ?? ENTRY, {
      workerData: { file, intervalMs: opts.intervalMs ?? WAL_CHECKPOINT_MS, nice: WAL_CHECKPOINTER_NICE } satisfies WalCheckpointerData,
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
        case 'checkpointed':
          for (const w of this.waiting.splice(0)) w(m.report);
          return;
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
    const gone = (e: Error) => {
      if (!this.closed && !this.down) {
        this.down = true;
        this.log(`WAL checkpointer stopped (${e.message}); the writers checkpoint their own commits from now on`);
        for (const f of this.stopped.splice(0)) f();
      }
      this.down = true;
      failed(e);
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
    };
    this.worker.on('error', gone);
    this.worker.on('exit', (code) => gone(new Error(`exited (${code})`)));
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
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      this.worker.postMessage({ type, id } satisfies ToWalCheckpointer);
    });
  }

  /** A PASSIVE checkpoint now (tests, tools); the interval's go on. */
  async checkpointNow(): Promise<CheckpointReport> {
    await this.ready;
    return this.call('checkpoint');
  }

  /** The report of the next checkpoint on the interval. */
  nextCheckpoint(): Promise<CheckpointReport> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** A last checkpoint, then its connection closes and the thread stops (bounded). */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.race([this.ready.then(() => this.call('close')).catch(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await this.worker.terminate();
  }

  /** Nest calls this on the provider's value when the app closes (after the engine thread has stopped, in onModuleDestroy). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
