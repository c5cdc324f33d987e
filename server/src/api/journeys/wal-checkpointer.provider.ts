import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_WAL_AUTOCHECKPOINT } from '../../persistence/data-source.js';
import type { EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { SharedWriteLock } from '../../runtime/shared-write-lock.js';
import { WalCheckpointer } from '../../runtime/wal-checkpointer.js';
import type { AppOptions } from '../app-options.js';
import { APP_OPTIONS, WAL_CHECKPOINTER } from '../tokens.js';
import { ENGINE_THREAD } from './engine-thread.provider.js';

/**
 * The WAL checkpointer thread (runtime/wal-checkpointer.ts) wherever the server runs the engine
 * thread, i.e. on a SQLite file with two writing connections, which leave checkpoints to it
 * (engine-thread.provider.ts); it shares their write lock. Null elsewhere (PostgreSQL, `:memory:`,
 * tests on a virtual clock: their one connection checkpoints its own commits). Should it stop,
 * the request thread's connection checkpoints its own commits again. Closed by Nest on shutdown,
 * after the engine thread (onModuleDestroy).
 */
export const walCheckpointerProvider: Provider = {
  provide: WAL_CHECKPOINTER,
  inject: [APP_OPTIONS, ENGINE_THREAD, DataSource],
  useFactory: (opts: AppOptions, engine: EngineThreadHost | null, ds: DataSource): WalCheckpointer | null => {
    if (!engine) return null;
    const log = new Logger('WalCheckpointer');
    const checkpointer = new WalCheckpointer(opts.database.url.replace(/^sqlite:(\/\/)?/, ''), (message) => log.error(message), { writeLock: engine.writeLock });
    checkpointer.onStopped(() => {
      void ds.query(`PRAGMA wal_autocheckpoint = ${DEFAULT_WAL_AUTOCHECKPOINT}`).catch(() => undefined);
      // It may have died holding a ticket of the write lock, which nobody would ever pass then:
      // the writers go on without the lock, as when the engine thread dies (SQLite's busy timeout guards).
      new SharedWriteLock(engine.writeLock).break();
    });
    return checkpointer;
  },
};
