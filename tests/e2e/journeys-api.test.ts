import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe.each(DIALECTS)('journeys over HTTP on %s', (dialect) => {
  let app: INestApplication;
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let customerId: number;
  let target: { url: string };
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-api-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'broken.flow.yaml'), 'id: broken\nname: Broken\nnodes:\n  - id: start\n    type: entry\n    trigger:\n      type: event\n      event: click\n    next: gone\n');
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    target = t.target as { url: string };
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    app = api.app;
    ds = app.get(DataSource);
    [customerId] = await addCustomers(ds, [{ externalId: 'buyer-1' }], T0);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const http = () => api.http();
  const event = (type: string, orderId: string, at: number) => ({ customerExternalId: 'buyer-1', type, properties: { orderId }, occurredAt: new Date(at).toISOString(), idempotencyKey: `${type}:${orderId}` });

  it('lists the flow files with their status', async () => {
    const res = await http().get('/api/flows').expect(200);
    expect(res.body.find((f: { id: string }) => f.id === 'payment-reminder')).toMatchObject({ status: 'draft', currentVersion: null, hasFile: true });
  });

  it('refuses to publish a flow with problems, naming file, line and node', async () => {
    const res = await http().post('/api/flows/broken/publish').send({}).expect(422);
    expect(res.body.problems.some((p: { nodeId: string; line: number; message: string }) => p.nodeId === 'start' && p.line > 0 && /missing node "gone"/.test(p.message))).toBe(true);
    await http().post('/api/flows/no-such-flow/publish').send({}).expect(404);
  });

  it('publishes the payment reminder; an order event starts a journey that reminds after 2 hours', async () => {
    // The author is the signed-in account, whatever the body claims.
    const pub = await api.http('marketer').post('/api/flows/payment-reminder/publish').send({ author: 'someone-else' }).expect(200);
    expect(pub.body).toMatchObject({ flowId: 'payment-reminder', version: 1, created: true });
    const [version] = await queryRows(ds, 'SELECT author FROM flow_versions WHERE flow_id = ?', ['payment-reminder']);
    expect(version.author).toBe('marketer');
    await http().post('/api/events').send(event('order_created', 'o-1', T0)).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(2 * MS_PER_HOUR);
    await http().post('/api/engine/tick').expect(200);
    const sends = await queryRows(ds, 'SELECT node_id, channel, status FROM sends WHERE customer_id = ?', [customerId]);
    expect(sends).toHaveLength(1);
    expect(String(sends[0].node_id)).toMatch(/^remind-1/);
  });

  it('ends the journey when the order is paid, and explains every step', async () => {
    clock.advance(MS_PER_HOUR);
    await http().post('/api/events').send(event('order_paid', 'o-1', clock.now())).expect((r) => expect([200, 201]).toContain(r.status));
    await http().post('/api/engine/tick').expect(200);
    const j = await http().get(`/api/customers/${customerId}/journey`).expect(200);
    expect(j.body.journeys).toHaveLength(1);
    expect(j.body.journeys[0]).toMatchObject({ flowId: 'payment-reminder', journeyKey: 'o-1', status: 'completed', exitReason: 'order_paid' });
    expect(j.body.journeys[0].steps.map((s: { outcome: string }) => s.outcome)).toEqual(['entered', 'waited', expect.stringMatching(/yes|no/), 'queued', 'completed:order_paid']);
    await http().get('/api/customers/999999/journey').expect(404);
    // By the external id too, as GET /api/customers/:id takes it (it was a 400 "expected the numeric id" here).
    expect((await http().get('/api/customers/buyer-1/journey').expect(200)).body).toEqual(j.body);
  });

  it("shows an analyst the customer's messages without their text, as the send log does", async () => {
    const marketer = await api.http('marketer').get('/api/customers/buyer-1/journey').expect(200);
    expect(marketer.body.sends.length).toBeGreaterThan(0);
    expect(typeof marketer.body.sends[0].body).toBe('string');
    expect(marketer.body.sends[0].withheld).toBeUndefined();
    // The text carries the customer's tracked link, which records a click as them when opened.
    const analyst = await api.http('analyst').get('/api/customers/buyer-1/journey').expect(200);
    expect(analyst.body.sends.map((s: { body: unknown; withheld: string[] }) => [s.body, s.withheld])).toEqual(marketer.body.sends.map(() => [null, ['body']]));
    expect(analyst.body.sends.map((s: { status: string; node: string }) => [s.node, s.status])).toEqual(marketer.body.sends.map((s: { status: string; node: string }) => [s.node, s.status]));
    expect((await http().get('/api/customers/nobody-here/journey').expect(404)).body.message).toBe('customer "nobody-here" does not exist');
    await api.http('anonymous').get('/api/customers/buyer-1/journey').expect(401);
  });

  it('names the message each send step wrote, so the timeline can say it failed although the step says queued', async () => {
    const [row] = await queryRows(ds, "SELECT id FROM sends WHERE customer_id = ? AND flow_id = 'payment-reminder'", [customerId]);
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'failed', last_error = 'simulated: not delivered' WHERE id = ?", params: [row.id] }]);
    const j = await http().get(`/api/customers/${customerId}/journey`).expect(200);
    const step = j.body.journeys[0].steps.find((s: { outcome: string }) => s.outcome === 'queued');
    expect(step.sendId).toBe(Number(row.id));
    expect(j.body.sends.find((s: { id: number }) => s.id === step.sendId)).toMatchObject({ status: 'failed', error: 'simulated: not delivered', enrollmentId: j.body.journeys[0].enrollmentId });
    // Steps that wrote no message have none.
    expect(j.body.journeys[0].steps.filter((s: { sendId?: number }) => s.sendId !== undefined)).toHaveLength(1);
    await executeBatch(ds, [{ sql: "UPDATE sends SET status = 'queued', last_error = NULL WHERE id = ?", params: [row.id] }]);
  });

  it('importing order history reminds nobody of last year\'s unpaid orders; a fresh unpaid order still starts a reminder', async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const csv = [
      'externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items',
      `old-unpaid,buyer-1,created,120,${iso(clock.now() - 365 * 24 * MS_PER_HOUR)},,,`,
      `day-old,buyer-1,created,80,${iso(clock.now() - 25 * MS_PER_HOUR)},,,`,
      `fresh-unpaid,buyer-1,created,99,${iso(clock.now() - 3 * MS_PER_HOUR)},,,`,
    ].join('\n');
    await http().post('/api/import/orders?format=csv').set('Content-Type', 'text/plain').send(csv).expect(200);
    await http().post('/api/engine/tick').expect(200);
    const keys = (await queryRows(ds, "SELECT journey_key FROM enrollments WHERE flow_id = 'payment-reminder' ORDER BY journey_key")).map((r) => r.journey_key);
    // payment-reminder's trigger has maxAge: 24h — older order events are recorded, not acted on.
    expect(keys).toEqual(['fresh-unpaid', 'o-1']);
    // Its first reminder was due an hour ago: it goes at once.
    const fresh = await queryRows(ds, "SELECT s.node_id FROM sends s JOIN enrollments e ON e.id = s.enrollment_id WHERE e.journey_key = 'fresh-unpaid'");
    expect(fresh.map((r) => String(r.node_id))).toEqual([expect.stringMatching(/^remind-1/)]);
  });

  it('explains an order that started no reminder: the flow was paused when it arrived (by whom, from when to when); imported history was too old', async () => {
    clock.advance(MS_PER_HOUR);
    const pausedAt = clock.now();
    await api.http('marketer').post('/api/flows/payment-reminder/pause').expect(200);
    clock.advance(MS_PER_HOUR / 2);
    await http().post('/api/events').send(event('order_created', 'o-paused', clock.now())).expect((r) => expect([200, 201]).toContain(r.status));
    await http().post('/api/engine/tick').expect(200);
    clock.advance(MS_PER_HOUR / 2);
    const resumedAt = clock.now();
    await http().post('/api/flows/payment-reminder/resume').expect(200);
    await http().post('/api/engine/tick').expect(200);

    // An analyst may ask; the answer names the pause, not only the journeys that did start.
    const j = await api.http('analyst').get(`/api/customers/${customerId}/journey`).expect(200);
    const paused = j.body.missedEntries.find((m: { journeyKey: string }) => m.journeyKey === 'o-paused');
    expect(paused).toMatchObject({
      flowId: 'payment-reminder',
      event: 'order_created',
      reason: { kind: 'paused', since: new Date(pausedAt).toISOString(), by: 'marketer', until: new Date(resumedAt).toISOString(), untilBy: 'admin' },
    });
    expect(paused.why).toBe(
      'no payment-reminder journey started for order_created o-paused (arrived 2026-11-20 14:30 +08:00): the flow was paused when it arrived (paused by marketer at 2026-11-20 14:00 +08:00 until 2026-11-20 15:00 +08:00 (resumed by admin)); a paused flow lets nobody in and does not catch up later',
    );
    // The imported orders older than the trigger's maxAge (24h) are explained too; the journeys that did start are not listed.
    const old = j.body.missedEntries.filter((m: { reason: { kind: string } }) => m.reason.kind === 'event-too-old').map((m: { journeyKey: string }) => m.journeyKey);
    expect(old.sort()).toEqual(['day-old', 'old-unpaid']);
    expect(j.body.missedEntries.map((m: { journeyKey: string }) => m.journeyKey)).not.toContain('fresh-unpaid');

    // `rekindle explain` on the same database says the same, in the shop's time.
    const text = await cli(['--db', target.url, '--rules', rules, 'explain', 'buyer-1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('\nno journey:\n  no payment-reminder journey started for order_created o-paused (arrived 2026-11-20 14:30 +08:00): the flow was paused when it arrived (paused by marketer at 2026-11-20 14:00 +08:00 until 2026-11-20 15:00 +08:00 (resumed by admin))');
    expect(text.stdout).toMatch(/order_created old-unpaid \(arrived [^)]+\): the event happened 2025-11-20 \d\d:\d\d \+08:00, older than the trigger's maxAge 24h/);
  });

  it('pauses, resumes and stops over the API; a stopped flow cannot be paused', async () => {
    await http().post('/api/flows/payment-reminder/pause').expect(200, { flowId: 'payment-reminder', status: 'paused' });
    await http().post('/api/flows/payment-reminder/resume').expect(200, { flowId: 'payment-reminder', status: 'active' });
    const stop = await http().post('/api/flows/payment-reminder/stop').expect(200);
    expect(stop.body.status).toBe('stopped');
    await http().post('/api/flows/payment-reminder/pause').expect(409);
    await http().post('/api/flows/payment-reminder/explode').expect(400);
  });
});
