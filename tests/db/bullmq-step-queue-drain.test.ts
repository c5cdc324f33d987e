/**
 * The planner's wait for its batches (BullMqStepQueue.drain) on BullMQ on Redis never hangs on a
 * job it cannot hear about: a job that vanished from Redis (a restart without its data) fails the
 * drain with a message saying so, and a job whose completion event was missed is found by asking
 * the queue. Each test run has its own Redis key prefix and removes its keys.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import type { Queue, QueueEvents } from 'bullmq';
import type { StepJobResult } from '../../server/src/core/engine/step-queue.js';
import { BullMqStepQueue } from '../../server/src/workers/bullmq-step-queue.js';
import { makeQueue, makeQueueEvents, makeWorker } from '../../server/src/workers/queue-backend.js';
import { queueSettings } from '../../server/src/workers/queue-settings.js';
import type { StepJobData } from '../../server/src/workers/step-job.js';

const settings = queueSettings({ REDIS_URL: process.env.REDIS_URL, REKINDLE_QUEUE: 'steps', REKINDLE_QUEUE_PREFIX: `rekindle-test-drain-${process.pid}-${Date.now()}` });
const batch = (now: number) => ({ now, enrollments: [1, 2, 3].map((id) => ({ id, customerId: id * 10 })) }) as never;

describe('BullMqStepQueue.drain on Redis', () => {
  const queue: Queue<StepJobData, StepJobResult> = makeQueue(settings);
  const closing: { close(): Promise<unknown> }[] = [];

  afterEach(async () => {
    for (const c of closing.splice(0)) await c.close();
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('fails, naming the lost job, when a job vanishes from Redis instead of waiting forever', async () => {
    const events = makeQueueEvents(settings);
    closing.push(events);
    const adapter = new BullMqStepQueue(queue, events, { checkMs: 200 });
    await adapter.submit(batch(1));
    const waiting = adapter.drain();
    waiting.catch(() => undefined);
    await events.waitUntilReady();
    await new Promise((r) => setTimeout(r, 300)); // the drain is listening for the job's completion
    const t = Date.now();
    await queue.drain(); // no worker: the waiting job is deleted, as a Redis restart without persistence would
    await expect(waiting).rejects.toThrow(/1 of 1 stepping job\(s\) failed: job 1-1-3-3 vanished from the queue/);
    expect(Date.now() - t).toBeLessThan(10_000);
  });

  it('finds a finished job by asking the queue when its completion event never arrives', async () => {
    // Events of another queue: the adapter hears nothing about its own jobs.
    const deaf: QueueEvents = makeQueueEvents({ ...settings, name: 'other' });
    const worker = makeWorker<StepJobData, StepJobResult>(settings, async (job) => ({ steps: job.data.ids.length, sends: 1, exited: 0 }));
    closing.push(worker, deaf);
    const adapter = new BullMqStepQueue(queue, deaf, { checkMs: 200 });
    await adapter.submit(batch(2));
    expect(await adapter.drain()).toEqual({ steps: 3, sends: 1, exited: 0 });
  });
});
