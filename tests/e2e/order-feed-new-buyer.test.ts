/**
 * An order feed (an events:write token) meets a first-time buyer. Before, POST /api/orders (and
 * POST /api/events) refused the order — "unknown customer … (import the customer first)" — and the
 * token may not import customers, so a new buyer's unpaid order never got its payment reminder.
 * Now the order may carry its buyer in `customer`, created or updated in the same transaction; a
 * refused request writes neither; without `customer` the refusal says how to send it.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('POST /api/orders from an order feed, for a buyer Rekindle does not know yet', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let token: string;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-new-buyer-rules-');
  const feed = (body: unknown) => request(api.app.getHttpServer()).post('/api/orders').set('Authorization', `Bearer ${token}`).send(body as object);
  const order = (id: string, buyer: string, extra: Record<string, unknown> = {}) => ({ externalId: id, customerExternalId: buyer, status: 'created', amount: 129, createdAt: new Date(clock.now()).toISOString(), ...extra });
  const customers = async (id: string) => queryRows(ds, 'SELECT external_id, name, phone, consent FROM customers WHERE external_id = ?', [id]);
  const orders = async (id: string) => queryRows(ds, 'SELECT external_id FROM orders WHERE external_id = ?', [id]);

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    ({ token } = (await api.http().post('/api/tokens').send({ name: 'order-feed', scopes: ['events:write'] }).expect(201)).body);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('without `customer`, refuses the new buyer\'s order saying how to send the buyer, and writes nothing', async () => {
    const r = await feed(order('T-1', 'new-buyer-1')).expect(400);
    expect(r.body.message).toBe('customerExternalId: unknown customer "new-buyer-1" (import the customer first); or send the buyer in "customer" with the order');
    expect(await orders('T-1')).toEqual([]);
  });

  it('with `customer`, creates the buyer and the order together, and the unpaid order gets its reminder', async () => {
    const r = await feed(order('T-2', 'new-buyer-2', { customer: { name: '王芳', phone: '13800000002', consent: { sms: true } } })).expect(200);
    expect(r.body).toEqual({ outcome: 'created', externalId: 'T-2', events: ['order_created'] });
    const [c] = await customers('new-buyer-2');
    expect(c).toMatchObject({ external_id: 'new-buyer-2', name: '王芳', phone: '13800000002' });
    clock.advance(2 * MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    const sends = await queryRows(ds, "SELECT s.node_id FROM sends s JOIN customers c ON c.id = s.customer_id WHERE c.external_id = 'new-buyer-2'", []);
    expect(sends.map((s) => String(s.node_id))).toEqual([expect.stringMatching(/^remind-1/)]);
  });

  it('a later order updates the known buyer (a field left out keeps its value)', async () => {
    await feed(order('T-3', 'new-buyer-2', { customer: { province: '浙江' } })).expect(200);
    const [c] = await queryRows(ds, "SELECT phone, province FROM customers WHERE external_id = 'new-buyer-2'", []);
    expect(c).toEqual({ phone: '13800000002', province: '浙江' });
  });

  it('refuses a buyer with a misspelt or wrong field, naming customer.<field>, and writes neither buyer nor order', async () => {
    const r = await feed(order('T-4', 'new-buyer-4', { customer: { name: '李', phoen: '13800000004', email: 'li@', externalId: 'x' } })).expect(400);
    expect(r.body.message).toEqual(
      expect.arrayContaining(['customer.phoen: unknown field; did you mean phone?', "customer.externalId: not read here: the buyer is the order's customerExternalId", expect.stringMatching(/^customer\.email: /)]),
    );
    expect(await customers('new-buyer-4')).toEqual([]);
    expect(await orders('T-4')).toEqual([]);
    const notObject = await feed(order('T-5', 'new-buyer-5', { customer: 'li' })).expect(400);
    expect(notObject.body.message).toEqual(['customer: expected an object (the buyer: name, phone, consent …)']);
  });
});
