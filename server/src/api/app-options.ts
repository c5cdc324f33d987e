import type { Clock } from '../core/clock.js';
import type { DestinationStream } from 'pino';
import type { Settings } from '../config/settings.js';
import type { DatabaseTarget } from '../persistence/data-source.js';

export interface AppOptions {
  database: DatabaseTarget;
  /** The shop's rules folder (rules/ in the checkout). */
  rulesDir: string;
  clock: Clock;
  /** Run the schedulers (@nestjs/schedule). Tests drive the engine by hand instead. */
  schedulers?: boolean;
  /** Validated environment settings (config/settings.ts); read from process.env when left out. */
  settings?: Settings;
  /** Where log lines go (tests capture them); stdout when left out. */
  logDestination?: DestinationStream;
  /** The server secret file (config/server-secret.ts); null keeps it in memory. Default: next to the SQLite file, or $REKINDLE_SECRET_FILE. */
  secretFile?: string | null;
  /**
   * The entry of the events API's batch parser thread (runtime/event-batch-parse-thread.js);
   * default the compiled one next to the server (none when running from the TypeScript sources,
   * then batches are parsed in the request thread); null: none.
   */
  eventBatchParserEntry?: URL | null;
}
