/**
 * The step queue's depth on /metrics when the server hands stepping to BullMQ workers
 * (REKINDLE_STEP_QUEUE=bullmq, docs/scale-out.md): jobs waiting, active, delayed and failed, and
 * the oldest waiting job’s age, read from BullMQ (real Redis at 127.0.0.1:6379, under a key prefix
 * of this run's own) when Prometheus scrapes. The Redis-down case is in
 * step-queue-metrics-redis-down.test.ts (the queue settings are read once per module load).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Worker, type Queue } from 'bullmq';
import { bullMqMetricsApp, type BullMqMetricsApp } from '../support/bullmq-metrics-app.js';
import type { TestApp } from '../support/http-app.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('step queue depth on /metrics (REKINDLE_STEP_QUEUE=bullmq, Redis up)', () => {
  let server: BullMqMetricsApp;
  let api: TestApp;
  let queue: Queue;
  let worker: Worker;
  let token: string;
  const env = { REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_QUEUE_BACKEND: 'redis', REKINDLE_QUEUE_PREFIX: `rekindle-test-qmetrics-${process.pid}-${Date.now()}` };
  const q = (state: string) => `rekindle_step_queue_jobs{queue="rekindle-steps",state="${state}"}`;

  beforeAll(async () => {
    server = await bullMqMetricsApp(env, T0);
    ({ api, token } = server);
    const { makeQueue } = await import('../../server/src/workers/queue-backend.js');
    const { queueSettings } = await import('../../server/src/workers/queue-settings.js');
    queue = makeQueue(queueSettings());
    // A worker without a processor: the test takes jobs by hand, so each state is reached exactly.
    worker = new Worker(queueSettings().name, undefined, { connection: { url: queueSettings().redisUrl }, prefix: queueSettings().prefix, autorun: false });
  }, 60_000);

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await worker?.close();
    await queue?.close();
    await server?.close();
  });

  const scrape = async () => (await api.http('anonymous').get('/metrics').set('Authorization', `Bearer ${token}`).expect(200)).text;

  it('an empty queue: up 1, every state 0, oldest waiting age 0', async () => {
    const text = await scrape();
    expect(sample(text, 'rekindle_step_queue_up{queue="rekindle-steps"}')).toBe(1);
    for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(sample(text, q(state))).toBe(0);
    expect(sample(text, 'rekindle_step_queue_oldest_waiting_age_seconds{queue="rekindle-steps"}')).toBe(0);
  });

  it('counts the jobs waiting, active, delayed and failed, and the oldest waiting job’s age', async () => {
    // Two jobs taken by the "worker": one fails its only attempt, one stays active.
    await queue.add('step', { n: 1 }, { attempts: 1 });
    await queue.add('step', { n: 2 });
    const failing = await worker.getNextJob('token-a');
    await failing!.moveToFailed(new Error('boom'), 'token-a');
    expect(await worker.getNextJob('token-b')).toBeDefined();
    // Three wait, the oldest added two minutes ago; one waits for its retry back-off.
    await queue.add('step', { n: 3 }, { timestamp: Date.now() - 120_000 });
    await queue.add('step', { n: 4 });
    await queue.add('step', { n: 5 });
    await queue.add('step', { n: 6 }, { delay: 3_600_000 });

    const text = await scrape();
    expect(sample(text, 'rekindle_step_queue_up{queue="rekindle-steps"}')).toBe(1);
    expect(sample(text, q('waiting'))).toBe(3);
    expect(sample(text, q('active'))).toBe(1);
    expect(sample(text, q('delayed'))).toBe(1);
    expect(sample(text, q('failed'))).toBe(1);
    const age = sample(text, 'rekindle_step_queue_oldest_waiting_age_seconds{queue="rekindle-steps"}')!;
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(3600);
  });

  it('the dashboard queries only step-queue series that exist', async () => {
    const text = await scrape();
    const dashboard = readFileSync(join(process.cwd(), 'docs/grafana/rekindle-dashboard.json'), 'utf8');
    const queried = new Set([...dashboard.matchAll(/\b(rekindle_step_queue_[a-z0-9_]+)/g)].map((m) => m[1]));
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    expect(queried.size).toBeGreaterThanOrEqual(3);
    expect([...queried].filter((n) => !exposed.has(n))).toEqual([]);
  });

  it('the queue figures are behind the same door as the rest: anonymous 401, other roles 403', async () => {
    await api.http('anonymous').get('/metrics').expect(401);
    await api.http('marketer').get('/metrics').expect(403);
    await api.http('analyst').get('/metrics').expect(403);
    expect((await api.http('admin').get('/metrics').expect(200)).text).toContain('rekindle_step_queue_jobs');
  });
});
