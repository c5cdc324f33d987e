/**
 * A payment stored while a payment reminder is due, but stamped a moment after the tick's instant
 * (the tick takes its `now` before its batches run; the shop's clock or a busy tick puts the
 * payment after it). Its intake wake-up finds the journey already due and leaves it alone; the
 * tick's exit check does not count an event after its `now`, and the journey went to sleep for
 * its 2-hour wait: a paid order's reminder journey stayed active until then (seen in an HTTP
 * burst of order_created + order_paid: 155 of 3,011 paid orders). Now the journey sleeps only
 * until the payment's time and ends at the next tick. The same for a wait-for-event answer.
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const ANSWER = `id: answer
name: answer
nodes:
  - id: start
    type: entry
    trigger:
      type: event
      event: survey_sent
    next: ask
  - id: ask
    type: waitForEvent
    events: [survey_answered]
    within: 3d
    responded: thanks
    timedOut: done
  - id: thanks
    type: exit
  - id: done
    type: exit
`;

describe.each(DIALECTS)('an exit event or answer stamped after the tick began, on %s', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-exit-after-tick-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'answer.flow.yaml'), ANSWER);
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'buyer-1' }], T0);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await api.http('marketer').post('/api/flows/answer/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const post = (type: string, key: string, at: number, properties: Record<string, unknown>) =>
    api.http().post('/api/events').send({ customerExternalId: 'buyer-1', type, properties, occurredAt: new Date(at).toISOString(), idempotencyKey: key }).expect(200);
  const journey = async (flowId: string) => (await queryRows(ds, 'SELECT status, exit_reason, node_id FROM enrollments WHERE flow_id = ?', [flowId]))[0];

  it('ends a payment reminder at the next tick, not at the end of its 2-hour wait', async () => {
    await post('order_created', 'c-1', T0, { orderId: 'o-1' });
    await post('order_paid', 'p-1', T0 + 30_000, { orderId: 'o-1' }); // stored and taken in before the tick at T0
    await api.http().post('/api/engine/tick').expect(200);
    expect(await journey('payment-reminder')).toMatchObject({ status: 'active', node_id: 'wait-2h' });
    clock.set(T0 + 60_000);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await journey('payment-reminder')).toMatchObject({ status: 'completed', exit_reason: 'order_paid' });
    clock.set(T0 + 3 * MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await queryRows(ds, `SELECT id FROM sends WHERE flow_id = 'payment-reminder'`)).toHaveLength(0);
  });

  it('takes a wait-for-event answer at the next tick, not at the end of its 3-day window', async () => {
    const t = clock.now();
    await post('survey_sent', 's-1', t, {});
    await api.http().post('/api/engine/tick').expect(200); // asks, waits for the answer
    clock.set(t + MS_PER_HOUR);
    await post('survey_answered', 'a-1', t + MS_PER_HOUR + 30_000, {});
    await api.http().post('/api/engine/tick').expect(200);
    clock.set(t + MS_PER_HOUR + 60_000);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await journey('answer')).toMatchObject({ status: 'exited', node_id: 'thanks' });
  });
});
