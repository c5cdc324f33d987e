import type { DataSource } from 'typeorm';
import type { Clock } from '../../server/src/core/clock.js';
import { JourneyEngine, type JourneyEngineDeps } from '../../server/src/core/engine/journey-engine.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { TZ } from './shop-fixtures.js';

/**
 * A journey engine over a test database for flows that use no segments and no rules (entry by
 * event, waits, sends, exits): its segments are empty and every rule answers "no". `deps`
 * replaces any part (a policy, executors, the store or flow catalogue the test also holds).
 */
export function ruleFreeEngine(ds: DataSource, clock: Clock, deps: Partial<JourneyEngineDeps> = {}): JourneyEngine {
  return new JourneyEngine({
    clock,
    store: new TypeOrmJourneyStore(ds, defaultShopConfig),
    flows: new FlowRepository(ds),
    segments: { customerIds: async () => [] },
    rulesFor: () => ({ evaluate: async () => ({ matched: false, explanation: {} }) }),
    timezone: TZ,
    ...deps,
  });
}
