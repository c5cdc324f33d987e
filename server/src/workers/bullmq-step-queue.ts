import type { Job, Queue, QueueEvents } from 'bullmq';
import type { StepJob, StepJobResult, StepQueue } from '../core/engine/step-queue.js';
import type { ShopStamp } from '../persistence/shop-identity.js';
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
  /** A job carries ids only (step-job.ts): the worker re-reads and locks the rows. */
  readonly idsOnly = true;
  private readonly events: QueueEvents;
  private pending: Job<StepJobData, StepJobResult>[] = [];
  private ready: Promise<unknown>;

  /**
   * `events` listens to the same queue (its own connection): completions end `drain`.
   * `checkMs` (default 10 s): how often `drain` also asks the queue about its jobs, so a job that
   * vanished (Redis restarted without its data) or whose event was missed cannot hold a tick forever.
   * `stamp`: the planner's shop, put on every job so a worker on another database gives it back (shop-check.ts).
   * `lostLease`: why this planner may no longer queue batches (runtime/planner-turn.ts), asked before each one.
   */
  constructor(
    private readonly queue: Queue<StepJobData, StepJobResult>,
    events: QueueEvents,
    private readonly opts: { attempts?: number; checkMs?: number; stamp?: ShopStamp | Promise<ShopStamp>; lostLease?: () => string | null } = {},
  ) {
    this.events = events;
    // Every waiting job listens for its completion: hundreds per tick is expected, not a leak.
    this.queue.setMaxListeners(0);
    this.events.setMaxListeners(0);
    this.ready = this.events.waitUntilReady();
  }

  async submit(job: StepJob): Promise<null> {
    if (job.enrollments.length === 0) return null;
    const lost = this.opts.lostLease?.();
    if (lost) throw new Error(lost);
    await this.ready;
    const data = toJobData(job, await this.opts.stamp);
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
    const results = await Promise.allSettled(jobs.map((j) => this.finished(j)));
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

  /**
   * The job's result, from its completion event or, every `checkMs`, from the queue itself. A job
   * the queue no longer knows fails the drain (and so the tick, which is logged): its enrollments
   * are still due in PostgreSQL, so the next tick plans them again.
   */
  private finished(job: Job<StepJobData, StepJobResult>): Promise<StepJobResult> {
    return new Promise<StepJobResult>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearInterval(check);
        f();
      };
      let asking = false;
      const check = setInterval(async () => {
        if (asking) return; // the last question has not been answered yet (Redis down)
        asking = true;
        try {
          const state = await this.queue.getJobState(job.id!);
          if (state === 'unknown') settle(() => reject(new Error(`job ${job.id} vanished from the queue (was Redis restarted without its data?); its enrollments stay due and the next tick plans them again`)));
          else if (state === 'completed') {
            const done = await this.queue.getJob(job.id!);
            settle(() => resolve(done?.returnvalue ?? { steps: 0, sends: 0, exited: 0 }));
          } else if (state === 'failed') {
            const failed = await this.queue.getJob(job.id!);
            settle(() => reject(new Error(failed?.failedReason || `job ${job.id} failed`)));
          }
        } catch {
          // The queue is unreachable right now: the next check asks again.
        } finally {
          asking = false;
        }
      }, this.opts.checkMs ?? 10_000);
      job.waitUntilFinished(this.events).then(
        (r) => settle(() => resolve(r)),
        (e) => settle(() => reject(e)),
      );
    });
  }

  /** Jobs waiting, running and waiting for a retry: the queue depth to watch. */
  async depth(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
  }

  /** Nothing of its own to close: the queue and its events belong to whoever made them. */
  async close(): Promise<void> {}
}
