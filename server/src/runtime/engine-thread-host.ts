import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { IntakeReport } from '../core/engine/event-intake.js';
import type { EngineObserver, EngineTickReport } from '../core/observability/engine-observer.js';
import type { TickResult } from './engine-loop.js';
import type { EngineThreadData } from './engine-thread.js';
import { STEPPING_THREAD_LIMITS } from './young-generation.js';

export type ToEngineThread = { type: 'nudge' } | { type: 'drain' | 'tick' | 'close'; id: number } | { type: 'walAutocheckpoint'; id: number; pages: number };
export type FromEngineThread =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'log'; level: 'log' | 'error'; message: string }
  | { type: 'observe'; event: 'ticked'; args: [EngineTickReport] }
  | { type: 'observe'; event: 'tickFailed'; args: [number, string] }
  | { type: 'observe'; event: 'eventsHandled'; args: [number, number[]] };

const ENTRY = new URL('./engine-thread.js', import.meta.url);

/**
 * How much lower than the request thread the engine thread runs (nice value), on Linux. The engine's
 * work is not latency bound — a backlog in the durable inbox or a reminder stepped a few
 * milliseconds later costs nobody anything — while the request thread is: on a 2-core machine
 * with a load generator or other processes, the engine's stepping (due reminders) and enrolment
 * of a burst of batched events shared a core evenly with the request thread and halved its
 * throughput. At +5 the scheduler gives it about a third of what the request thread gets when
 * both want the same core, and all of an idle one; the event-to-journey lag stays well under a
 * second. Its write transactions are short (THREAD_BATCH), but a holder of the shared write lock
 * preempted by nice-0 processes runs at about a third of a core, so a request's commit may wait
 * about three times as long as the transaction's own CPU time, plus scheduling latency.
 */
export const ENGINE_THREAD_NICE = 5;

/** The least time between two nudge messages to the engine thread (see nudge). */
export const NUDGE_GAP_MS = 10;

/** The compiled thread entry exists (dist/); under ts-jest there is only the .ts source. */
export function engineThreadAvailable(): boolean {
  return ENTRY.protocol === 'file:' && existsSync(fileURLToPath(ENTRY));
}

/**
 * The request thread's side of the engine thread (engine-thread.ts): starts it, forwards nudges,
 * runs drains and ticks in it on request (`POST /api/engine/tick`, tests), and hands what the
 * engine reports (ticks, handled events, log lines) to the observer and logger of this thread.
 */
export class EngineThreadHost {
  private readonly worker: Worker;
  private readonly calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private next = 1;
  private closed = false;
  /**
   * 1 while a nudge is posted and the thread has not read it yet (it sets 0 on reading it, then
   * drains). A nudge then is redundant: that drain starts after the read, so after whatever this
   * thread committed before seeing the 1. Cuts the messages to one per drain of the thread
   * (postMessage was ~3% of the request thread under load).
   */
  private readonly nudgeFlag = new Int32Array(new SharedArrayBuffer(4));
  private lastNudge = 0;
  /** The V8 limits the thread runs with (its young generation: runtime/young-generation.ts). */
  get resourceLimits(): Worker['resourceLimits'] {
    return this.worker.resourceLimits;
  }
  /** The SharedWriteLock's buffer the thread shares with the request thread (and the WAL checkpointer). */
  get writeLock(): SharedArrayBuffer {
    return this.data.writeLock;
  }
  /** failed/exited: the in-process intake and ticker take over (api/journeys). */
  state: 'starting' | 'ready' | 'failed' | 'exited' = 'starting';
  readonly ready: Promise<void>;

