import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { JourneyEngine } from '../../server/src/core/engine/journey-engine.js';
import { FlowSchema, type Flow } from '../../server/src/core/flow/schema.js';
import { PolicySchema, type ContactPolicy } from '../../server/src/core/policy/schema.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { PolicyStore } from '../../server/src/persistence/policy-store.js';
import { queryRows, toPgPlaceholders } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent, TZ } from '../support/shop-fixtures.js';
import { ruleFreeEngine } from '../support/engine-fixture.js';

/** 10:00 in Shanghai on 2 Nov 2026. */
const T0 = Date.parse('2026-11-02T02:00:00Z');

const policy: ContactPolicy = PolicySchema.parse({
  caps: [
    { id: 'marketing-per-day', max: 1, window: '24h' },
    { id: 'sms-per-month', max: 2, period: 'month', channels: ['sms'] },
  ],
  quietHours: { sms: { from: '21:00', to: '09:00' } },
  giveUp: { after: 3, within: '30d', pauseFor: '60d' },
});

/** A flow whose `event` starts a journey that sends one message. */
function oneSend(id: string, event: string, send: Record<string, unknown>, extra: Partial<Record<string, unknown>> = {}): Flow {
  return FlowSchema.parse({
    id,
    name: id,
    ...extra,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event }, reentry: { policy: 'always' }, next: 'send' },
      { id: 'send', type: 'send', channel: 'sms', category: 'marketing', template: `${id}`, next: 'done', ...send },
      { id: 'done', type: 'exit' },
      { id: 'capped-exit', type: 'exit' },
    ],
  });
}

function engineOn(ds: DataSource, clock: VirtualClock, p: ContactPolicy = policy): JourneyEngine {
  const store = new PolicyStore(ds, { timezone: TZ, policy: () => p, list: () => new Set(['blocked-ext']) });
  return ruleFreeEngine(ds, clock, { policy: store, groups: store });
}

const rows = (ds: DataSource, customerId: number) =>
  queryRows<{ flow_id: string; channel: string; status: string; reason: string | null; scheduled_at: number }>(ds, 'SELECT flow_id, channel, status, reason, scheduled_at FROM sends WHERE customer_id = ? ORDER BY scheduled_at, id', [customerId]);
/** The channel confirms delivery of the customer's queued messages (what the dispatcher does). */
const deliver = (ds: DataSource, customerId: number) => ds.query(toPgPlaceholdersIf(ds, `UPDATE sends SET status = 'sent', sent_at = scheduled_at WHERE customer_id = ? AND status = 'queued'`), [customerId]);
const toPgPlaceholdersIf = (ds: DataSource, sql: string) => (ds.options.type === 'postgres' ? toPgPlaceholders(sql) : sql);
const steps = (ds: DataSource, customerId: number) =>
  queryRows<{ flow_id: string; node_id: string; outcome: string }>(ds, 'SELECT flow_id, node_id, outcome FROM journey_steps WHERE customer_id = ? ORDER BY id', [customerId]);

