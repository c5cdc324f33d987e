/**
 * /metrics of a server that hands stepping to BullMQ (REKINDLE_STEP_QUEUE=bullmq) while its Redis
 * cannot be reached (a closed port): the scrape still answers, promptly, with
 * `rekindle_step_queue_up 0` and without depth series (absent, not a misleading 0); the database
 * series are there as always.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bullMqMetricsApp, type BullMqMetricsApp } from '../support/bullmq-metrics-app.js';
import type { TestApp } from '../support/http-app.js';
import { unusedPort } from '../support/unused-port.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');


describe('step queue depth on /metrics when Redis is unreachable', () => {
  let server: BullMqMetricsApp;
  let api: TestApp;
  let token: string;
  // The scrape's limit for the queue set below its default: the server uses it (said in the series' help).
  const env: Record<string, string> = { REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_QUEUE_BACKEND: 'redis', REKINDLE_QUEUE_PREFIX: `rekindle-test-qmetrics-down-${process.pid}`, REKINDLE_METRICS_QUEUE_TIMEOUT_MS: '250' };

  beforeAll(async () => {
    env.REDIS_URL = `redis://127.0.0.1:${await unusedPort()}`;
    server = await bullMqMetricsApp(env, T0);
    ({ api, token } = server);
  }, 60_000);

  afterAll(async () => server?.close());

  it('answers 200 with rekindle_step_queue_up 0, no depth series, and the database series', async () => {
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const r = await api.http('anonymous').get('/metrics').set('Authorization', `Bearer ${token}`).expect(200);
      // The scrape gives the queue 250 ms here; without the timeout it would wait for Redis indefinitely.
      // Generous bound: this pins "does not hang", not a latency.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.text).toContain('rekindle_step_queue_up{queue="rekindle-steps"} 0');
      expect(r.text).toContain('# HELP rekindle_step_queue_up Whether the last scrape could read the BullMQ step queue (1) or not: Redis down or slower than 250 ms (REKINDLE_METRICS_QUEUE_TIMEOUT_MS) (0).');
      expect(r.text).not.toMatch(/^rekindle_step_queue_jobs\{/m);
      expect(r.text).not.toMatch(/^rekindle_step_queue_oldest_waiting_age_seconds\{/m);
      expect(r.text).toMatch(/^rekindle_journeys_due \d+/m);
    }
    await api.http('anonymous').get('/metrics').expect(401);
  });
});
