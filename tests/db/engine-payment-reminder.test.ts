import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock, MS_PER_HOUR } from '../../server/src/core/clock.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import type { Effect, StepLog } from '../../server/src/core/engine/model.js';
import type { EnrollmentUpdate } from '../../server/src/core/engine/ports.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent, sends } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

const reminder: Flow = FlowSchema.parse({
  id: 'payment-reminder',
  name: 'Payment reminder',
  exitOn: [
    { event: 'order_paid', match: { orderId: '$key' } },
    { event: 'order_cancelled', match: { orderId: '$key' }, goal: false },
  ],
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'wait-2h' },
    { id: 'wait-2h', type: 'wait', duration: '2h', next: 'remind-1' },
    { id: 'remind-1', type: 'send', channel: 'sms', category: 'transactional', template: '亲，订单{{key}}还未付款', next: 'wait-paid' },
    { id: 'wait-paid', type: 'waitForEvent', events: ['order_paid'], match: { orderId: '$key' }, within: '22h', responded: 'paid', timedOut: 'remind-2' },
    { id: 'remind-2', type: 'send', channel: 'sms', category: 'transactional', template: '订单{{key}}即将关闭', next: 'gave-up' },
    { id: 'paid', type: 'exit', goal: true },
    { id: 'gave-up', type: 'exit' },
  ],
});

const T0 = Date.parse('2026-11-20T02:00:00Z');

describe.each(DIALECTS)('payment reminder journeys on %s', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  let store: TypeOrmJourneyStore;
  let alice: number;
  let bob: number;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const flows = new FlowRepository(db.dataSource);
    await flows.publish(reminder, 'test', T0 - MS_PER_HOUR);
    engine = ruleFreeEngine(db.dataSource, clock, { store, flows });
    [alice, bob] = await addCustomers(db.dataSource, [{ externalId: 'alice' }, { externalId: 'bob' }], T0);
  });
  afterAll(async () => db?.close());

  it('starts one journey per unpaid order, and a duplicate event starts none', async () => {
    const e1 = await addEvent(db.dataSource, alice, 'order_created', { orderId: 'o1' }, T0);
    const e2 = await addEvent(db.dataSource, alice, 'order_created', { orderId: 'o2' }, T0);
    const e3 = await addEvent(db.dataSource, bob, 'order_created', { orderId: 'o3' }, T0);
    const [report] = await engine.onEvents([e1, e2, e3]);
    expect(report.enrolled).toBe(3);
    const [again] = await engine.onEvents([e1]);
    expect(again.enrolled).toBe(0);
    await engine.tick();
    expect(await sends(db.dataSource)).toHaveLength(0);
  });

  it('reminds each order after 2 hours, exactly once even if the tick repeats', async () => {
    clock.advance(2 * MS_PER_HOUR);
    await engine.tick();
    await engine.tick();
    const s = await sends(db.dataSource);
    expect(s.map((x) => [Number(x.customer_id), x.node_id, x.body])).toEqual([
      [alice, 'remind-1', '亲，订单o1还未付款'],
      [alice, 'remind-1', '亲，订单o2还未付款'],
      [bob, 'remind-1', '亲，订单o3还未付款'],
    ]);
  });

  it('ends only the journey of the order that was paid, and never sends for it again', async () => {
    clock.advance(MS_PER_HOUR);
    const paid = await addEvent(db.dataSource, alice, 'order_paid', { orderId: 'o1' }, clock.now());
    await engine.onEvents([paid]);
    await engine.tick();
    clock.advance(21 * MS_PER_HOUR); // 24 h after the order
    await engine.tick();
    const s = await sends(db.dataSource);
    expect(s.filter((x) => x.node_id === 'remind-2').map((x) => x.body).sort()).toEqual(['订单o2即将关闭', '订单o3即将关闭']);
    const journeys = await queryRows(db.dataSource, "SELECT journey_key, status, exit_reason FROM enrollments ORDER BY journey_key");
    expect(journeys.map((j) => [j.journey_key, j.status, j.exit_reason])).toEqual([
      ['o1', 'completed', 'order_paid'],
      ['o2', 'exited', 'exit:gave-up'],
      ['o3', 'exited', 'exit:gave-up'],
    ]);
  });

  it('loses and repeats nothing when a step batch fails before it commits (restart-safe)', async () => {
    const e = await addEvent(db.dataSource, bob, 'order_created', { orderId: 'o4' }, clock.now());
    await engine.onEvents([e]);
    clock.advance(2 * MS_PER_HOUR);
    // The batch's writes go through the store bound to its transaction (inBatch): crash there.
    const proto = TypeOrmJourneyStore.prototype;
    const real = proto.commitStep;
    let crash = true;
    proto.commitStep = async function (this: TypeOrmJourneyStore, u: EnrollmentUpdate[], ef: Effect[], l: StepLog[]) {
      if (crash) throw new Error('simulated crash before commit');
      return real.call(this, u, ef, l);
    };
    await expect(engine.tick()).rejects.toThrow('simulated crash');
    expect((await sends(db.dataSource)).filter((x) => String(x.body).includes('o4'))).toHaveLength(0);
    crash = false;
    await engine.tick();
    await engine.tick();
    expect((await sends(db.dataSource)).filter((x) => String(x.body).includes('o4'))).toHaveLength(1);
    proto.commitStep = real;
  });

  it('logs why each journey moved (entered, waited, queued, responded or timed out)', async () => {
    const steps = await queryRows(db.dataSource, "SELECT e.journey_key, s.node_id, s.outcome FROM journey_steps s JOIN enrollments e ON e.id = s.enrollment_id WHERE e.journey_key = 'o2' ORDER BY s.id");
    expect(steps.map((x) => `${x.node_id}:${x.outcome}`)).toEqual(['start:entered', 'wait-2h:waited', 'remind-1:queued', 'wait-paid:timed-out', 'remind-2:queued', 'gave-up:exited:exit:gave-up']);
  });
});
