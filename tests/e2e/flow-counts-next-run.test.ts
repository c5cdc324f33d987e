import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
/** 15:00 in the shop (Asia/Shanghai): the worked pre-sleep journey draws its audience daily at 10:00. */
const T0 = Date.parse('2026-11-20T15:00:00+08:00');

/**
 * Walkthrough leftover: a daily journey published in the afternoon showed 进入 0 in its live view
 * with no word of when it runs. GET /api/flows/:id/counts (the live numbers, any signed-in role)
 * now says the next run as the engine will find it due, and what that run draws.
 */
describe('live counts of a journey entered on a schedule say its next run', () => {
  const rules = tempDir('rekindle-next-run-rules-');
  const clock = new VirtualClock(T0);
  let api: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite');
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    await api.http('marketer').post('/api/flows/pre-sleep/publish').send({}).expect(200);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it("gives the next 10:00 in the shop's time zone and the segment it draws, to an analyst as to the home", async () => {
    const res = await api.http('analyst').get('/api/flows/pre-sleep/counts').expect(200);
    expect(res.body.nextRun).toEqual({ at: Date.parse('2026-11-21T10:00:00+08:00'), timezone: 'Asia/Shanghai', trigger: { type: 'schedule', segment: 'pre-sleep', every: 'day', at: '10:00' } });
    const home = await api.http('analyst').get('/api/home').expect(200);
    expect(home.body.flows.find((f: { id: string }) => f.id === 'pre-sleep').nextRun).toBe(res.body.nextRun.at);
  });

  it('has none for a journey entered on an event, nor for a paused one', async () => {
    expect((await api.http('analyst').get('/api/flows/payment-reminder/counts').expect(200)).body.nextRun).toBeNull();
    await api.http('marketer').post('/api/flows/pre-sleep/pause').send({}).expect(200);
    expect((await api.http('analyst').get('/api/flows/pre-sleep/counts').expect(200)).body.nextRun).toBeNull();
    await api.http('marketer').post('/api/flows/pre-sleep/resume').send({}).expect(200);
  });

  it('skips the run while paused; resumed after its time, runs the missed one at once (once), then on time again — as the paused note says', async () => {
    const nextRun = async () => (await api.http('analyst').get('/api/flows/pre-sleep/counts').expect(200)).body.nextRun?.at ?? null;
    await api.http('marketer').post('/api/flows/pre-sleep/pause').send({}).expect(200);
    clock.set(Date.parse('2026-11-21T11:00:00+08:00')); // past the 10:00 run
    await api.http('admin').post('/api/engine/tick').send({}).expect(200);
    clock.set(Date.parse('2026-11-21T23:00:00+08:00'));
    await api.http('marketer').post('/api/flows/pre-sleep/resume').send({}).expect(200);
    // The 10:00 run was not made while paused: it is due at once on resume…
    expect(await nextRun()).toBe(Date.parse('2026-11-21T10:00:00+08:00'));
    await api.http('admin').post('/api/engine/tick').send({}).expect(200);
    // …made at 23:00 by the first tick, and the next one is tomorrow's 10:00, not another catch-up.
    expect(await nextRun()).toBe(Date.parse('2026-11-22T10:00:00+08:00'));
  });

  it('is refused to anonymous callers as before (401)', async () => {
    await api.http('anonymous').get('/api/flows/pre-sleep/counts').expect(401);
  });
});
