import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { loadSettings } from '../../server/src/config/settings.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { blockReasonLabel } from '../../server/src/api/metrics/rekindle-metrics.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

/** Value of one series in a Prometheus text exposition (labels as written, in order), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function appWith(env: Record<string, string>, clock: VirtualClock): Promise<TestApp> {
  const rules = tempDir('rekindle-metrics-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const db = await freshTarget('sqlite');
  return createTestApp({ database: db.target, rulesDir: rules, clock, schedulers: false, settings: loadSettings({ LOG_LEVEL: 'silent', ...env }) });
}

describe('Prometheus metrics at /metrics', () => {
  let t: TestApp;
  const clock = new VirtualClock(T0);
  beforeAll(async () => {
    t = await appWith({}, clock);
  });
  afterAll(async () => {
    await t?.close();
  });
  const scrape = async () => {
    const r = await t.http().get('/metrics').expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return r.text;
  };

  it('exposes the named series, and they move when a flow sends', async () => {
    const before = await scrape();
    for (const name of [
      'rekindle_sends_total',
      'rekindle_policy_blocks_total',
      'rekindle_engine_steps_total',
      'rekindle_engine_ticks_total',
      'rekindle_journeys_due',
      'rekindle_journeys_oldest_due_age_seconds',
      'rekindle_event_to_journey_lag_seconds',
      'rekindle_event_inbox_pending',
      'rekindle_event_inbox_oldest_age_seconds',
      'rekindle_outbox_due',
      'rekindle_outbox_oldest_due_age_seconds',
      'rekindle_outbox_messages',
      'rekindle_http_request_duration_seconds',
      'process_cpu_seconds_total',
    ]) {
      expect(before).toContain(`# TYPE ${name} `);
    }
    expect(sample(before, 'rekindle_engine_steps_total')).toBe(0);
    expect(sample(before, 'rekindle_sends_total{channel="sms",status="sent"}')).toBeUndefined();

    // Two buyers leave an order unpaid; one has no phone or e-mail, so the policy holds its reminder back.
    const csv = 'externalId,name,phone,email,province,city\nbuyer-1,Buyer One,13800000001,one@example.com,上海,上海\nbuyer-2,Buyer Two,,,上海,上海\n';
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(csv).expect(200);
    await t.http().post('/api/flows/payment-reminder/publish').send({ author: 'ops' }).expect(200);
    for (const [who, order] of [['buyer-1', 'o-1'], ['buyer-2', 'o-2']]) {
      await t.http().post('/api/events').send({ customerExternalId: who, type: 'order_created', properties: { orderId: order }, occurredAt: new Date(T0).toISOString(), idempotencyKey: `order_created:${order}` }).expect((r) => expect([200, 201]).toContain(r.status));
    }
    // The engine takes events from the durable inbox behind the request: wait until it has.
    for (let i = 0; i < 100 && sample(await scrape(), 'rekindle_event_inbox_pending') !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    clock.advance(2 * MS_PER_HOUR + 60_000);
    const due = await scrape();
    expect(sample(due, 'rekindle_event_inbox_pending')).toBe(0);
    expect(sample(due, 'rekindle_journeys_due')).toBe(2);
    expect(sample(due, 'rekindle_journeys_oldest_due_age_seconds')).toBeGreaterThan(0);
    expect(sample(due, 'rekindle_event_to_journey_lag_seconds_count')).toBe(2);

    await t.http().post('/api/engine/tick').expect(200);
    clock.advance(5 * 60_000);
    const queued = await scrape();
    expect(sample(queued, 'rekindle_engine_steps_total')).toBeGreaterThan(0);
    expect(sample(queued, 'rekindle_engine_ticks_total{outcome="ok"}')).toBe(1);
    expect(sample(queued, 'rekindle_journeys_due')).toBe(0);
    expect(sample(queued, 'rekindle_outbox_due')).toBe(1);
    expect(sample(queued, 'rekindle_outbox_oldest_due_age_seconds')).toBeGreaterThanOrEqual(300);
    expect(sample(queued, 'rekindle_outbox_messages{channel="sms",status="queued"}')).toBe(1);
    const blocks = queued.split('\n').filter((l) => l.startsWith('rekindle_policy_blocks_total{'));
    expect(blocks).toEqual([expect.stringMatching(/^rekindle_policy_blocks_total\{reason="no-address:sms"\} 1$/)]);

    await t.http().post('/api/outbox/dispatch').expect((r) => expect([200, 201]).toContain(r.status));
    const sent = await scrape();
    expect(sample(sent, 'rekindle_sends_total{channel="sms",status="sent"}')).toBe(1);
    expect(sample(sent, 'rekindle_sends_total{channel="sms",status="blocked"}')).toBe(1);
    expect(sample(sent, 'rekindle_outbox_due')).toBe(0);
    expect(sample(sent, 'rekindle_outbox_oldest_due_age_seconds')).toBe(0);
    // Latency is labelled by route pattern, not by the concrete URL.
    expect(sample(sent, 'rekindle_http_request_duration_seconds_count{method="POST",route="/api/engine/tick",status_code="200"}')).toBe(1);
    expect(sent).toContain('route="/api/flows/:id/publish"');
    expect(sent).not.toContain('payment-reminder/publish');

    // The Grafana dashboard in docs/ queries only series that exist.
    const dashboard = readFileSync(join(process.cwd(), 'docs/grafana/rekindle-dashboard.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/\b((?:rekindle|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1].replace(/_(bucket|count|sum)$/, '')));
    // The step-queue panels need REKINDLE_STEP_QUEUE=bullmq: step-queue-metrics.test.ts checks them.
    for (const n of queried) if (n.startsWith('rekindle_step_queue_')) queried.delete(n);
    const exposed = new Set([...sent.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    expect([...queried].filter((n) => !exposed.has(n))).toEqual([]);
    expect(queried.size).toBeGreaterThan(12);
  });
});

describe('who may scrape /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await appWith({}, new VirtualClock(T0));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('admits a token with the metrics:read scope (Prometheus) and admins; refuses anonymous callers, other roles and other tokens', async () => {
    const accounts = new AccountStore(t.app.get(DataSource));
    const { token } = await accounts.createToken('prometheus', ['metrics:read'], 'test');
    const { token: feed } = await accounts.createToken('order-feed', ['events:write'], 'test');
    await t.http('anonymous').get('/metrics').expect(401);
    await t.http('anonymous').get('/metrics').set('Authorization', 'Bearer not-a-token').expect(401);
    await t.http('anonymous').get('/metrics').set('Authorization', `Bearer ${feed}`).expect(403);
    await t.http('analyst').get('/metrics').expect(403);
    await t.http('marketer').get('/metrics').expect(403);
    await t.http('admin').get('/metrics').expect(200);
    const ok = await t.http('anonymous').get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('rekindle_sends_total');
    // The scope admits /metrics and nothing else.
    await t.http('anonymous').get('/api/flows').set('Authorization', `Bearer ${token}`).expect(403);
  });

  it('labels policy blocks by rule, never by instant or customer', () => {
    expect(blockReasonLabel('capped:sms-november')).toBe('capped:sms-november');
    expect(blockReasonLabel('given-up:until-2026-12-01T00:00:00.000Z')).toBe('given-up');
    expect(blockReasonLabel('share-limit:double11')).toBe('share-limit');
    expect(blockReasonLabel(null)).toBe('unknown');
  });
});