describe.each(DIALECTS)('contact policy at the moment of sending on %s', (dialect) => {
  let db: TestDatabase;
  let clock: VirtualClock;
  let engine: JourneyEngine;
  const flows = [
    oneSend('vip-offer', 'go', { priority: 90 }),
    oneSend('newsletter', 'go', { priority: 10 }),
    oneSend('with-fallback', 'fallback', { fallback: 'email' }),
    oneSend('branching', 'branch', { onCapped: 'branch', capped: 'capped-exit' }),
    oneSend('deferring', 'defer', { onCapped: 'defer' }),
    oneSend('night-push', 'night', { expiresAfter: '2h' }),
    oneSend('night-sms', 'night-ok', {}),
    oneSend('care-note', 'care', { category: 'transactional' }),
    oneSend('night-notice', 'night-notice', { category: 'transactional' }),
    oneSend('night-alert', 'night-alert', { category: 'transactional', urgent: true }),
  ];

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    clock = new VirtualClock(T0);
    const repo = new FlowRepository(db.dataSource);
    for (const f of flows) await repo.publish(f, 'test', T0 - MS_PER_HOUR);
    engine = engineOn(db.dataSource, clock);
  });
  afterAll(async () => db?.close());

  it('two flows competing for the last slot of a cap: the higher priority one is sent, the other is logged as capped', async () => {
    const [c] = await addCustomers(db.dataSource, [{ externalId: 'compete' }], T0);
    await engine.onEvents([await addEvent(db.dataSource, c, 'go', {}, T0)]);
    await engine.tick();
    const s = await rows(db.dataSource, c);
    expect(s.map((r) => [r.flow_id, r.status, r.reason])).toEqual([
      ['vip-offer', 'queued', null],
      ['newsletter', 'skipped', 'capped:marketing-per-day'],
    ]);
    expect((await steps(db.dataSource, c)).filter((x) => x.node_id === 'send').map((x) => x.outcome)).toEqual(['queued', 'skipped:capped:marketing-per-day']);
  });

  it('transactional messages are not counted against marketing caps', async () => {
    const [c] = await addCustomers(db.dataSource, [{ externalId: 'transactional' }], T0);
    await engine.onEvents([await addEvent(db.dataSource, c, 'go', {}, clock.now()), await addEvent(db.dataSource, c, 'care', {}, clock.now())]);
    await engine.tick();
    const s = await rows(db.dataSource, c);
    expect(s.filter((r) => r.status === 'queued').map((r) => r.flow_id).sort()).toEqual(['care-note', 'vip-offer']);
  });

  it('a capped or unconsented SMS falls back to email', async () => {
    const [capped, noConsent] = await addCustomers(db.dataSource, [{ externalId: 'fb-capped' }, { externalId: 'fb-consent', consent: { sms: false, email: true } }], T0);
    const base = policy;
    const emailFree = PolicySchema.parse({ ...base, caps: [{ id: 'sms-per-day', max: 0, window: '24h', channels: ['sms'] }] });
    const e2 = engineOn(db.dataSource, clock, emailFree);
    await e2.onEvents([await addEvent(db.dataSource, capped, 'fallback', {}, clock.now()), await addEvent(db.dataSource, noConsent, 'fallback', {}, clock.now())]);
    await e2.tick();
    expect((await rows(db.dataSource, capped)).map((r) => [r.channel, r.status, r.reason])).toEqual([['email', 'queued', 'fallback:capped:sms-per-day']]);
    expect((await rows(db.dataSource, noConsent)).map((r) => [r.channel, r.status, r.reason])).toEqual([['email', 'queued', 'fallback:no-consent:sms']]);
  });

  it('onCapped: branch takes the capped edge; defer waits until the window frees a slot', async () => {
    const [b, d] = await addCustomers(db.dataSource, [{ externalId: 'branch' }, { externalId: 'defer' }], T0);
    await engine.onEvents([await addEvent(db.dataSource, b, 'go', {}, clock.now()), await addEvent(db.dataSource, d, 'go', {}, clock.now())]);
    await engine.tick();
    await engine.onEvents([await addEvent(db.dataSource, b, 'branch', {}, clock.now()), await addEvent(db.dataSource, d, 'defer', {}, clock.now())]);
    await engine.tick();
    const bs = await steps(db.dataSource, b);
    expect(bs.filter((x) => x.flow_id === 'branching').map((x) => [x.node_id, x.outcome])).toEqual([
      ['start', 'entered'],
      ['send', 'capped:capped:marketing-per-day'],
      ['capped-exit', 'exited:exit:capped-exit'],
    ]);
    const sentAt = clock.now();
    expect((await steps(db.dataSource, d)).filter((x) => x.flow_id === 'deferring').map((x) => x.outcome)).toEqual(['entered', 'deferred:capped:marketing-per-day']);
    expect((await rows(db.dataSource, d)).filter((r) => r.flow_id === 'deferring')).toEqual([]);
    clock.advance(24 * MS_PER_HOUR);
    await engine.tick();
    const later = (await rows(db.dataSource, d)).filter((r) => r.flow_id === 'deferring');
    expect(later.map((r) => [r.status, Number(r.scheduled_at) - sentAt])).toEqual([['queued', 24 * MS_PER_HOUR]]);
  });

  it('SMS in quiet hours waits for 09:00, or is skipped when it would miss its window', async () => {
    const [late, ok] = await addCustomers(db.dataSource, [{ externalId: 'quiet-expire' }, { externalId: 'quiet-wait' }], T0);
    // 22:30 in Shanghai.
    const night = Date.parse('2026-11-05T14:30:00Z');
    clock.set(night);
    await engine.onEvents([await addEvent(db.dataSource, late, 'night', {}, night), await addEvent(db.dataSource, ok, 'night-ok', {}, night)]);
    await engine.tick();
    expect(await rows(db.dataSource, late)).toMatchObject([{ status: 'skipped', reason: 'quiet-hours:sms:expired' }]);
    expect(await rows(db.dataSource, ok)).toEqual([]);
    expect((await steps(db.dataSource, ok)).map((x) => x.outcome)).toEqual(['entered', 'deferred:quiet-hours:sms']);
    clock.set(Date.parse('2026-11-06T01:00:00Z')); // 09:00
    await engine.tick();
    expect((await rows(db.dataSource, ok)).map((r) => [r.status, new Date(Number(r.scheduled_at)).toISOString()])).toEqual([['queued', '2026-11-06T01:00:00.000Z']]);
  });

  it('an unsubscribe while a send is deferred does not wake it; at its own time it is blocked and nothing goes out', async () => {
    const [quits] = await addCustomers(db.dataSource, [{ externalId: 'quiet-quits' }], T0);
    const night = Date.parse('2026-11-06T14:30:00Z'); // 22:30 in Shanghai
    clock.set(night);
    await engine.onEvents([await addEvent(db.dataSource, quits, 'night-ok', {}, night)]);
    await engine.tick();
    const wakeAt = async () => Number((await queryRows(db.dataSource, 'SELECT wake_at FROM enrollments WHERE customer_id = ?', [quits]))[0].wake_at);
    expect(new Date(await wakeAt()).toISOString()).toBe('2026-11-07T01:00:00.000Z');
    // No journey exits on or waits for an unsubscribe here: the deferred send keeps its time, and
    // is not re-reviewed (no second "deferred" line) at the event.
    clock.set(night + MS_PER_HOUR);
    await engine.onEvents([await addEvent(db.dataSource, quits, 'unsubscribe', {}, clock.now())]);
    await engine.tick();
    expect(new Date(await wakeAt()).toISOString()).toBe('2026-11-07T01:00:00.000Z');
    expect((await steps(db.dataSource, quits)).map((x) => x.outcome)).toEqual(['entered', 'deferred:quiet-hours:sms']);
    clock.set(Date.parse('2026-11-07T01:00:00Z')); // 09:00: reviewed again, with the opt-out
    await engine.tick();
    expect(await rows(db.dataSource, quits)).toMatchObject([{ status: 'blocked', reason: 'unsubscribed' }]);
  });

  it('quiet hours hold transactional SMS too (deferred to 09:00); only an urgent node goes at night', async () => {
    const [notice, alert] = await addCustomers(db.dataSource, [{ externalId: 'night-notice' }, { externalId: 'night-alert' }], T0);
    const night = Date.parse('2026-11-07T15:00:00Z'); // 23:00 in Shanghai
    clock.set(night);
    await engine.onEvents([await addEvent(db.dataSource, notice, 'night-notice', {}, night), await addEvent(db.dataSource, alert, 'night-alert', {}, night)]);
    await engine.tick();
    expect(await rows(db.dataSource, notice)).toEqual([]);
    expect((await steps(db.dataSource, notice)).map((x) => x.outcome)).toEqual(['entered', 'deferred:quiet-hours:sms']);
    expect((await rows(db.dataSource, alert)).map((r) => [r.status, Number(r.scheduled_at)])).toEqual([['queued', night]]);
    clock.set(Date.parse('2026-11-08T01:00:00Z')); // 09:00
    await engine.tick();
    expect((await rows(db.dataSource, notice)).map((r) => [r.status, new Date(Number(r.scheduled_at)).toISOString()])).toEqual([['queued', '2026-11-08T01:00:00.000Z']]);
  });

  it('give-up counts delivered touches only: queued-but-never-sent and blocked messages are not attempts', async () => {
    const [unsent, delivered] = await addCustomers(db.dataSource, [{ externalId: 'never-delivered' }, { externalId: 'delivered' }], T0);
    clock.set(Date.parse('2026-11-20T02:00:00Z'));
    const p = PolicySchema.parse({ ...policy, caps: [policy.caps[0]] });
    const e = engineOn(db.dataSource, clock, p);
    for (let day = 0; day < 4; day++) {
      await e.onEvents([await addEvent(db.dataSource, unsent, 'go', {}, clock.now()), await addEvent(db.dataSource, delivered, 'go', {}, clock.now())]);
      await e.tick();
      // Only the second customer's messages leave the outbox.
      await deliver(db.dataSource, delivered);
      clock.advance(25 * MS_PER_HOUR);
    }
    const u = await rows(db.dataSource, unsent);
    expect(u.filter((r) => r.reason?.startsWith('given-up'))).toEqual([]);
    // Two flows listen to "go"; the daily cap skips the second each day (skipped: not a touch).
    const d = (await rows(db.dataSource, delivered)).filter((r) => r.status !== 'skipped');
    expect(d.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'blocked', 'blocked']);
    expect(d.slice(-2).map((r) => r.reason?.replace(/until-.*/, 'until'))).toEqual(['given-up:until', 'given-up:until']);
  });

  it('unsubscribed, block-listed and given-up customers get no marketing, each with its reason', async () => {
    const [u, listed, tired] = await addCustomers(db.dataSource, [{ externalId: 'unsub' }, { externalId: 'blocked-ext' }, { externalId: 'tired' }], T0);
    const at = Date.parse('2026-12-01T02:00:00Z');
    clock.set(at);
    await addEvent(db.dataSource, u, 'unsubscribe', { channel: 'sms' }, at - MS_PER_HOUR);
    const p = PolicySchema.parse({ ...policy, caps: [policy.caps[0]], suppression: { lists: ['vip-complaints'] } });
    const e = engineOn(db.dataSource, clock, p);
    // Three delivered, unanswered touches on three days, then a fourth is given up.
    for (let day = 0; day < 3; day++) {
      await e.onEvents([await addEvent(db.dataSource, tired, 'go', {}, clock.now())]);
      await e.tick();
      await deliver(db.dataSource, tired);
      clock.advance(25 * MS_PER_HOUR);
    }
    await e.onEvents([await addEvent(db.dataSource, u, 'fallback', {}, clock.now()), await addEvent(db.dataSource, listed, 'go', {}, clock.now()), await addEvent(db.dataSource, tired, 'go', {}, clock.now())]);
    await e.tick();
    expect((await rows(db.dataSource, u)).map((r) => [r.channel, r.status, r.reason])).toEqual([['email', 'queued', 'fallback:unsubscribed:sms']]);
    expect((await rows(db.dataSource, listed)).map((r) => r.reason)).toEqual(['blocked:list:vip-complaints', 'blocked:list:vip-complaints']);
    const t = await rows(db.dataSource, tired);
    expect(t.filter((r) => r.status === 'sent')).toHaveLength(3);
    expect(t.slice(-2).map((r) => r.reason?.replace(/until-.*/, 'until'))).toEqual(['given-up:until', 'given-up:until']);
  });
});

