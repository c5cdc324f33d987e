/**
 * Orders that arrive while a journey is paused start no journey, and a paused flow does not catch
 * up on resume (a payment reminder hours late is worse than none). Before, they were consumed
 * without a word: the intake view kept saying 收到「下单」事件 5 个 after a sixth came during the
 * pause, and nothing anywhere counted it. Now the intake answer (`skippedWhilePaused`,
 * `lastSkippedAt`, per flow) and `rekindle flows list` say how many; payments during the pause are
 * not lost (they end the reminders on resume).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-11T12:00:30+08:00');
const MINUTE = 60_000;

describe.each(DIALECTS)('trigger events that arrive while a flow is paused, on %s', (dialect) => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let db: string;
  let rulesDir: string;
  const clock = new VirtualClock(NOW);

  beforeAll(async () => {
    const target = await freshTarget(dialect, { migrated: true });
    drop = target.drop;
    db = target.target.url;
    rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    cpSync('rules/flows/payment-reminder.flow.yaml', join(rulesDir, 'flows', 'payment-reminder.flow.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock, schedulers: false });
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,consent_sms\nc1,Wang,true\nc2,Li,true\nc3,Zhao,true\n').expect(200);
    await t.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  const createdAt = new Map<string, string>();
  const order = (id: string, customer: string, status = 'created') => {
    if (!createdAt.has(id)) createdAt.set(id, new Date(clock.now() - MINUTE).toISOString());
    const paid = status === 'paid' ? { paidAt: new Date(clock.now()).toISOString() } : {};
    return t.http().post('/api/orders').send({ externalId: id, customerExternalId: customer, status, amount: 99, createdAt: createdAt.get(id), ...paid, items: [] }).expect(200);
  };
  const reminder = async () => (await t.http('analyst').get('/api/events/intake').expect(200)).body.flows.find((f: { flowId: string }) => f.flowId === 'payment-reminder');

  it('counts the orders of a pause as skipped while paused, per flow, and starts nothing for them even after resume', async () => {
    await order('o-1', 'c1');
    await t.http().post('/api/engine/tick').expect(200);
    expect(await reminder()).toMatchObject({ matched: 1, enrolled: 1, skippedWhilePaused: 0, lastSkippedAt: null });

    await t.http('marketer').post('/api/flows/payment-reminder/pause').expect(200);
    clock.advance(5 * MINUTE);
    await order('o-2', 'c2');
    await order('o-3', 'c3');
    // The payment of the journey that waits: not a trigger event, not skipped (it ends the reminder on resume).
    await order('o-1', 'c1', 'paid');
    await t.http().post('/api/engine/tick').expect(200);
    const paused = await reminder();
    expect(paused).toMatchObject({ status: 'paused', pending: 0, matched: 1, enrolled: 1, skippedWhilePaused: 2 });
    expect(Date.parse(paused.lastSkippedAt)).toBe(clock.now());

    await t.http('marketer').post('/api/flows/payment-reminder/resume').expect(200);
    clock.advance(MINUTE);
    await order('o-4', 'c2');
    await t.http().post('/api/engine/tick').expect(200);
    expect(await reminder()).toMatchObject({ status: 'active', matched: 2, enrolled: 2, skippedWhilePaused: 2 });
    // Nobody caught up: two journeys in all (o-1 and o-4), none for o-2 and o-3.
  });

  it('says it in `rekindle flows list`, per flow, with --json too', async () => {
    const json = JSON.parse((await cli(['--db', db, '--rules', rulesDir, '--json', 'flows', 'list'])).stdout);
    expect(json.find((r: { id: string }) => r.id === 'payment-reminder')).toMatchObject({ status: 'active', skippedWhilePaused: 2 });
    const text = (await cli(['--db', db, '--rules', rulesDir, 'flows', 'list'])).stdout;
    expect(text).toMatch(/payment-reminder\s+active\s+v1\s+2 trigger event\(s\) arrived while paused and started no journey \(not caught up on resume, the last 2026-11-11 12:05 \+08:00\)/);
  });
});
