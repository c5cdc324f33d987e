import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

/**
 * A waitForEvent node may wait for as many event types as the flow lists: the sleeping journey
 * stores the whole list (enrollments.waiting_for), and an event of the LAST type still wakes it
 * (journey-store.ts wakeOps matches on that column). On PostgreSQL the column was varchar(256): a
 * longer list made the step batch fail to commit on every tick (migration 1765000300000).
 */
const types = Array.from({ length: 40 }, (_, i) => `storefront_response_${String(i).padStart(2, '0')}`); // ~900 characters encoded
const flow = FlowSchema.parse({
  id: 'many',
  name: 'Waits for many kinds of answer',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'asked' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: types, within: '3d', responded: 'thanks', timedOut: 'done' },
    { id: 'thanks', type: 'exit', goal: true },
    { id: 'done', type: 'exit' },
  ],
});
const T0 = Date.parse('2026-11-20T02:00:00Z');

describe.each(DIALECTS)('a waitForEvent node waiting for many event types (%s)', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let ann: number;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const flows = new FlowRepository(db.dataSource);
    engine = ruleFreeEngine(db.dataSource, clock, { flows });
    [ann] = await addCustomers(db.dataSource, [{ externalId: 'ann' }], T0);
    await flows.publish(flow, 'test', T0);
  });
  afterAll(async () => db?.close());

  it('sleeps with the whole list stored, and an event of the last type wakes it and it responds at once', async () => {
    await engine.onEvents([await addEvent(db.dataSource, ann, 'asked', {}, clock.now())]);
    clock.advance(60_000);
    await engine.tick();
    const [waiting] = await queryRows(db.dataSource, 'SELECT node_id, waiting_for FROM enrollments');
    expect(waiting.node_id).toBe('ask');
    expect(String(waiting.waiting_for).length).toBeGreaterThan(256);
    clock.advance(60_000);
    await engine.onEvents([await addEvent(db.dataSource, ann, types[types.length - 1], {}, clock.now())]);
    const [woken] = await queryRows(db.dataSource, 'SELECT wake_at FROM enrollments');
    expect(Number(woken.wake_at)).toBe(clock.now());
    await engine.tick();
    const [done] = await queryRows(db.dataSource, 'SELECT status, exit_reason FROM enrollments');
    expect([done.status, done.exit_reason]).toEqual(['completed', 'goal:thanks']);
  });
});
