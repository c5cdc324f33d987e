import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { systemClock } from '../../core/clock.js';
import type { Settings } from '../../config/settings.js';
import { sqliteFileOf } from '../../persistence/data-source.js';
import { setProcessWriteLock } from '../../persistence/write-transaction.js';
import { engineThreadAvailable, EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../runtime/shared-write-lock.js';
import { publicBaseUrlFor } from '../../runtime/engine-runtime.js';
import { WAL_BACKSTOP_PAGES, WalCheckpointer } from '../../runtime/wal-checkpointer.js';
import { stepQueueMode } from '../../workers/queue-settings.js';
import type { AppOptions } from '../app-options.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { APP_OPTIONS, SETTINGS, SIMULATION_COPY } from '../tokens.js';
import type { SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';

export const ENGINE_THREAD = Symbol('EngineThread');

/**
 * Whether the event intake and the ticker run in the engine thread (runtime/engine-thread.ts):
 * on a SQLite file (better-sqlite3 blocks the thread it runs on; PostgreSQL's driver does not),
 * with the schedulers on and the real clock (tests that drive a virtual clock run in-process),
 * stepping in-process (with BullMQ the workers step), and REKINDLE_ENGINE_THREAD not `off`.
 * The WAL checkpointer thread (wal-checkpointer.provider.ts) runs exactly when this one does.
 */
export function useEngineThread(opts: AppOptions, settings: Settings): boolean {
  const file = sqliteFileOf(opts.database);
  return (
    settings.REKINDLE_ENGINE_THREAD === 'on' &&
    opts.schedulers !== false &&
    opts.clock === systemClock &&
    file !== null &&
    stepQueueMode() !== 'bullmq' &&
    engineThreadAvailable() &&
    WalCheckpointer.supported(file)
  );
}

/** The engine thread, or null when the intake and ticker run in this thread (EventIntakeRunner, JourneyTicker). */
export const engineThreadProvider: Provider = {
  provide: ENGINE_THREAD,
  inject: [APP_OPTIONS, SETTINGS, RekindleMetrics, DataSource, SIMULATION_COPY],
  useFactory: (opts: AppOptions, settings: Settings, metrics: RekindleMetrics, ds: DataSource, simulationCopy: SimulationCopyHold | null): EngineThreadHost | null => {
    // A simulation's copy: the thread would build an engine of its own and tick and drain on its
    // own schedule; nothing moves a journey there (api/simulation-copy/live-only.ts).
    if (simulationCopy || !useEngineThread(opts, settings)) return null;
    const log = new Logger('EngineThread');
    // WAL checkpoints (copying the log back into the database file) run in the committing
    // connection: both writers leave them to the checkpointer thread (wal-checkpointer.provider.ts),
    // so no request waits for one; the engine's connection keeps a backstop.
    void ds.query('PRAGMA wal_autocheckpoint = 0').catch(() => undefined);
    // One writer at a time between this thread and the engine thread, handed over without sleeps.
    const lock = new SharedWriteLock();
    setProcessWriteLock(ds, lock.forRequestThread());
    return new EngineThreadHost(
      {
        database: opts.database,
        writeLock: lock.buffer,
        rulesDir: opts.rulesDir,
        publicBaseUrl: publicBaseUrlFor(opts.rulesDir, settings.REKINDLE_PUBLIC_BASE_URL),
        tickMs: settings.REKINDLE_TICK_MS,
        pollMs: settings.REKINDLE_INTAKE_POLL_MS,
        planner: settings.REKINDLE_PLANNER !== 'off',
        walAutocheckpoint: WAL_BACKSTOP_PAGES,
      },
      metrics,
      (level, message) => (level === 'error' ? log.error(message) : log.log(message)),
      // The thread is gone: this connection writes alone (a lock the thread held when it died is
      // freed); the checkpointer goes on.
      () => {
        setProcessWriteLock(ds, null);
        lock.break();
      },
    );
  },
};
