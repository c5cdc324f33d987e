/**
 * An order feed that sends `order_id` (or nothing) where the payment reminder's trigger reads its
 * key `orderId`. Before: the event started a journey keyed '' that the order's `order_paid`
 * (`match: {orderId: $key}`) could never end, so the customer was reminded after paying, and their
 * next properly keyed order was refused as "already in a journey". Now such an event starts no
 * journey, and the customer's journey view says why, naming the key.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('an event trigger keyed by orderId meets events without orderId', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let customerId: number;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-keyless-rules-');
  const event = (type: string, key: string, properties: Record<string, unknown>) => ({ customerExternalId: 'buyer-1', type, properties, occurredAt: new Date(clock.now()).toISOString(), idempotencyKey: key });
  const journeys = async () => (await api.http('analyst').get(`/api/customers/${customerId}/journey`).expect(200)).body;

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    [customerId] = await addCustomers(ds, [{ externalId: 'buyer-1', phone: '13800000001', consent: { sms: true } }], T0);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('starts no journey for an order_created without orderId, and says why in the journey view', async () => {
    await api.http().post('/api/events').send(event('order_created', 'oc-a', { order_id: 'A-1', amount: 99 })).expect(200);
    await api.http().post('/api/engine/tick').expect(200);
    const view = await journeys();
    expect(view.journeys).toEqual([]);
    expect(view.missedEntries).toHaveLength(1);
    expect(view.missedEntries[0]).toMatchObject({ flowId: 'payment-reminder', event: 'order_created', journeyKey: null, reason: { kind: 'key-missing', key: 'orderId', got: 'no orderId in its properties' } });
    expect(view.missedEntries[0].why).toMatch(/keyed by orderId and the event has no orderId in its properties; send orderId/);
    // Nothing will remind the customer of it: no journey, no send.
    clock.advance(3 * MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await queryRows(ds, 'SELECT id FROM sends WHERE customer_id = ?', [customerId])).toEqual([]);
  });

  it('an empty or non-scalar orderId is refused the same way', async () => {
    await api.http().post('/api/events').send([event('order_created', 'oc-b', { orderId: '' }), event('order_created', 'oc-c', { orderId: { id: 7 } })]).expect(200);
    await api.http().post('/api/engine/tick').expect(200);
    const view = await journeys();
    expect(view.journeys).toEqual([]);
    expect(view.missedEntries.map((m: { reason: { got: string } }) => m.reason.got).sort()).toEqual(['an empty orderId', 'no orderId in its properties', 'orderId as an object, not a text or number']);
  });

  it('the next order with its orderId (a number too) enters, and its payment ends it', async () => {
    await api.http().post('/api/events').send(event('order_created', 'oc-d', { orderId: 5001 })).expect(200);
    await api.http().post('/api/engine/tick').expect(200);
    let view = await journeys();
    expect(view.journeys).toHaveLength(1);
    expect(view.journeys[0]).toMatchObject({ journeyKey: '5001', status: 'active' });
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/events').send(event('order_paid', 'op-d', { orderId: '5001' })).expect(200);
    await api.http().post('/api/engine/tick').expect(200);
    view = await journeys();
    expect(view.journeys[0]).toMatchObject({ journeyKey: '5001', status: 'completed', exitReason: 'order_paid' });
  });
});