  constructor(
    private readonly data: EngineThreadData,
    private readonly observer: EngineObserver,
    private readonly log: (level: 'log' | 'error', message: string) => void,
    /** Called once when the thread failed or exited (the caller takes over its work). */
    private readonly onDown: () => void = () => undefined,
    /** The compiled thread entry (tests running from the TypeScript sources point it at dist/). */
    entry: URL = ENTRY,
  ) {
    this.worker = new Worker(entry, {
      workerData: { ...data, nudgeFlag: this.nudgeFlag.buffer } satisfies EngineThreadData,
      name: 'rekindle-engine',
      resourceLimits: STEPPING_THREAD_LIMITS,
    });
    let started!: () => void;
    let failed!: (e: Error) => void;
    this.ready = new Promise<void>((res, rej) => ((started = res), (failed = rej)));
    this.ready.catch(() => undefined);
    this.worker.on('message', (m: FromEngineThread) => {
      switch (m.type) {
        case 'ready':
          this.state = 'ready';
          return started();
        case 'failed':
          this.state = 'failed';
          this.onDown();
          this.log('error', `engine thread failed to start: ${m.error}`);
          void this.worker.terminate();
          return failed(new Error(m.error));
        case 'log':
          return this.log(m.level, m.message);
        case 'reply': {
          const c = this.calls.get(m.id);
          this.calls.delete(m.id);
          if (m.ok) c?.resolve(m.value);
          else c?.reject(new Error(m.error));
          return;
        }
        case 'observe':
          if (m.event === 'ticked') this.observer.ticked(m.args[0]);
          else if (m.event === 'tickFailed') this.observer.tickFailed(m.args[0], new Error(m.args[1]));
          else this.observer.eventsHandled(m.args[0], m.args[1]);
      }
    });
    this.worker.on('error', (e) => {
      this.log('error', `engine thread: ${e.message}`);
      if (this.state !== 'failed') this.onDown();
      this.state = 'failed';
      failed(e);
      for (const c of this.calls.values()) c.reject(e);
      this.calls.clear();
    });
    this.worker.on('exit', (code) => {
      if (!this.closed && this.state !== 'failed') this.log('error', `engine thread exited (${code}); the request thread runs the intake and ticker from now on`);
      if (this.state !== 'failed') {
        this.state = 'exited';
        this.onDown();
      }
      failed(new Error('engine thread exited'));
      for (const c of this.calls.values()) c.reject(new Error('engine thread exited'));
      this.calls.clear();
    });
  }

  private call<T>(type: 'drain' | 'tick' | 'close'): Promise<T>;
  private call<T>(type: 'walAutocheckpoint', args: { pages: number }): Promise<T>;
  private call<T>(type: 'drain' | 'tick' | 'close' | 'walAutocheckpoint', args: { pages?: number } = {}): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ type, id, ...args } as ToEngineThread);
    });
  }

  /** Starting or running: drains and ticks go to the thread. */
  get usable(): boolean {
    return !this.closed && (this.state === 'starting' || this.state === 'ready');
  }

  /**
   * Coalesced: at most one unread nudge at a time, however many requests stored events meanwhile,
   * and at most one message every NUDGE_GAP_MS (a later one waits for the gap with the flag set,
   * so the nudges in between cost nothing). A postMessage that wakes the thread costs tens of
   * microseconds of this thread under load; an idle thread read each one at once, so the flag
   * alone saved little. The engine acts at most NUDGE_GAP_MS later.
   */
  nudge(): void {
    if (this.closed || Atomics.compareExchange(this.nudgeFlag, 0, 0, 1) !== 0) return;
    const wait = this.lastNudge + NUDGE_GAP_MS - Date.now();
    if (wait <= 0) return this.postNudge();
    setTimeout(() => this.postNudge(), wait);
  }

  private postNudge(): void {
    this.lastNudge = Date.now();
    if (!this.closed) this.worker.postMessage({ type: 'nudge' } satisfies ToEngineThread);
  }

  async drain(): Promise<IntakeReport> {
    await this.ready;
    return this.call<IntakeReport>('drain');
  }

  async tick(): Promise<TickResult> {
    await this.ready;
    return this.call<TickResult>('tick');
  }

  /**
   * Sets the thread's connection's wal_autocheckpoint (pages); resolves with the value it then has.
   * For when the WAL checkpointer thread stops (wal-checkpointer.provider.ts): the connection's
   * backstop (WAL_BACKSTOP_PAGES) would otherwise let the WAL grow to 1 GB.
   */
  async setWalAutocheckpoint(pages: number): Promise<number> {
    await this.ready;
    return this.call<number>('walAutocheckpoint', { pages });
  }

  /** Lets the drain and tick under way finish (bounded), closes the thread's connection, stops it. */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.race([this.ready.then(() => this.call('close')).catch(() => undefined), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await this.worker.terminate();
  }
}
