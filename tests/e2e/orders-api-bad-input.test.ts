/**
 * POST /api/orders as an order feed gets it wrong, answered like POST /api/events: a field no
 * order has is refused naming it (with the field meant), an order stamped more than a day ahead of
 * the server clock is refused, and so is an amount beyond 10^12. Before, all three answered 200:
 * the unknown field was dropped (a `coupon_code` never redeemed its coupon), the 2029 order gave
 * its customer a lastUnpaidAt years ahead, and 1e300 became the customer's totalSpent. Nothing of a
 * refused order is stored.
 */
import { mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-12-01T10:00:00+08:00');

describe('POST /api/orders refuses what a feed gets wrong, naming the field', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  const clock = new VirtualClock(NOW);
  const order = (id: string, extra: Record<string, unknown> = {}) => ({ externalId: id, customerExternalId: 'c1', status: 'created', amount: 99, createdAt: new Date(NOW - MS_PER_HOUR).toISOString(), ...extra });
  const stored = async (id: string) => (await queryRows(ds, 'SELECT external_id FROM orders WHERE external_id = ?', [id])).length;

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    drop = target.drop;
    const rulesDir = tempDir('rekindle-orders-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock, schedulers: false });
    ds = t.app.get(DataSource);
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,consent_sms\nc1,Wang,true\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('stores a well-formed order (the baseline)', async () => {
    const r = await t.http().post('/api/orders').send(order('o-ok', { items: [{ sku: 'd-1', category: 'dress', price: 99 }] })).expect(200);
    expect(r.body).toEqual({ outcome: 'created', externalId: 'o-ok', events: ['order_created'] });
  });

  it('refuses fields no order has, top level and in items, with the field meant', async () => {
    const r = await t.http().post('/api/orders').send(order('o-typo', { coupon_code: 'X1', promoton: 'double11', items: [{ sku: 'd-1', categroy: 'dress' }] })).expect(400);
    expect(r.body.message).toEqual(expect.arrayContaining(['coupon_code: unknown field; did you mean coupon?', 'promoton: unknown field; did you mean promotion?', 'items.0.categroy: unknown field; did you mean category?']));
    expect(JSON.stringify(r.body)).not.toMatch(/\/work\/|\/src\/|\.ts:|at [A-Z]\w+\./);
    expect(await stored('o-typo')).toBe(0);
  });

  it('refuses createdAt or paidAt more than a day ahead of the server clock', async () => {
    const created = await t.http().post('/api/orders').send(order('o-future', { createdAt: '2029-01-01T00:00:00Z' })).expect(400);
    expect(created.body.message).toEqual([expect.stringMatching(/^createdAt: more than 1 day ahead of the server clock \(2029-01-01T00:00:00.000Z, server time 2026-12-01T02:00:00.000Z\)/)]);
    const paid = await t.http().post('/api/orders').send(order('o-future-paid', { status: 'paid', paidAt: new Date(NOW + 30 * MS_PER_HOUR).toISOString() })).expect(400);
    expect(paid.body.message).toEqual([expect.stringMatching(/^paidAt: more than 1 day ahead of the server clock/)]);
    expect(await stored('o-future')).toBe(0);
    expect(await stored('o-future-paid')).toBe(0);
    // Clock drift and a wall-clock time read in the wrong zone stay accepted.
    await t.http().post('/api/orders').send(order('o-drift', { createdAt: new Date(NOW + 10 * MS_PER_HOUR).toISOString() })).expect(200);
  });

  it('refuses an amount or price beyond 10^12', async () => {
    const r = await t.http().post('/api/orders').send(order('o-huge', { amount: 1e300 })).expect(400);
    expect(r.body.message).toEqual([expect.stringMatching(/^amount: /)]);
    const p = await t.http().post('/api/orders').send(order('o-huge-price', { items: [{ sku: 'd-1', category: 'dress', price: 5e12 }] })).expect(400);
    expect(p.body.message).toEqual([expect.stringMatching(/^items\.0\.price: /)]);
    expect(await stored('o-huge')).toBe(0);
    expect(await stored('o-huge-price')).toBe(0);
  });
});
