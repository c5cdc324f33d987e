import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { EventIntake } from '../../server/src/core/engine/event-intake.js';
import type { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { SqlEventInbox } from '../../server/src/persistence/event-inbox.js';
import { DEFAULT_CLIENT, recordEvents } from '../../server/src/persistence/event-log.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

/**
 * A journey whose entry leads straight to a timed wait is inserted asleep until the wait ends
 * (core/engine/first-wait.ts) — but only when its first step could have done nothing else: an
 * exit event of the journey stored since its entry (even one stamped ahead of the clock), or a
 * wait already over, leaves it due, and the stepper decides as before. Whichever way the
 * events reach the engine, every journey ends up where the stepper would have put it.
 */
const reminder: Flow = FlowSchema.parse({
  id: 'reminder',
  name: 'Reminder',
  exitOn: [
    { event: 'order_paid', match: { orderId: '$key' }, goal: true },
    { event: 'order_cancelled', match: { orderId: '$key' } },
  ],
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: '2h', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
// An entry that leads to a waitForEvent node: its first step is the stepper's, as before.
const survey: Flow = FlowSchema.parse({
  id: 'survey',
  name: 'Survey',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'asked' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: ['reply'], within: '3d', responded: 'done', timedOut: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const MS_PER_MINUTE = 60_000;
const T0 = Date.parse('2026-11-20T02:00:00Z');
const PATHS = ['onEvents', 'durable inbox'] as const;

describe.each(DIALECTS.flatMap((d) => PATHS.map((p) => [d, p] as const)))('a first wait decided at entry (%s, %s)', (dialect, path) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let c: Record<string, number>;
  let n = 0;

  const happen = async (events: { customer: string; type: string; properties?: Record<string, unknown>; occurredAt?: number }[]) => {
    const at = (e: { occurredAt?: number }) => e.occurredAt ?? clock.now();
    if (path === 'onEvents') {
      await engine.onEvents(await Promise.all(events.map((e) => addEvent(db.dataSource, c[e.customer], e.type, e.properties ?? {}, at(e)))));
    } else {
      const stored = events.map((e) => ({ customerId: c[e.customer], type: e.type, properties: e.properties ?? {}, occurredAt: at(e), idempotencyKey: `f-${n++}`, clientId: DEFAULT_CLIENT }));
      await writeTransaction(db.dataSource, (m) => recordEvents(m, stored, clock.now()));
      await new EventIntake(engine, new SqlEventInbox(db.dataSource)).drain();
    }
  };
  const journey = async (key: string, flow = 'reminder') => {
    const [r] = await queryRows(db.dataSource, 'SELECT status, exit_reason, node_id, entered_at, node_entered_at, wake_at, step_count FROM enrollments WHERE flow_id = ? AND journey_key = ?', [flow, key]);
    const num = (v: unknown) => (v === null ? null : Number(v));
    return { status: String(r.status), exitReason: r.exit_reason === null ? null : String(r.exit_reason), node: String(r.node_id), enteredAt: num(r.entered_at), nodeEnteredAt: num(r.node_entered_at), wakeAt: num(r.wake_at), stepCount: Number(r.step_count) };
  };
  const logLines = async (key: string) =>
    (await queryRows(db.dataSource, "SELECT s.outcome FROM journey_steps s JOIN enrollments e ON e.id = s.enrollment_id WHERE e.flow_id = 'reminder' AND e.journey_key = ? ORDER BY s.id", [key])).map((r) => String(r.outcome));

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const flows = new FlowRepository(db.dataSource);
    engine = ruleFreeEngine(db.dataSource, clock, { flows });
    const names = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus'];
    const ids = await addCustomers(db.dataSource, names.map((externalId) => ({ externalId })), T0);
    c = Object.fromEntries(names.map((name, i) => [name, ids[i]]));
    await flows.publish(reminder, 'test', T0 - MS_PER_HOUR);
    await flows.publish(survey, 'test', T0 - MS_PER_HOUR);
    // Stored before the orders' own events: a payment of the same order, one of another order, one stamped 30 minutes ahead.
    await happen([
      { customer: 'ben', type: 'order_paid', properties: { orderId: 'o2' } },
      { customer: 'cat', type: 'order_paid', properties: { orderId: 'o9' } },
      { customer: 'eve', type: 'order_paid', properties: { orderId: 'o5' }, occurredAt: T0 + 30 * MS_PER_MINUTE },
    ]);
    await happen([
      { customer: 'ann', type: 'order_created', properties: { orderId: 'o1' } },
      { customer: 'ben', type: 'order_created', properties: { orderId: 'o2' } },
      { customer: 'cat', type: 'order_created', properties: { orderId: 'o3' } },
      { customer: 'dan', type: 'order_created', properties: { orderId: 'o4' }, occurredAt: T0 - 3 * MS_PER_HOUR },
      { customer: 'eve', type: 'order_created', properties: { orderId: 'o5' } },
      // Created and paid in the same delivery.
      { customer: 'fay', type: 'order_created', properties: { orderId: 'o6' } },
      { customer: 'fay', type: 'order_paid', properties: { orderId: 'o6' } },
      { customer: 'gus', type: 'asked' },
    ]);
  });
  afterAll(async () => db?.close());

  it('a new order with no exit event since is asleep from its entry until its wait ends: entered, nothing else written, not stepped', async () => {
    for (const key of ['o1', 'o3']) {
      expect(await journey(key)).toEqual({ status: 'active', exitReason: null, node: 'wait', enteredAt: T0, nodeEnteredAt: T0, wakeAt: T0 + 2 * MS_PER_HOUR, stepCount: 0 });
      expect(await logLines(key)).toEqual(['entered']);
    }
  });

  it('a journey whose first step may do more is left due at its entry', async () => {
    expect((await journey('o2')).wakeAt).toBe(T0); // paid before its creation was heard of
    expect((await journey('o4')).wakeAt).toBe(T0 - 3 * MS_PER_HOUR); // its wait is over
    expect((await journey('o5')).wakeAt).toBe(T0); // a payment stamped ahead of the clock
    expect((await journey('o6')).wakeAt).toBe(T0); // paid in the same delivery
    expect((await journey('', 'survey')).wakeAt).toBe(T0); // not a timed wait
  });

  it('the next tick leaves the sleeping ones alone and steps the others as the stepper always did', async () => {
    clock.advance(MS_PER_MINUTE);
    await engine.tick();
    expect(await journey('o1')).toMatchObject({ status: 'active', node: 'wait', wakeAt: T0 + 2 * MS_PER_HOUR });
    expect(await logLines('o1')).toEqual(['entered']);
    expect(await journey('o2')).toMatchObject({ status: 'completed', exitReason: 'order_paid', wakeAt: null });
    expect(await journey('o3')).toMatchObject({ status: 'active', node: 'wait', wakeAt: T0 + 2 * MS_PER_HOUR });
    expect(await journey('o4')).toMatchObject({ status: 'exited', node: 'done' });
    expect(await logLines('o4')).toEqual(['entered', 'waited', 'exited:exit:done']);
    // The payment is not yet due by the clock: the stepper's own decision — asleep until the payment's time.
    expect(await journey('o5')).toMatchObject({ status: 'active', node: 'wait', wakeAt: T0 + 30 * MS_PER_MINUTE });
    expect(await journey('o6')).toMatchObject({ status: 'completed', exitReason: 'order_paid' });
    expect(await journey('', 'survey')).toMatchObject({ status: 'active', node: 'ask' });
  });

  it('a payment that comes later wakes the sleeping journey, which ends at the next tick', async () => {
    clock.advance(MS_PER_MINUTE);
    await happen([{ customer: 'ann', type: 'order_paid', properties: { orderId: 'o1' } }]);
    expect((await journey('o1')).wakeAt).toBe(clock.now());
    await engine.tick();
    expect(await journey('o1')).toMatchObject({ status: 'completed', exitReason: 'order_paid', wakeAt: null });
    expect(await logLines('o1')).toEqual(['entered', 'completed:order_paid']);
  });

  it('when its wait ends, the sleeping journey moves on as any other', async () => {
    clock.set(T0 + 2 * MS_PER_HOUR);
    await engine.tick();
    expect(await journey('o3')).toMatchObject({ status: 'exited', node: 'done' });
    expect(await logLines('o3')).toEqual(['entered', 'waited', 'exited:exit:done']);
    expect(await journey('o5')).toMatchObject({ status: 'completed', exitReason: 'order_paid' });
  });
});
