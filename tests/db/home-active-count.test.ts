import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import type { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { flowStats } from '../../server/src/persistence/flow-stats.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';

/**
 * The journeys home's "in the flow now" (GET /api/home, persistence/active-by-flow.ts: the journeys
 * under way through the active-only ix_enrollments_wake, or all − finished over two index ranges,
 * whichever reads less; widening ix_enrollments_wake by the flow id instead cost Double 11 more
 * than it saved, bench/README.md twenty-sixth wave). Both reads are checked. It must stay right as journeys enter, leave on an exit event, finish at their exit node
 * and are ended by stopping the flow, through the engine's own writes.
 */
const reminder: Flow = FlowSchema.parse({
  id: 'reminder',
  name: 'Reminder',
  exitOn: [{ event: 'order_paid', match: { orderId: '$key' } }],
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: '2h', next: 'done' },
    { id: 'done', type: 'exit', goal: true },
  ],
});
const survey: Flow = FlowSchema.parse({
  id: 'survey',
  name: 'Survey',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'asked' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: ['reply'], within: '3d', responded: 'done', timedOut: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
const T0 = Date.parse('2026-11-20T02:00:00Z');

describe.each(DIALECTS)('journeys home active count across enter, exit, finish and stop (%s)', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let flows: FlowRepository;
  let c: number[];
  const happen = async (events: [number, string, Record<string, unknown>?][]) =>
    engine.onEvents(await Promise.all(events.map(([customer, type, props]) => addEvent(db.dataSource, customer, type, props ?? {}, clock.now()))));
  /** The home's active counts, and what the table says (every flow that has journeys). */
  const counts = async () => {
    const truth = await queryRows(db.dataSource, "SELECT flow_id, SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS n FROM enrollments GROUP BY flow_id");
    const expected = Object.fromEntries(truth.map((r) => [String(r.flow_id), Number(r.n)]));
    // Each of the two reads (the journeys under way; all − finished) and the one the home picks.
    let got: Record<string, number> = {};
    for (const activeRead of [undefined, 'active-rows', 'all-minus-ended'] as const) {
      const stats = await flowStats(db.dataSource, clock.now(), { activeRead });
      got = Object.fromEntries(Object.keys(expected).map((f) => [f, stats.get(f)?.active ?? 0]));
      expect([activeRead, got]).toEqual([activeRead, expected]);
    }
    return got;
  };

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    flows = new FlowRepository(db.dataSource);
    engine = ruleFreeEngine(db.dataSource, clock, { flows });
    c = await addCustomers(db.dataSource, [{ externalId: 'ha-1' }, { externalId: 'ha-2' }, { externalId: 'ha-3' }, { externalId: 'ha-4' }], T0);
    await flows.publish(reminder, 'test', T0 - MS_PER_HOUR);
    await flows.publish(survey, 'test', T0 - MS_PER_HOUR);
  });
  afterAll(async () => db?.close());

  it('counts the journeys that entered, and keeps them while they wait', async () => {
    await happen([
      [c[0], 'order_created', { orderId: 'o1' }],
      [c[1], 'order_created', { orderId: 'o2' }],
      [c[2], 'order_created', { orderId: 'o3' }],
      [c[3], 'asked'],
    ]);
    expect(await counts()).toEqual({ reminder: 3, survey: 1 });
    clock.advance(MS_PER_HOUR / 2);
    await engine.tick();
    expect(await counts()).toEqual({ reminder: 3, survey: 1 });
  });

  it('drops a journey that leaves on its exit event, and one that answers', async () => {
    await happen([
      [c[1], 'order_paid', { orderId: 'o2' }],
      [c[3], 'reply'],
    ]);
    await engine.tick();
    expect(await counts()).toEqual({ reminder: 2, survey: 0 });
  });

  it('drops journeys that reach their exit node, and counts the ones that enter after', async () => {
    clock.advance(2 * MS_PER_HOUR);
    await engine.tick();
    expect(await counts()).toEqual({ reminder: 0, survey: 0 });
    await happen([[c[0], 'order_created', { orderId: 'o4' }], [c[2], 'asked']]);
    await engine.tick();
    expect(await counts()).toEqual({ reminder: 1, survey: 1 });
  });

  it('drops the journeys a stopped flow ends, and leaves the other flow alone', async () => {
    await flows.stop('reminder', clock.now());
    expect(await counts()).toEqual({ reminder: 0, survey: 1 });
    const ended = await queryRows(db.dataSource, "SELECT COUNT(*) AS n FROM enrollments WHERE status <> 'active'");
    expect(Number(ended[0].n)).toBe(5); // o1, o2, o3, o4 and the first survey
  });
});
