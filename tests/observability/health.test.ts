import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../../server/src/config/settings.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('liveness and readiness (@nestjs/terminus)', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function start(clock: VirtualClock, schedulers = false) {
    const dir = tempDir('rekindle-health-');
    const rules = join(dir, 'rules');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const file = join(dir, 'shop.sqlite');
    // Long scheduler intervals: the test decides when the engine ticks.
    t = await createTestApp({ database: { url: file }, rulesDir: rules, clock, schedulers, settings: loadSettings({ LOG_LEVEL: 'silent', REKINDLE_TICK_MS: '3600000', REKINDLE_OUTBOX_MS: '3600000' }) });
    return { file, dir };
  }

  it('is live and ready on a healthy server; anonymous probes are answered', async () => {
    await start(new VirtualClock(T0));
    await t!.http('anonymous').get('/api/health').expect(200, { status: 'ok', info: {}, error: {}, details: {} });
    const ready = await t!.http('anonymous').get('/api/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: { database: { status: 'up' }, engine: { status: 'up' }, outbox: { status: 'up', oldestDueSeconds: 0 } } });
  });

  it('readiness fails when the SQLite database file is removed; liveness does not, and no path is shown', async () => {
    const { file, dir } = await start(new VirtualClock(T0));
    await t!.http().get('/api/health/ready').expect(200);
    rmSync(file);
    const r = await t!.http('anonymous').get('/api/health/ready').expect(503);
    expect(r.body).toMatchObject({ status: 'error', error: { database: { status: 'down', message: 'the SQLite database file has been removed' } } });
    expect(JSON.stringify(r.body)).not.toContain(dir);
    await t!.http().get('/api/health').expect(200);
  });

  it('readiness fails when the engine has not ticked for longer than REKINDLE_READY_TICK_MAX_S, and recovers after a tick', async () => {
    const clock = new VirtualClock(T0);
    await start(clock, true);
    await t!.http().get('/api/health/ready').expect(200);
    clock.advance(61_000);
    const r = await t!.http().get('/api/health/ready').expect(503);
    expect(r.body.error.engine).toEqual({ status: 'down', message: 'the engine has not finished a tick for 61 s (limit 60 s)' });
    await t!.http().post('/api/engine/tick').expect(200);
    const ok = await t!.http().get('/api/health/ready').expect(200);
    expect(ok.body.details.engine).toEqual({ status: 'up', lastTickSecondsAgo: 0 });
  });

  it('readiness fails while a message is stuck in the outbox, and recovers once it is dispatched', async () => {
    const clock = new VirtualClock(T0);
    await start(clock);
    const csv = 'externalId,name,phone,email\nbuyer-1,Buyer,13800000001,b@example.com\n';
    await t!.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(csv).expect(200);
    await t!.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
    await t!.http().post('/api/events').send({ customerExternalId: 'buyer-1', type: 'order_created', properties: { orderId: 'o-1' }, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'oc:o-1' }).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(2 * MS_PER_HOUR);
    await t!.http().post('/api/engine/tick').expect(200);
    await t!.http().get('/api/health/ready').expect(200);
    clock.advance(16 * 60_000); // nobody dispatched for 16 minutes (limit 15)
    const r = await t!.http().get('/api/health/ready').expect(503);
    expect(r.body.error.outbox).toEqual({ status: 'down', message: 'a message has been due in the outbox for 960 s (limit 900 s): the outbox is not draining' });
    await t!.http().post('/api/outbox/dispatch').expect((res) => expect([200, 201]).toContain(res.status));
    await t!.http().get('/api/health/ready').expect(200);
  });
});
