/**
 * The step-queue gauges' reading rules (server/src/api/metrics/step-queue-gauges.ts), with a fake
 * reader: one read per scrape shared by the three series, a failed or hanging read turns
 * `rekindle_step_queue_up` to 0 and removes the depth series, and a read that hangs is joined by
 * later scrapes instead of being repeated (a dead Redis must not collect one command per scrape).
 */
import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { registerStepQueueGauges } from '../../server/src/api/metrics/step-queue-gauges.js';
import type { StepQueueDepth } from '../../server/src/workers/step-queue-depth.js';

const NOW = Date.parse('2026-11-11T00:00:00Z');
const depth: StepQueueDepth = { waiting: 4, active: 2, delayed: 1, failed: 3, oldestWaitingAt: NOW - 90_000 };

function registryWith(read: () => Promise<StepQueueDepth>) {
  const registry = new Registry();
  let reads = 0;
  registerStepQueueGauges(registry, { queue: 'steps', read: () => (reads++, read()), timeoutMs: 20, now: () => NOW });
  return { registry, reads: () => reads };
}

describe('step queue gauges', () => {
  it('one read per scrape gives every state, the oldest waiting age and up 1', async () => {
    const r = registryWith(async () => depth);
    const text = await r.registry.metrics();
    expect(r.reads()).toBe(1);
    expect(text).toContain('rekindle_step_queue_up{queue="steps"} 1');
    expect(text).toContain('rekindle_step_queue_jobs{queue="steps",state="waiting"} 4');
    expect(text).toContain('rekindle_step_queue_jobs{queue="steps",state="active"} 2');
    expect(text).toContain('rekindle_step_queue_jobs{queue="steps",state="delayed"} 1');
    expect(text).toContain('rekindle_step_queue_jobs{queue="steps",state="failed"} 3');
    expect(text).toContain('rekindle_step_queue_oldest_waiting_age_seconds{queue="steps"} 90');
    await r.registry.metrics();
    expect(r.reads()).toBe(2);
  });

  it('an empty queue has an oldest waiting age of 0', async () => {
    const r = registryWith(async () => ({ ...depth, waiting: 0, oldestWaitingAt: null }));
    expect(await r.registry.metrics()).toContain('rekindle_step_queue_oldest_waiting_age_seconds{queue="steps"} 0');
  });

  it('a failing read: up 0 and no depth series, never an error', async () => {
    const r = registryWith(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    const text = await r.registry.metrics();
    expect(text).toContain('rekindle_step_queue_up{queue="steps"} 0');
    expect(text).not.toMatch(/^rekindle_step_queue_jobs\{/m);
    expect(text).not.toMatch(/^rekindle_step_queue_oldest_waiting_age_seconds\{/m);
  });

  it('a read that never answers: each scrape gives up (up 0) and joins the same pending read', async () => {
    const r = registryWith(() => new Promise<StepQueueDepth>(() => {}));
    for (let i = 0; i < 3; i++) {
      const text = await r.registry.metrics();
      expect(text).toContain('rekindle_step_queue_up{queue="steps"} 0');
      expect(text).not.toMatch(/^rekindle_step_queue_jobs\{/m);
    }
    expect(r.reads()).toBe(1);
  });

  it('after a failure the next scrape reads again and recovers', async () => {
    let fail = true;
    const r = registryWith(async () => {
      if (fail) throw new Error('down');
      return depth;
    });
    expect(await r.registry.metrics()).toContain('rekindle_step_queue_up{queue="steps"} 0');
    fail = false;
    const text = await r.registry.metrics();
    expect(text).toContain('rekindle_step_queue_up{queue="steps"} 1');
    expect(text).toContain('rekindle_step_queue_jobs{queue="steps",state="waiting"} 4');
  });
});
