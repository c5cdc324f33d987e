import { Logger, type Provider } from '@nestjs/common';
import type { Settings } from '../../config/settings.js';
import { WalCheckpointer } from '../../runtime/wal-checkpointer.js';
import type { AppOptions } from '../app-options.js';
import { APP_OPTIONS, SETTINGS, WAL_CHECKPOINTER } from '../tokens.js';
import { useEngineThread } from './engine-thread.provider.js';

/**
 * The WAL checkpointer thread (runtime/wal-checkpointer.ts) wherever the server runs the engine
 * thread, i.e. on a SQLite file with two writing connections; null elsewhere (PostgreSQL,
 * `:memory:`, tests on a virtual clock: their one connection checkpoints its own commits).
 * engine-thread.provider.ts sets the request thread's connection to leave checkpoints to it, and
 * back to checkpointing its own commits should it stop. Closed by Nest on shutdown, after the
 * engine thread (onModuleDestroy).
 */
export const walCheckpointerProvider: Provider = {
  provide: WAL_CHECKPOINTER,
  inject: [APP_OPTIONS, SETTINGS],
  useFactory: (opts: AppOptions, settings: Settings): WalCheckpointer | null => {
    if (!useEngineThread(opts, settings)) return null;
    const log = new Logger('WalCheckpointer');
    return new WalCheckpointer(opts.database.url.replace(/^sqlite:(\/\/)?/, ''), (message) => log.error(message));
  },
};
