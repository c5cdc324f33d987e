import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { openWorkspace, type Workspace } from '../config/workspace.js';
import type { AppOptions } from './app-options.js';
import { loadSettings } from '../config/settings.js';
import { sqliteFileOf } from '../persistence/data-source.js';
import { threadEventBatchParser, type EventBatchParser } from '../runtime/event-batch-parser.js';
import { SqlReaderThread } from '../runtime/sql-reader.js';
import { simulationCopyHold, type SimulationCopyHold } from '../runtime/simulation-copy-hold.js';
import { APP_OPTIONS, CLOCK, EVENT_BATCH_PARSER, SETTINGS, SIMULATION_COPY, SQL_READER, WORKSPACE } from './tokens.js';

/** On a SQLite file (and REKINDLE_ENGINE_THREAD not off), segment scans run in a reader thread. */
function sqlReader(opts: AppOptions): SqlReaderThread | null {
  const settings = opts.settings ?? loadSettings();
  const file = sqliteFileOf(opts.database);
  if (settings.REKINDLE_ENGINE_THREAD !== 'on' || file === null || !SqlReaderThread.supported(file)) return null;
  return new SqlReaderThread(file);
}

/**
 * The events API's batch parser thread (`eventBatchParserEntry` null: none). A provider, so Nest
 * stops its thread when the app closes: create-app.ts used to assign its own `app.close`, which
 * Nest's application proxy silently ignores, and the thread outlived every closed app.
 */
function eventBatchParser(opts: AppOptions): EventBatchParser | null {
  const parser = opts.eventBatchParserEntry === null ? null : threadEventBatchParser(opts.eventBatchParserEntry);
  return parser && Object.assign(parser, { onApplicationShutdown: () => parser.close() });
}

/**
 * Whether the database is a simulation's copy, decided once as the app starts and said once, in one
 * line: nothing that ticks, drains the event intake or sends is then started (simulation-copy/live-only.ts).
 */
async function simulationCopy(ds: DataSource, workspace: Workspace): Promise<SimulationCopyHold | null> {
  const hold = await simulationCopyHold(ds, workspace.shop.timezone);
  if (hold) new Logger('Rekindle').warn(hold.line);
  return hold;
}

/** Provides the app's options, the clock, the shop's workspace (rules folder + shop.yaml) and the validated settings to every module. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(opts: AppOptions): DynamicModule {
    return {
      module: CoreModule,
      providers: [
        { provide: APP_OPTIONS, useValue: opts },
        { provide: CLOCK, useValue: opts.clock },
        { provide: WORKSPACE, useFactory: () => openWorkspace(opts.rulesDir) },
        { provide: SETTINGS, useFactory: () => opts.settings ?? loadSettings() },
        { provide: SQL_READER, useFactory: () => sqlReader(opts) },
        { provide: EVENT_BATCH_PARSER, useFactory: () => eventBatchParser(opts) },
        { provide: SIMULATION_COPY, inject: [DataSource, WORKSPACE], useFactory: simulationCopy },
      ],
      exports: [APP_OPTIONS, CLOCK, WORKSPACE, SETTINGS, SQL_READER, EVENT_BATCH_PARSER, SIMULATION_COPY],
    };
  }
}