describe('caps hold under concurrency on postgres', () => {
  let db: TestDatabase;
  let second: DataSource;
  afterAll(async () => {
    if (second?.isInitialized) await second.destroy();
    await db?.close();
  });

  it('two engines with their own connection pools, stepping the same customers at once, never both pass a cap of 1', async () => {
    db = await openTestDatabase('postgres');
    second = await openDatabase(db.target);
    const clock = new VirtualClock(T0);
    const repo = new FlowRepository(db.dataSource);
    // Same priority: whichever worker locks the customer first wins; the other must see its row.
    await repo.publish(oneSend('flow-a', 'go', {}), 'test', T0 - MS_PER_HOUR);
    await repo.publish(oneSend('flow-b', 'go2', {}), 'test', T0 - MS_PER_HOUR);
    const n = 200;
    const ids = await addCustomers(db.dataSource, Array.from({ length: n }, (_, i) => ({ externalId: `race-${i}` })), T0);
    const tight = PolicySchema.parse({ caps: [{ id: 'one-ever', max: 1, window: '30d' }] });
    const a = engineOn(db.dataSource, clock, tight);
    const b = engineOn(second, clock, tight);
    const evA = [];
    const evB = [];
    for (const id of ids) {
      evA.push(await addEvent(db.dataSource, id, 'go', {}, T0));
      evB.push(await addEvent(db.dataSource, id, 'go2', {}, T0));
    }
    await a.onEvents(evA);
    await a.onEvents(evB);
    // Worker A steps flow-a's enrollments while worker B steps flow-b's, concurrently; batches of 20
    // interleave so both hold transactions on the same customers at the same moment.
    const due = await queryRows<{ id: number; flow_id: string }>(db.dataSource, 'SELECT id, flow_id FROM enrollments ORDER BY id');
    const all = await a.stepper['ctx'].store.dueEnrollments(clock.now(), 10_000, null);
    const ofFlow = (f: string) => all.filter((e) => e.flowId === f);
    expect(due.length).toBe(2 * n);
    const run = async (eng: JourneyEngine, batch: typeof all) => {
      for (let i = 0; i < batch.length; i += 20) await eng.stepper.stepBatch(batch.slice(i, i + 20), clock.now());
    };
    await Promise.all([run(a, ofFlow('flow-a')), run(b, ofFlow('flow-b'))]);
    const perCustomer = await queryRows<{ customer_id: number; queued: number; total: number }>(
      db.dataSource,
      `SELECT customer_id, SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS queued, COUNT(*) AS total FROM sends GROUP BY customer_id`,
    );
    expect(perCustomer).toHaveLength(n);
    expect(perCustomer.filter((r) => Number(r.queued) !== 1)).toEqual([]);
    expect(perCustomer.filter((r) => Number(r.total) !== 2)).toEqual([]);
  });
});
