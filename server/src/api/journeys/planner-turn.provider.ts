import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppOptions } from '../app-options.js';
import { dialectOf } from '../../persistence/data-source.js';
import { PlannerLease } from '../../persistence/planner-lease.js';
import { PlannerTurn } from '../../runtime/planner-turn.js';
import { APP_OPTIONS } from '../tokens.js';

export const PLANNER_TURN = Symbol('PlannerTurn');

/**
 * On PostgreSQL the server's ticker plans only while it holds the shop's planner lease
 * (persistence/planner-lease.ts): of several servers, or a server and a `rekindle scheduler`, one
 * plans and the others stand by. SQLite: null, one process owns the file.
 */
export const plannerTurnProvider: Provider = {
  provide: PLANNER_TURN,
  inject: [DataSource, APP_OPTIONS],
  useFactory: (ds: DataSource, opts: AppOptions): PlannerTurn | null => {
    if (dialectOf(opts.database) !== 'postgres') return null;
    const log = new Logger('JourneyTicker');
    const turn = new PlannerTurn(new PlannerLease(ds, `rekindle server ${process.pid}`), (line) => log.log(line));
    // Let go when the app closes, before the pool does: a standby takes over at its next tick.
    return Object.assign(turn, { beforeApplicationShutdown: () => turn.release() });
  },
};
