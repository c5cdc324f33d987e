import type { Clock } from '../core/clock.js';
import type { DatabaseTarget } from '../persistence/data-source.js';

export interface AppOptions {
  database: DatabaseTarget;
  /** The shop's rules folder (rules/ in the checkout). */
  rulesDir: string;
  clock: Clock;
  /** Run the schedulers (@nestjs/schedule). Tests drive the engine by hand instead. */
  schedulers?: boolean;
  /** The server secret file (config/server-secret.ts); null keeps it in memory. Default: next to the SQLite file, or $REKINDLE_SECRET_FILE. */
  secretFile?: string | null;
}
