/**
 * Idempotency keys that cannot be spoofed (issue 9): a client's keys live in its own namespace,
 * so a client cannot claim the key the system uses for an order's payment; a key reused for a
 * different event answers 409 naming it and stores nothing; the same event again answers the
 * original result.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-11T12:00:00+08:00');

describe.each(DIALECTS)('event idempotency keys on %s', (dialect) => {
  let t: TestApp;
  let drop: () => Promise<void>;
  const clock = new VirtualClock(NOW);

  beforeAll(async () => {
    const target = await freshTarget(dialect, { migrated: true });
    drop = target.drop;
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    cpSync('rules/flows/payment-reminder.flow.yaml', join(rulesDir, 'flows', 'payment-reminder.flow.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock, schedulers: false });
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,consent_sms\nc1,Wang,true\nc2,Li,true\n').expect(200);
    await t.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  const order = (status: string, extra: Record<string, unknown> = {}) => ({
    externalId: 'o-1',
    customerExternalId: 'c1',
    status,
    amount: 99,
    createdAt: new Date(NOW - 3 * MS_PER_HOUR).toISOString(),
    items: [{ sku: 'dress-1', category: 'dress' }],
    ...extra,
  });

  it("a client's key equal to the system's order key does not swallow the real payment", async () => {
    await t.http().post('/api/orders').send(order('created')).expect(200);
    const spoof = { type: 'order_paid', customerExternalId: 'c1', occurredAt: new Date(NOW).toISOString(), idempotencyKey: 'order:o-1:order_paid', properties: { orderId: 'o-elsewhere' } };
    expect((await t.http().post('/api/events').send(spoof).expect(200)).body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const paid = await t.http().post('/api/orders').send(order('paid', { paidAt: new Date(NOW).toISOString() })).expect(200);
    expect(paid.body).toMatchObject({ outcome: 'updated', events: ['order_paid'] });
    await t.http().post('/api/engine/tick').expect(200);
    const journey = await t.http().get('/api/customers/1/journey').expect(200);
    // The reminder was due (order 3 h old) but the payment came first: the journey ended, nothing sent.
    expect(journey.body.journeys).toMatchObject([{ flowId: 'payment-reminder', journeyKey: 'o-1', status: 'completed', exitReason: 'order_paid' }]);
    expect(journey.body.sends).toEqual([]);
  });

  it('the same key for a different event answers 409 naming the key and stores nothing of the request', async () => {
    const ev = { type: 'coupon_clicked', customerExternalId: 'c2', occurredAt: '2026-11-11T10:00:00+08:00', idempotencyKey: 'click-42', properties: { coupon: 'D11' } };
    const first = await t.http().post('/api/events').send(ev).expect(200);
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, rejected: [], unknownTypes: [{ type: 'coupon_clicked', count: 1, firstIndex: 0 }] });

    const other = await t.http().post('/api/events').send({ ...ev, customerExternalId: 'c1' }).expect(409);
    expect(other.body.message).toContain('"click-42"');
    expect(other.body.conflicts).toEqual([{ index: 0, idempotencyKey: 'click-42' }]);
    await t.http().post('/api/events').send({ ...ev, properties: { coupon: 'OTHER' } }).expect(409);
    await t.http().post('/api/events').send({ ...ev, type: 'coupon_used' }).expect(409);

    // A batch with one conflicting key is refused whole: its new event is not stored either.
    const batch = await t.http().post('/api/events').send([{ ...ev, idempotencyKey: 'click-43' }, { ...ev, occurredAt: '2026-11-11T11:00:00+08:00' }]).expect(409);
    expect(batch.body.conflicts).toEqual([{ index: 1, idempotencyKey: 'click-42' }]);
    const fresh = await t.http().post('/api/events').send({ ...ev, idempotencyKey: 'click-43' }).expect(200);
    expect(fresh.headers['idempotent-replayed']).toBeUndefined();

    // The same event again: the original answer, marked as a replay.
    const replay = await t.http().post('/api/events').send({ ...ev, properties: { coupon: 'D11' } }).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it("a token's event file uploaded over REST meets the keys of its own POST /api/events: the same event is unchanged, a different one under the key a row error", async () => {
    const { token } = await t.accounts.createToken('shop-feed', ['events:write', 'import:write'], 'admin');
    const ev = { type: 'coupon_clicked', customerExternalId: 'c2', occurredAt: '2026-11-11T10:00:00+08:00', idempotencyKey: 'feed-7', properties: { coupon: 'D11' } };
    await request(t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${token}`).send(ev).expect(200);
    const csv = ['type,customerExternalId,occurredAt,idempotencyKey,properties', `coupon_clicked,c2,2026-11-11T10:00:00+08:00,feed-7,"{""coupon"":""D11""}"`, `coupon_clicked,c1,2026-11-11T10:00:00+08:00,feed-7,"{""coupon"":""D11""}"`].join('\n') + '\n';
    const r = await request(t.app.getHttpServer()).post('/api/import/events').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(r.body).toMatchObject({ rows: 2, created: 0, unchanged: 1, failed: 1, errors: [{ line: 3, field: 'idempotencyKey', message: expect.stringContaining('"feed-7"') }] });
    // Another client's key space is not this token's: the designer's admin may use "feed-7" for its own event.
    await t.http().post('/api/events').send({ ...ev, customerExternalId: 'c1' }).expect(200);
  });

  it('GET /api/events/intake shows per flow what was matched, enrolled and how late (analysts may read it)', async () => {
    await t.http().post('/api/engine/tick').expect(200);
    const r = await t.http('analyst').get('/api/events/intake').expect(200);
    expect(r.body).toMatchObject({ pending: 0, oldestPendingAgeMs: null });
    expect(r.body.consumed).toBeGreaterThanOrEqual(4);
    expect(r.body.flows).toEqual([expect.objectContaining({ flowId: 'payment-reminder', event: 'order_created', pending: 0, matched: 1, enrolled: 1, lastLagMs: expect.any(Number) })]);
    await t.http('anonymous').get('/api/events/intake').expect(401);
  });
});
