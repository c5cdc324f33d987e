import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemClock } from '../../core/clock.js';
import type { Settings } from '../../config/settings.js';
import { dialectOf } from '../../persistence/data-source.js';
import { setProcessWriteLock } from '../../persistence/write-transaction.js';
import { engineThreadAvailable, EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../runtime/shared-write-lock.js';
import { stepQueueMode } from '../../workers/queue-settings.js';
import type { AppOptions } from '../app-options.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { APP_OPTIONS, SETTINGS } from '../tokens.js';

export const ENGINE_THREAD = Symbol('EngineThread');

/**
 * Whether the event intake and the ticker run in the engine thread (runtime/engine-thread.ts):
 * on a SQLite file (better-sqlite3 blocks the thread it runs on; PostgreSQL's driver does not),
 * with the schedulers on and the real clock (tests that drive a virtual clock run in-process),
 * stepping in-process (with BullMQ the workers step), and REKINDLE_ENGINE_THREAD not `off`.
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
    engineThreadAvailable()
  );
}

/** The engine thread, or null when the intake and ticker run in this thread (EventIntakeRunner, JourneyTicker). */
export const engineThreadProvider: Provider = {
  provide: ENGINE_THREAD,
  inject: [APP_OPTIONS, SETTINGS, RekindleMetrics, DataSource],
  useFactory: (opts: AppOptions, settings: Settings, metrics: RekindleMetrics, ds: DataSource): EngineThreadHost | null => {
    if (!useEngineThread(opts, settings)) return null;
    const log = new Logger('EngineThread');
    // WAL checkpoints (copying the log back into the database file) run in the committing
    // connection: leave them to the engine thread's, so no request waits for one.
    const autoCheckpoint = (pages: number) => void ds.query(`PRAGMA wal_autocheckpoint = ${pages}`).catch(() => undefined);
    autoCheckpoint(0);
    // One writer at a time between this thread and the engine thread, handed over without sleeps.
    const lock = new SharedWriteLock();
    setProcessWriteLock(ds, lock.forRequestThread());
    return new EngineThreadHost(
      { database: opts.database, writeLock: lock.buffer, rulesDir: opts.rulesDir, tickMs: settings.REKINDLE_TICK_MS, pollMs: settings.REKINDLE_INTAKE_POLL_MS, planner: settings.REKINDLE_PLANNER !== 'off' },
      metrics,
      (level, message) => (level === 'error' ? log.error(message) : log.log(message)),
      // The thread is gone: this connection checkpoints again (the default 1000 pages), and
      // writes alone (a lock the thread held when it died is freed).
      () => {
        setProcessWriteLock(ds, null);
        lock.break();
        autoCheckpoint(1000);
      },
    );
  },
};
