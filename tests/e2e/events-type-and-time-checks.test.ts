/**
 * POST /api/events and what a client gets wrong most: a time far in the future (a wrong year, a
 * zone applied twice) is refused at its index, naming the field; a type neither the system records
 * nor rules/shop.yaml declares (`order_creatd`) is stored but named back in `unknownTypes`, with
 * the known name it is one slip from, and counted in /metrics. The batch keeps its rules: the
 * other events are stored, a resend is idempotent.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-12-01T10:00:00+08:00');

describe('POST /api/events: occurredAt ahead of the clock and undeclared types', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let rulesDir: string;
  const clock = new VirtualClock(NOW);
  const ev = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'order_created', customerExternalId: 'c1', occurredAt: new Date(NOW - MS_PER_HOUR).toISOString(), idempotencyKey: `k-${i}`, properties: { orderId: `o-${i}` }, ...extra });

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    drop = target.drop;
    rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock, schedulers: false });
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,consent_sms\nc1,Wang,true\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('refuses a single event stamped in 2099 with a 400 naming occurredAt and the server time', async () => {
    const r = await t.http().post('/api/events').send(ev(1, { occurredAt: '2099-11-11T10:00:00+08:00' })).expect(400);
    expect(r.body.message).toEqual([expect.stringMatching(/^occurredAt: more than 1 day ahead of the server clock \(2099-11-11T02:00:00.000Z, server time 2026-12-01T02:00:00.000Z\)/)]);
    expect(r.body.accepted).toBe(0);
  });

  it('rejects the future events of a batch at their index and stores the others', async () => {
    const batch = [ev(10), ev(11), ev(12, { occurredAt: new Date(NOW + 25 * MS_PER_HOUR).toISOString() }), ev(13, { occurredAt: '2099-01-01' })];
    const r = await t.http().post('/api/events').send(batch).expect(200);
    expect(r.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        { index: 2, field: 'occurredAt', message: expect.stringContaining('more than 1 day ahead of the server clock') },
        { index: 3, field: 'occurredAt', message: expect.stringContaining('more than 1 day ahead of the server clock') },
      ],
    });
    // Clock drift and a time read in the wrong zone (up to 14 h) stay accepted.
    await t.http().post('/api/events').send(ev(14, { occurredAt: new Date(NOW + 23 * MS_PER_HOUR).toISOString() })).expect(200);
    // A far past time is refused by the span every time keeps (1990–2100), e.g. seconds sent as milliseconds.
    const past = await t.http().post('/api/events').send(ev(15, { occurredAt: Math.floor(NOW / 1000) })).expect(400);
    expect(past.body.message).toEqual([expect.stringMatching(/^occurredAt: out of range: 1970-/)]);
  });

  it('stores an undeclared type and names it back with the known type it is one slip from', async () => {
    const batch = [ev(20), ev(21, { type: 'order_creatd' }), ev(22, { type: 'order_creatd' }), ev(23, { type: 'review_posted' }), ev(24, { type: 'gift_wrapped' })];
    const r = await t.http().post('/api/events').send(batch).expect(200);
    expect(r.body).toEqual({
      accepted: 5,
      duplicates: 0,
      rejected: [],
      unknownTypes: [
        { type: 'order_creatd', count: 2, firstIndex: 1, didYouMean: 'order_created' },
        { type: 'gift_wrapped', count: 1, firstIndex: 4 },
      ],
    });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^rekindle_events_undeclared_total 3$/m);
    // The live intake view names them too, for an analyst watching the feed.
    const intake = await t.http('analyst').get('/api/events/intake').expect(200);
    expect(intake.body.undeclaredTypes).toEqual([{ type: 'gift_wrapped' }, { type: 'order_creatd', didYouMean: 'order_created' }]);
  });

  it('answers a single undeclared event, and its resend, with unknownTypes', async () => {
    const one = ev(30, { type: 'Order_Paid' });
    const first = await t.http().post('/api/events').send(one).expect(200);
    const expected = { accepted: 1, duplicates: 0, rejected: [], unknownTypes: [{ type: 'Order_Paid', count: 1, firstIndex: 0, didYouMean: 'order_paid' }] };
    expect(first.body).toEqual(expected);
    const again = await t.http().post('/api/events').send(one).expect(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(expected);
  });

  it('counts a type once rules/shop.yaml declares it, without a restart', async () => {
    const file = join(rulesDir, 'shop.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('events:\n', 'events:\n  - name: gift_wrapped\n    description: 礼品包装\n'));
    const r = await t.http().post('/api/events').send(ev(40, { type: 'gift_wrapped' })).expect(200);
    expect(r.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect((await t.http('analyst').get('/api/events/intake').expect(200)).body.undeclaredTypes.map((u: { type: string }) => u.type)).toEqual(['Order_Paid', 'order_creatd']);
  });
});
