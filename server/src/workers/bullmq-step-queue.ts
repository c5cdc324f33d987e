import type { Job, Queue, QueueEvents } from 'bullmq';
import type { StepJob, StepJobResult, StepQueue } from '../core/engine/step-queue.js';
import { jobIdOf, toJobData, type StepJobData } from './step-job.js';

/**
 * The StepQueue port on BullMQ (Redis): the planner (the server's ticker or `rekindle scheduler`)
 * puts each batch on the queue as one job and, at the end of a tick, waits until workers
 * (`rekindle worker`) have stepped them all. A worker that dies mid-batch leaves its job "active"
 * until BullMQ's stalled-job check moves it back to waiting; the batch's transaction never
 * committed, so the next worker steps it from scratch.
 *
 * Works with a Queue made directly (CLI) or injected by @nestjs/bullmq (server).
 */
export class BullMqStepQueue implements StepQueue {
  private readonly events: QueueEvents;
  private pending: Job<StepJobData, StepJobResult>[] = [];
  private ready: Promise<unknown>;

  /** `events` listens to the same queue (its own connection): completions end `drain`. */
  constructor(
    private readonly queue: Queue<StepJobData, StepJobResult>,
    events: QueueEvents,
    private readonly opts: { attempts?: number } = {},
  ) {
    this.events = events;
    // Every waiting job listens for its completion: hundreds per tick is expected, not a leak.
    this.queue.setMaxListeners(0);
    this.events.setMaxListeners(0);
    this.ready = this.events.waitUntilReady();
  }

  async submit(job: StepJob): Promise<null> {
    if (job.enrollments.length === 0) return null;
    await this.ready;
    const data = toJobData(job);
    const added = await this.queue.add('step', data, {
      jobId: jobIdOf(data),
      attempts: this.opts.attempts ?? 5,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 24 * 3600 },
    });
    this.pending.push(added);
    return null;
  }

  /** Waits for every job submitted since the last drain; returns what they did together. */
  async drain(): Promise<StepJobResult> {
    const jobs = this.pending;
    this.pending = [];
    const total: StepJobResult = { steps: 0, sends: 0, exited: 0 };
    const results = await Promise.allSettled(jobs.map((j) => j.waitUntilFinished(this.events)));
    const failed = results.filter((r) => r.status === 'rejected');
    for (const r of results) {
      if (r.status !== 'fulfilled' || !r.value) continue;
      total.steps += r.value.steps;
      total.sends += r.value.sends;
      total.exited += r.value.exited;
    }
    if (failed.length) throw new Error(`${failed.length} of ${jobs.length} stepping job(s) failed: ${String((failed[0] as PromiseRejectedResult).reason?.message ?? (failed[0] as PromiseRejectedResult).reason)}`);
    return total;
  }

  /** Jobs waiting, running and waiting for a retry: the queue depth to watch. */
  async depth(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  }

  /** Nothing of its own to close: the queue and its events belong to whoever made them. */
  async close(): Promise<void> {}
}
