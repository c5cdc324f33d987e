/**
 * The intake view (GET /api/events/intake, the designer's live view) counts what a flow still has
 * to act on and shows a longest lag that falls back (issue 9's event-intake view):
 * - `pending` of the payment reminder counted only new orders (its trigger); a payment still in the
 *   inbox — the event that ends the reminder — is work it has yet to do and is now counted too,
 *   by type.
 * - the longest lag was the worst ever and never fell back; `recentMaxLagMs` is the longest within
 *   the last 15 minutes (`window.since` says from when), so the view shows a backlog recovering.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { ENGINE_RUNTIME } from '../../server/src/api/journeys/engine-runtime.provider.js';
import type { EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-11T12:00:30+08:00');
const MINUTE = 60_000;

describe.each(DIALECTS)('the intake view on %s', (dialect) => {
  let t: TestApp;
  let ds: DataSource;
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
    ds = await openDatabase(target.target);
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name,consent_sms\nc1,Wang,true\nc2,Li,true\n').expect(200);
    await t.http().post('/api/flows/payment-reminder/publish').send({}).expect(200);
  });
  afterAll(async () => {
    await ds?.destroy();
    await t?.close();
    await drop?.();
  });

  /** An event stored by another process (an import, another server) that this server has not consumed yet. */
  async function storeBehindTheServer(customer: string, type: string, orderId: string, receivedAt: number): Promise<void> {
    const [c] = await queryRows(ds, 'SELECT id FROM customers WHERE external_id = ?', [customer]);
    await ds.query(`INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, client_id, received_at) VALUES (${dialect === 'sqlite' ? '?, ?, ?, ?, ?' : '$1, $2, $3, $4, $5'}, '', ${dialect === 'sqlite' ? '?' : '$6'})`, [
      Number(c.id),
      type,
      JSON.stringify({ orderId }),
      receivedAt,
      `order:${orderId}:${type}`,
      receivedAt,
    ]);
    const [row] = await queryRows(ds, 'SELECT id FROM customer_events WHERE idempotency_key = ?', [`order:${orderId}:${type}`]);
    await ds.query(`INSERT INTO event_inbox (event_id, received_at) VALUES (${dialect === 'sqlite' ? '?, ?' : '$1, $2'})`, [Number(row.id), receivedAt]);
  }

  const intake = async () => (await t.http('analyst').get('/api/events/intake').expect(200)).body;
  const reminder = async () => (await intake()).flows.find((f: { flowId: string }) => f.flowId === 'payment-reminder');

  it("counts a payment still in the inbox as pending for the payment reminder (it ends the reminder), by type", async () => {
    await t.http().post('/api/orders').send({ externalId: 'o-1', customerExternalId: 'c1', status: 'created', amount: 99, createdAt: new Date(NOW - 30 * MINUTE).toISOString(), items: [] }).expect(200);
    await t.http().post('/api/engine/tick').expect(200);
    expect((await reminder()).enrolled).toBe(1);

    await storeBehindTheServer('c1', 'order_paid', 'o-1', NOW - 4 * MINUTE);
    await storeBehindTheServer('c2', 'order_created', 'o-2', NOW - 2 * MINUTE);
    const r = await reminder();
    expect(r).toMatchObject({ event: 'order_created', exitEvents: ['order_paid', 'order_cancelled'], awaitedEvents: [], pending: 2, pendingByType: { order_created: 1, order_paid: 1 }, oldestPendingAgeMs: 4 * MINUTE, dueJourneys: 0 });
  });

  it("counts a journey the payment woke and no tick has stepped yet as due for the flow", async () => {
    // The intake alone (no stepping): the payment is consumed and wakes o-1's reminder.
    const app = t.app.get(ENGINE_RUNTIME) as EngineRuntime;
    await app.intake.drain();
    const body = await intake();
    const r = body.flows.find((f: { flowId: string }) => f.flowId === 'payment-reminder');
    expect(r).toMatchObject({ pending: 0, dueJourneys: 1 });
    expect(body.dueCapped).toBe(false);
  });

  it('reports the longest lag of the last 15 minutes, which falls back once the backlog has gone (the worst ever stays apart)', async () => {
    await t.http().post('/api/engine/tick').expect(200);
    let body = await intake();
    let r = body.flows.find((f: { flowId: string }) => f.flowId === 'payment-reminder');
    expect(r).toMatchObject({ pending: 0, pendingByType: {}, oldestPendingAgeMs: null, recentMaxLagMs: 4 * MINUTE, maxLagMs: 4 * MINUTE });
    expect(body.recentMaxLagMs).toBe(4 * MINUTE);
    expect(body.window).toEqual({ minutes: 15, since: new Date(Math.floor(NOW / MINUTE) * MINUTE - 14 * MINUTE).toISOString() });
    // The payment was acted on: the reminder of o-1 ended, and o-2's reminder started.
    const [paid] = await queryRows(ds, "SELECT status, exit_reason FROM enrollments WHERE flow_id = 'payment-reminder' AND journey_key = 'o-1'");
    expect(paid).toMatchObject({ exit_reason: 'order_paid' });

    // Quiet events later: the window's figure follows the recent lag; 16 minutes on it is empty.
    clock.advance(5 * MINUTE);
    await t.http().post('/api/orders').send({ externalId: 'o-3', customerExternalId: 'c2', status: 'created', amount: 5, createdAt: new Date(clock.now()).toISOString(), items: [] }).expect(200);
    await t.http().post('/api/engine/tick').expect(200);
    clock.advance(16 * MINUTE);
    body = await intake();
    r = body.flows.find((f: { flowId: string }) => f.flowId === 'payment-reminder');
    expect(r).toMatchObject({ recentMaxLagMs: null, recentEvents: 0, maxLagMs: 4 * MINUTE });
    expect(body.recentMaxLagMs).toBeNull();
    // Older minutes are pruned as events are consumed: nothing older than an hour is kept.
    clock.advance(2 * MS_PER_HOUR);
    await t.http().post('/api/orders').send({ externalId: 'o-4', customerExternalId: 'c1', status: 'created', amount: 5, createdAt: new Date(clock.now()).toISOString(), items: [] }).expect(200);
    await t.http().post('/api/engine/tick').expect(200);
    const [old] = await queryRows(ds, 'SELECT COUNT(*) AS n FROM event_intake_lag_minutes WHERE minute < ?', [clock.now() - MS_PER_HOUR - MINUTE]);
    expect(Number(old.n)).toBe(0);
    expect((await reminder()).recentMaxLagMs).toEqual(expect.any(Number));
  });

  it('is refused without credentials (401) and to a token without a role (403)', async () => {
    await t.http('anonymous').get('/api/events/intake').expect(401);
    const { token } = await t.accounts.createToken('feed-only', ['events:write'], 'test');
    await t.http('anonymous').get('/api/events/intake').set('Authorization', `Bearer ${token}`).expect(403);
  });
});
