import type { Clock } from '../core/clock.js';
import type { DatabaseTarget } from '../persistence/data-source.js';

export interface AppOptions {
  database: DatabaseTarget;
  /** The shop's rules folder (rules/ in the checkout). */
  rulesDir: string;
  clock: Clock;
  /** Run the schedulers (@nestjs/schedule). Tests drive the engine by hand instead. */
  schedulers?: boolean;
}
