import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemClock } from '../../core/clock.js';
import type { Settings } from '../../config/settings.js';
import { DEFAULT_WAL_AUTOCHECKPOINT, dialectOf } from '../../persistence/data-source.js';
import { setProcessWriteLock } from '../../persistence/write-transaction.js';
import { engineThreadAvailable, EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../runtime/shared-write-lock.js';
import { WalCheckpointer } from '../../runtime/wal-checkpointer.js';
import { stepQueueMode } from '../../workers/queue-settings.js';
import type { AppOptions } from '../app-options.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { APP_OPTIONS, SETTINGS, WAL_CHECKPOINTER } from '../tokens.js';

export const ENGINE_THREAD = Symbol('EngineThread');

/**
 * Whether the event intake and the ticker run in the engine thread (runtime/engine-thread.ts):
 * on a SQLite file (better-sqlite3 blocks the thread it runs on; PostgreSQL's driver does not),
 * with the schedulers on and the real clock (tests that drive a virtual clock run in-process),
 * stepping in-process (with BullMQ the workers step), and REKINDLE_ENGINE_THREAD not `off`.
 * The WAL checkpointer thread (wal-checkpointer.provider.ts) runs exactly when this one does.
 */
export function useEngineThread(opts: AppOptions, settings: Settings): boolean {
  const file = opts.database.url.replace(/^sqlite:(\/\/)?/, '');
  return (
    settings.REKINDLE_ENGINE_THREAD === 'on' &&
    opts.schedulers !== false &&
    opts.clock === systemClock &&
    dialectOf(opts.database) === 'sqlite' &&
    file !== ':memory:' &&
    stepQueueMode() !== 'bullmq' &&
    engineThreadAvailable() &&
    WalCheckpointer.supported(file)
  );
}

/** The engine thread, or null when the intake and ticker run in this thread (EventIntakeRunner, JourneyTicker). */
export const engineThreadProvider: Provider = {
  provide: ENGINE_THREAD,
  inject: [APP_OPTIONS, SETTINGS, RekindleMetrics, DataSource, WAL_CHECKPOINTER],
  useFactory: (opts: AppOptions, settings: Settings, metrics: RekindleMetrics, ds: DataSource, checkpointer: WalCheckpointer | null): EngineThreadHost | null => {
    if (!useEngineThread(opts, settings)) return null;
    const log = new Logger('EngineThread');
    // WAL checkpoints (copying the log back into the database file) run in the committing
    // connection: this one leaves them to the checkpointer thread, so no request waits for one;
    // should that thread stop, this connection checkpoints its own commits again.
    const autoCheckpoint = (pages: number) => void ds.query(`PRAGMA wal_autocheckpoint = ${pages}`).catch(() => undefined);
    const checkpointsLeftToThread = () => autoCheckpoint(checkpointer?.running ? 0 : DEFAULT_WAL_AUTOCHECKPOINT);
    checkpointsLeftToThread();
    checkpointer?.onStopped(checkpointsLeftToThread);
    // One writer at a time between this thread and the engine thread, handed over without sleeps.
    const lock = new SharedWriteLock();
    setProcessWriteLock(ds, lock.forRequestThread());
    return new EngineThreadHost(
      { database: opts.database, writeLock: lock.buffer, rulesDir: opts.rulesDir, tickMs: settings.REKINDLE_TICK_MS, pollMs: settings.REKINDLE_INTAKE_POLL_MS, planner: settings.REKINDLE_PLANNER !== 'off' },
      metrics,
      (level, message) => (level === 'error' ? log.error(message) : log.log(message)),
      // The thread is gone: this connection writes alone (a lock the thread held when it died is freed).
      () => {
        setProcessWriteLock(ds, null);
        lock.break();
      },
    );
  },
};
