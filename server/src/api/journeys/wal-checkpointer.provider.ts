import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_WAL_AUTOCHECKPOINT, sqliteFileOf } from '../../persistence/data-source.js';
import type { EngineThreadHost } from '../../runtime/engine-thread-host.js';
import { WalCheckpointer } from '../../runtime/wal-checkpointer.js';
import type { AppOptions } from '../app-options.js';
import { APP_OPTIONS, WAL_CHECKPOINTER } from '../tokens.js';
import { ENGINE_THREAD } from './engine-thread.provider.js';

/**
 * The WAL checkpointer thread (runtime/wal-checkpointer.ts) wherever the server runs the engine
 * thread, i.e. on a SQLite file with two writing connections, which leave checkpoints to it
 * (engine-thread.provider.ts); it shares their write lock. Null elsewhere (PostgreSQL, `:memory:`,
 * tests on a virtual clock: their one connection checkpoints its own commits). Should it stop,
 * both writers' connections checkpoint their own commits again (the default wal_autocheckpoint:
 * the engine's backstop alone would let the WAL reach 1 GB), and the writers keep taking turns
 * (a turn of the lock the thread held is passed on by WalCheckpointer). Closed by Nest on
 * shutdown, after the engine thread (onModuleDestroy).
 */
export const walCheckpointerProvider: Provider = {
  provide: WAL_CHECKPOINTER,
  inject: [APP_OPTIONS, ENGINE_THREAD, DataSource],
  useFactory: (opts: AppOptions, engine: EngineThreadHost | null, ds: DataSource): WalCheckpointer | null => {
    // The engine thread runs only on a SQLite file (useEngineThread), so there is one.
    const file = sqliteFileOf(opts.database);
    if (!engine || file === null) return null;
    const log = new Logger('WalCheckpointer');
    const checkpointer = new WalCheckpointer(file, (message) => log.error(message), { writeLock: engine.writeLock });
    checkpointer.onStopped(() => void writersCheckpointAgain(ds, engine));
    return checkpointer;
  },
};

/** Both writers' connections back to checkpointing their own commits (the checkpointer thread stopped). */
export async function writersCheckpointAgain(ds: Pick<DataSource, 'query'>, engine: Pick<EngineThreadHost, 'usable' | 'setWalAutocheckpoint'>): Promise<void> {
  await Promise.all([
    ds.query(`PRAGMA wal_autocheckpoint = ${DEFAULT_WAL_AUTOCHECKPOINT}`).catch(() => undefined),
    // An engine thread that is gone or closing writes no more.
    engine.usable ? engine.setWalAutocheckpoint(DEFAULT_WAL_AUTOCHECKPOINT).catch(() => undefined) : undefined,
  ]);
}
