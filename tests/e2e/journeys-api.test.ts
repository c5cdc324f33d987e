import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe.each(DIALECTS)('journeys over HTTP on %s', (dialect) => {
  let app: INestApplication;
  let api: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let customerId: number;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-api-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    writeFileSync(join(rules, 'flows', 'broken.flow.yaml'), 'id: broken\nname: Broken\nnodes:\n  - id: start\n    type: entry\n    trigger:\n      type: event\n      event: click\n    next: gone\n');
    const t = await freshTarget(dialect);
    drop = t.drop;
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
    expect(res.body.find((f: { id: string }) => f.id === 'payment-reminder')).toMatchObject({ status: 'draft', currentVersion: null });
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

  it('pauses, resumes and stops over the API; a stopped flow cannot be paused', async () => {
    await http().post('/api/flows/payment-reminder/pause').expect(200, { flowId: 'payment-reminder', status: 'paused' });
    await http().post('/api/flows/payment-reminder/resume').expect(200, { flowId: 'payment-reminder', status: 'active' });
    const stop = await http().post('/api/flows/payment-reminder/stop').expect(200);
    expect(stop.body.status).toBe('stopped');
    await http().post('/api/flows/payment-reminder/pause').expect(409);
    await http().post('/api/flows/payment-reminder/explode').expect(400);
  });
});
