import type { Queue } from 'bullmq';

/** How many stepping jobs are where, as BullMQ counts them (the `/metrics` step-queue gauges). */
export interface StepQueueDepth {
  /** Waiting for a worker (BullMQ's `wait` list, plus `prioritized`, which Rekindle does not use). */
  waiting: number;
  /** Being stepped: one per busy worker and concurrency slot. */
  active: number;
  /** Waiting for a retry (back-off after a failed attempt). */
  delayed: number;
  /** Failed every attempt (kept a day, `removeOnFail`). */
  failed: number;
  /** When the oldest waiting job was added (Unix ms, the adding process's wall clock), or null when none waits. */
  oldestWaitingAt: number | null;
}

/**
 * Reads the queue's depth through BullMQ's own API: one `getJobCounts` (a single Redis round trip)
 * and, only when jobs wait, the oldest waiting job (`getJobs(['waiting'], 0, 0, asc)`: one list
 * index and one hash read). Never touches a job's data beyond its timestamp.
 */
export async function readStepQueueDepth(queue: Pick<Queue, 'getJobCounts' | 'getJobs'>): Promise<StepQueueDepth> {
  const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
  const waiting = (c.waiting ?? 0) + (c.prioritized ?? 0);
  let oldestWaitingAt: number | null = null;
  if ((c.waiting ?? 0) > 0) {
    const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
    oldestWaitingAt = oldest?.timestamp ?? null;
  }
  return { waiting, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, oldestWaitingAt };
}
