import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { EventIntake } from '../../server/src/core/engine/event-intake.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { SqlEventInbox } from '../../server/src/persistence/event-inbox.js';
import { DEFAULT_CLIENT, recordEvents } from '../../server/src/persistence/event-log.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { wakeOps } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

/**
 * An event wakes only the sleeping journeys of its customer that can react to it: those on a
 * version whose exitOn names its type, and those waiting for its type (waitForEvent). The others
 * keep their wake-up time (no step, no log line), whichever way events reach the engine:
 * `onEvents` (simulate, tests) or the durable inbox (the server).
 */
const entry = { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait' };
const body = [entry, { id: 'wait', type: 'wait', duration: '2h', next: 'done' }, { id: 'done', type: 'exit' }];
// Version 1 ends on a cancellation, version 2 (published later) on a payment only.
const reminderV1: Flow = FlowSchema.parse({ id: 'reminder', name: 'Reminder', exitOn: [{ event: 'order_cancelled', match: { orderId: '$key' } }], nodes: body });
const reminderV2: Flow = FlowSchema.parse({ id: 'reminder', name: 'Reminder', exitOn: [{ event: 'order_paid', match: { orderId: '$key' } }], nodes: body });
const survey: Flow = FlowSchema.parse({
  id: 'survey',
  name: 'Survey',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'asked' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: ['reply'], within: '3d', responded: 'thanks', timedOut: 'done' },
    { id: 'thanks', type: 'exit', goal: true },
    { id: 'done', type: 'exit' },
  ],
});
// Waits for clicks: so a click matters to some journey, but not to the survey's.
const clicker: Flow = FlowSchema.parse({
  id: 'clicker',
  name: 'Clicker',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'mailed' }, next: 'ask' },
    { id: 'ask', type: 'waitForEvent', events: ['click'], within: '3d', responded: 'done', timedOut: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const T0 = Date.parse('2026-11-20T02:00:00Z');
const PATHS = ['onEvents', 'durable inbox'] as const;

describe.each(DIALECTS.flatMap((d) => PATHS.map((p) => [d, p] as const)))('waking journeys on events (%s, %s)', (dialect, path) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let ann: number;
  let ben: number;
  let n = 0;

  /** Hands events to the engine the way `path` does. */
  const happen = async (events: { customerId: number; type: string; properties?: Record<string, unknown> }[]) => {
    if (path === 'onEvents') {
      await engine.onEvents(await Promise.all(events.map((e) => addEvent(db.dataSource, e.customerId, e.type, e.properties ?? {}, clock.now()))));
    } else {
      const stored = events.map((e) => ({ customerId: e.customerId, type: e.type, properties: e.properties ?? {}, occurredAt: clock.now(), idempotencyKey: `w-${n++}`, clientId: DEFAULT_CLIENT }));
      await writeTransaction(db.dataSource, (m) => recordEvents(m, stored, clock.now()));
      await new EventIntake(engine, new SqlEventInbox(db.dataSource)).drain();
    }
  };
  const journeys = async () =>
    (await queryRows(db.dataSource, 'SELECT e.id, e.flow_id, v.version, e.customer_id, e.journey_key, e.status, e.exit_reason, e.wake_at, e.node_id FROM enrollments e JOIN flow_versions v ON v.id = e.version_id ORDER BY e.id')).map((r) => ({
      id: Number(r.id),
      flow: `${r.flow_id}@${r.version}`,
      customer: Number(r.customer_id),
      key: String(r.journey_key),
      status: String(r.status),
      exitReason: r.exit_reason === null ? null : String(r.exit_reason),
      wakeAt: r.wake_at === null ? null : Number(r.wake_at),
      node: String(r.node_id),
    }));
  const logLines = async () => Number((await queryRows(db.dataSource, 'SELECT COUNT(*) AS n FROM journey_steps'))[0].n);

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const flows = new FlowRepository(db.dataSource);
    engine = ruleFreeEngine(db.dataSource, clock, { flows });
    [ann, ben] = await addCustomers(db.dataSource, [{ externalId: 'ann' }, { externalId: 'ben' }], T0);
    await flows.publish(reminderV1, 'test', T0 - MS_PER_HOUR);
    await flows.publish(survey, 'test', T0 - MS_PER_HOUR);
    await flows.publish(clicker, 'test', T0 - MS_PER_HOUR);
    await happen([{ customerId: ann, type: 'order_created', properties: { orderId: 'o1' } }]);
    await flows.publish(reminderV2, 'test', T0);
    await happen([
      { customerId: ann, type: 'order_created', properties: { orderId: 'o2' } },
      { customerId: ben, type: 'order_created', properties: { orderId: 'o3' } },
      { customerId: ben, type: 'asked' },
    ]);
    clock.advance(MS_PER_HOUR / 2);
    await engine.tick(); // every journey now sleeps: the reminders in their 2-hour wait, the survey waiting for a reply
  });
  afterAll(async () => db?.close());

  it('starts on the version published at the time, and every journey sleeps', async () => {
    expect((await journeys()).map((j) => [j.flow, j.key, j.status, j.node])).toEqual([
      ['reminder@1', 'o1', 'active', 'wait'],
      ['reminder@2', 'o2', 'active', 'wait'],
      ['reminder@2', 'o3', 'active', 'wait'],
      ['survey@1', '', 'active', 'ask'],
    ]);
    for (const j of await journeys()) expect(j.wakeAt).toBeGreaterThan(clock.now());
  });

  it("an unrelated event leaves its customer's waiting journeys alone: same wake-up time, no step, no log line", async () => {
    clock.advance(60_000);
    const before = await journeys();
    const lines = await logLines();
    // A visit matters to no journey; a new order only starts one; a click matters to the clicker flow, not to these.
    await happen([
      { customerId: ann, type: 'visit' },
      { customerId: ben, type: 'visit' },
      { customerId: ben, type: 'click' },
      { customerId: ann, type: 'order_created', properties: { orderId: 'o4' } },
    ]);
    const after = await journeys();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((j) => [j.flow, j.key])).toEqual([['reminder@2', 'o4']]); // the new order's journey
    await engine.tick();
    expect((await journeys()).slice(0, before.length)).toEqual(before);
    expect(await logLines()).toBe(lines + 1); // only the new journey's entry line
  });

  it("an exit event of an older version wakes and ends that version's journey at the event's tick, and leaves the newer version's alone", async () => {
    clock.advance(60_000);
    const before = await journeys();
    await happen([{ customerId: ann, type: 'order_cancelled', properties: { orderId: 'o1' } }]);
    const woken = await journeys();
    expect(woken.find((j) => j.key === 'o1')!.wakeAt).toBe(clock.now());
    // Version 2 does not exit on a cancellation: ann's other reminders keep their time.
    expect(woken.filter((j) => j.key !== 'o1')).toEqual(before.filter((j) => j.key !== 'o1'));
    await engine.tick();
    expect((await journeys()).find((j) => j.key === 'o1')).toMatchObject({ status: 'completed', exitReason: 'order_cancelled', wakeAt: null });
  });

  it("a newer version's exit event wakes its journeys, not the older version's, and ends the one it names", async () => {
    clock.advance(60_000);
    await happen([{ customerId: ann, type: 'order_paid', properties: { orderId: 'o2' } }]);
    const woken = await journeys();
    // Both of ann's reminders on version 2 wake (the type matches; the stepper decides which order was paid).
    expect(woken.filter((j) => j.customer === ann && j.flow === 'reminder@2').map((j) => [j.key, j.wakeAt])).toEqual([
      ['o2', clock.now()],
      ['o4', clock.now()],
    ]);
    expect(woken.find((j) => j.key === 'o3')!.wakeAt).toBeGreaterThan(clock.now());
    await engine.tick();
    const after = await journeys();
    expect(after.find((j) => j.key === 'o2')).toMatchObject({ status: 'completed', exitReason: 'order_paid' });
    // The other order's journey went back to its own wake-up time.
    expect(after.find((j) => j.key === 'o4')).toMatchObject({ status: 'active', node: 'wait' });
    expect(after.find((j) => j.key === 'o4')!.wakeAt).toBeGreaterThan(clock.now());
  });

  it('an event a waitForEvent node waits for wakes that journey and it responds at the event\'s tick', async () => {
    clock.advance(60_000);
    await happen([{ customerId: ben, type: 'reply' }]);
    const woken = await journeys();
    expect(woken.find((j) => j.flow === 'survey@1')!.wakeAt).toBe(clock.now());
    expect(woken.find((j) => j.key === 'o3')!.wakeAt).toBeGreaterThan(clock.now());
    await engine.tick();
    expect((await journeys()).find((j) => j.flow === 'survey@1')).toMatchObject({ status: 'completed', exitReason: 'goal:thanks' });
    const [log] = await queryRows(db.dataSource, "SELECT outcome, at FROM journey_steps WHERE flow_id = 'survey' AND node_id = 'ask' ORDER BY id DESC");
    expect([log.outcome, Number(log.at)]).toEqual(['responded', clock.now()]);
  });

  if (dialect === 'sqlite' && path === 'onEvents') {
    it('the wake statement finds the enrollments by customer (ix_enrollments_customer)', async () => {
      const [op] = wakeOps([{ eventType: 'order_paid', customerIds: [ann, ben], exitVersionIds: [1, 2], waiting: true }], clock.now(), 'sqlite');
      const plan = (await queryRows(db.dataSource, `EXPLAIN QUERY PLAN ${op.sql}`, op.params)).map((r) => String(r.detail));
      expect(plan.join(' | ')).toMatch(/^SEARCH enrollments USING INDEX ix_enrollments_customer \(customer_id=\?\)/);
    });
  }
});
