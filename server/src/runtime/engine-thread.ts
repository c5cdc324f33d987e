/**
 * Entry point of the engine thread (a Node worker thread inside the server process; started by
 * engine-thread-host.ts). better-sqlite3 is synchronous: enrolling a batch of inbox events,
 * stepping due journeys and their segment filters would hold the request thread's event loop for
 * as long as they take. Here they run on their own SQLite connection (WAL: readers never wait;
 * one writer at a time, each write transaction short and taken with its write lock up front),
 * while the request thread only validates, commits events and answers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DataSource } from 'typeorm';
import { systemClock } from '../core/clock.js';
import type { EngineObserver } from '../core/observability/engine-observer.js';
import { openWorkspace } from '../config/workspace.js';
import { dataSourceOptions, type DatabaseTarget } from '../persistence/data-source.js';
import { setProcessWriteLock } from '../persistence/write-transaction.js';
import { EngineLoop } from './engine-loop.js';
import { SharedWriteLock } from './shared-write-lock.js';
import { lockHolderPriority, lowerThisThreadPriority } from './thread-priority.js';
import { createEngineRuntime } from './engine-runtime.js';
import { ENGINE_THREAD_NICE, type FromEngineThread, type ToEngineThread } from './engine-thread-host.js';

export interface EngineThreadData {
  database: DatabaseTarget;
  /** The SharedWriteLock's buffer, shared with the request thread. */
  writeLock: SharedArrayBuffer;
  rulesDir: string;
  /** The base URL of the tracked links it renders into stored bodies, as the request thread resolved it (not given: read here, engine-runtime.ts). */
  publicBaseUrl?: string | null;
  tickMs: number;
  pollMs: number;
  planner: boolean;
  /** This connection's wal_autocheckpoint (pages) when not the default: a backstop while the checkpointer thread runs (wal-checkpointer.ts). */
  walAutocheckpoint?: number;
  /** Set by the host (engine-thread-host.ts nudge): 1 while a nudge is unread; cleared here on reading it, before draining. */
  nudgeFlag?: SharedArrayBuffer;
}

/**
 * Enrollments stepped / inbox events consumed per transaction in the thread. SQLite has one
 * writer: while a batch commits, the request thread's next event commit waits for the lock, so
 * batches stay small enough that the wait is a few milliseconds (throughput is the thread's, not
 * the requests').
 */
export const THREAD_BATCH = 250;

/** A connection setting, no write: needs no write lock. Answers the value read back. */
async function setWalAutocheckpoint(ds: DataSource, pages: number): Promise<number> {
  await ds.query(`PRAGMA wal_autocheckpoint = ${Math.trunc(pages)}`);
  return Number((await ds.query('PRAGMA wal_autocheckpoint'))[0].wal_autocheckpoint);
}

async function main() {
  const port = parentPort!;
  const data = workerData as EngineThreadData;
  lowerThisThreadPriority(ENGINE_THREAD_NICE);
  const post = (m: FromEngineThread) => port.postMessage(m);
  // The request thread opened the database and ran the migrations before starting this thread.
  // WAL checkpoints are the checkpointer thread's (wal-checkpointer.ts), not this connection's:
  // run on its own commits (or between its batches, as it did on an interval), they held the
  // write lock with two fsyncs or took this thread's time. Its own stays only as a backstop.
  const ds = new DataSource(dataSourceOptions(data.database));
  await ds.initialize();
  if (data.walAutocheckpoint !== undefined) await ds.query(`PRAGMA wal_autocheckpoint = ${data.walAutocheckpoint}`);
  // At the request thread's priority while it holds the write lock (where permitted): see lockHolderPriority.
  setProcessWriteLock(ds, new SharedWriteLock(data.writeLock).forEngineThread(lockHolderPriority()));
  const observer: EngineObserver = {
    ticked: (report) => post({ type: 'observe', event: 'ticked', args: [report] }),
    tickFailed: (at, error) => post({ type: 'observe', event: 'tickFailed', args: [at, error.message] }),
    eventsHandled: (at, since) => post({ type: 'observe', event: 'eventsHandled', args: [at, since] }),
  };
  const runtime = createEngineRuntime(ds, openWorkspace(data.rulesDir), systemClock, { observer, batchSize: THREAD_BATCH, intakeBatch: THREAD_BATCH, publicBaseUrl: data.publicBaseUrl, warn: (message) => post({ type: 'log', level: 'error', message }) });
  const loop = new EngineLoop(runtime, { tickMs: data.tickMs, pollMs: data.pollMs, planner: data.planner, log: (level, message) => post({ type: 'log', level, message }) });
  const nudgeFlag = data.nudgeFlag ? new Int32Array(data.nudgeFlag) : null;
  port.on('message', (m: ToEngineThread) => {
    if (m.type === 'nudge') {
      if (nudgeFlag) Atomics.store(nudgeFlag, 0, 0);
      return loop.nudge();
    }
    const work =
      m.type === 'walAutocheckpoint'
        ? setWalAutocheckpoint(ds, m.pages)
        : m.type === 'drain'
          ? loop.drainNow()
          : m.type === 'tick'
            ? loop.tickNow()
            : loop.close().then(() => ds.destroy());
    work.then(
      (value) => post({ type: 'reply', id: m.id, ok: true, value }),
      (e: unknown) => post({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
  });
  loop.start();
  post({ type: 'ready' });
  // Events stored while no server ran (or before a crash) are taken at once.
  loop.nudge();
}

main().catch((e) => {
  parentPort?.postMessage({ type: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromEngineThread);
});
