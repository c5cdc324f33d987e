/**
 * A payment-reminder test counts the reminded order's own payment: `match: {orderId: $key}` on an
 * experiment response means the key of the journey that was assigned, as it does on exitOn and
 * waitForEvent. It was compared with the text "$key": every arm counted 0 responders, and the
 * report said the arms did not differ "within chance".
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { createSplitExecutor } from '../../server/src/core/engine/executors/split.executor.js';
import { defaultExecutors } from '../../server/src/core/engine/executors/index.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { ExperimentStore, experimentNode, experimentReport } from '../../server/src/persistence/experiment-store.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

const T0 = Date.parse('2026-11-02T02:00:00Z');

const reminder: Flow = FlowSchema.parse({
  id: 'reminder-test',
  name: 'Reminder test',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, reentry: { policy: 'always' }, next: 'pick' },
    {
      id: 'pick',
      type: 'split',
      experiment: { id: 'reminder-x', window: '3d', responses: [{ event: 'order_paid', match: { orderId: '$key' } }] },
      arms: [
        { id: 'a', weight: 50, next: 'remind' },
        { id: 'holdout', weight: 50, holdout: true, next: 'done' },
      ],
    },
    { id: 'remind', type: 'send', channel: 'sms', kind: 'transactional', template: '【店】您的订单还未付款', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe.each(DIALECTS)('an experiment response matched on the journey key, on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  }, 60_000);
  afterAll(async () => db?.close());

  it('counts the assigned order\'s own payment, not another order\'s, and not the text "$key"', async () => {
    const clock = new VirtualClock(T0);
    await new FlowRepository(db.dataSource).publish(reminder, 'test', T0 - MS_PER_HOUR);
    const engine = ruleFreeEngine(db.dataSource, clock, { executors: defaultExecutors().register(createSplitExecutor(new ExperimentStore(db.dataSource))) });
    const ids = await addCustomers(db.dataSource, Array.from({ length: 40 }, (_, i) => ({ externalId: `c${i}`, consent: { sms: true } })), T0 - MS_PER_DAY);
    await engine.onEvents(await Promise.all(ids.map((id) => addEvent(db.dataSource, id, 'order_created', { orderId: `o${id}` }, T0))));
    await engine.tick();
    await executeBatch(db.dataSource, [{ sql: "UPDATE sends SET status = 'sent', sent_at = ? WHERE status = 'queued'", params: [T0 + 60_000] }]);
    const arms = new Map((await queryRows(db.dataSource, "SELECT customer_id, arm FROM split_assignments WHERE flow_id = 'reminder-test'")).map((r) => [Number(r.customer_id), String(r.arm)]));
    const inArm = (arm: string) => ids.filter((id) => arms.get(id) === arm);
    const [a, holdout] = [inArm('a'), inArm('holdout')];
    expect(a.length).toBeGreaterThan(8);
    expect(holdout.length).toBeGreaterThan(8);

    // Arm a: 5 pay the reminded order, 3 pay some other order.
    for (const id of a.slice(0, 4)) await addEvent(db.dataSource, id, 'order_paid', { orderId: `o${id}`, amount: 100 }, T0 + MS_PER_HOUR);
    await addEvent(db.dataSource, a[4], 'order_paid', { orderId: `o${a[4]}`, amount: 80 }, T0 + MS_PER_HOUR);
    for (const id of a.slice(5, 8)) await addEvent(db.dataSource, id, 'order_paid', { orderId: `other-${id}`, amount: 999 }, T0 + MS_PER_HOUR);
    // The holdout: 2 pay their order, 1 another order.
    for (const id of holdout.slice(0, 2)) await addEvent(db.dataSource, id, 'order_paid', { orderId: `o${id}`, amount: 50 }, T0 + 2 * MS_PER_HOUR);
    await addEvent(db.dataSource, holdout[2], 'order_paid', { orderId: 'elsewhere', amount: 999 }, T0 + 2 * MS_PER_HOUR);

    const r = await experimentReport(db.dataSource, 'reminder-test', experimentNode(reminder, 'reminder-x')!, T0 + 5 * MS_PER_DAY);
    const by = Object.fromEntries(r.arms.map((x) => [x.arm, x]));
    expect([by.a.assigned, by.a.exposed, by.a.responders, by.a.revenue]).toEqual([a.length, a.length, 5, 480]);
    expect([by.holdout.assigned, by.holdout.responders, by.holdout.revenue]).toEqual([holdout.length, 2, 100]);
  });
});
