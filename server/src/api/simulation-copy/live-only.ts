import type { InjectionToken, Provider } from '@nestjs/common';
import type { SimulationCopyHold } from '../../runtime/simulation-copy-hold.js';
import { SIMULATION_COPY } from '../tokens.js';

/**
 * A provider built only on a live database; on a simulation's copy (runtime/simulation-copy-hold.ts)
 * it is null. The loops that move journeys or send are provided this way — the ticker's and the
 * event intake's schedules (journeys/engine-loops.ts), the intake's nudges on a stored event
 * (journeys/engine-event-listener.ts) and the outbox's schedule (channels/outbox-loop.ts) — so on a
 * copy nothing starts them: @nestjs/schedule finds no @Interval on a null, and no listener is
 * registered. The engine and the dispatcher themselves are built as everywhere; only what drives
 * them is left out, and the routes that would drive them by hand answer 409
 * (nothing-runs-on-a-copy.ts).
 */
export function liveOnly<T>(provide: InjectionToken, inject: InjectionToken[], build: (...deps: never[]) => T): Provider {
  return {
    provide,
    inject: [SIMULATION_COPY, ...inject],
    useFactory: (copy: SimulationCopyHold | null, ...deps: never[]): T | null => (copy ? null : build(...deps)),
  };
}
