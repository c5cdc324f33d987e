import { DelayedError, type Worker } from 'bullmq';
import { makeWorker } from './queue-backend.js';
import type { StepJobResult } from '../core/engine/step-queue.js';
import type { Stepper } from '../core/engine/stepper.js';
import type { CommittedBatches } from './committed-batches.js';
import type { QueueSettings } from './queue-settings.js';
import type { ShopStamp } from '../persistence/shop-identity.js';
import { otherShopsJob } from './shop-check.js';
import { refsOf, type StepJobData } from './step-job.js';

/** How long a job given back by a worker of another shop waits before any worker may take it again. */
const GIVE_BACK_MS = 2000;

/** The worker's shop, and what it does on a job planned on another shop's database (rekindle worker stops). */
export interface ShopGuard {
  mine: ShopStamp;
  onOtherShop(jobId: string | undefined, why: string): void;
}

/**
 * A worker process's side of the queue: takes stepping jobs from BullMQ and runs each as ONE
 * batch transaction (`Stepper.stepStored`: re-read and lock the enrollments, step those still
 * due, commit everything together). BullMQ renews the job's lock while it runs; if the process
 * dies, another worker's stalled-job check hands the job on after `lockMs`.
 * `batches`: told which jobs committed until BullMQ has marked them done, so that a job Redis lost
 * meanwhile can be reported as committed (committed-batches.ts).
 * `shop`: a job planned on another shop's database is given back, not stepped (shop-check.ts).
 */
export function startStepWorker(
  stepper: Stepper,
  s: QueueSettings,
  onDone?: (r: StepJobResult, ms: number) => void,
  batches?: CommittedBatches,
  shop?: ShopGuard,
): Worker<StepJobData, StepJobResult> {
  const worker = makeWorker<StepJobData, StepJobResult>(s, async (job, token) => {
    const wrong = shop ? otherShopsJob(job.data, shop.mine, s.prefix) : null;
    if (wrong !== null) {
      // Given back as it came, without using one of its attempts: delayed a moment, so that this
      // worker (told to stop) does not take it again while a worker of its shop can.
      await job.moveToDelayed(Date.now() + GIVE_BACK_MS, token);
      shop!.onOtherShop(job.id, wrong);
      throw new DelayedError();
    }
    const t = performance.now();
    const r = await stepper.stepStored(job.data.now, refsOf(job.data));
    batches?.committed(job.id, r);
    onDone?.(r, performance.now() - t);
    return r;
  });
  if (batches) {
    worker.on('completed', (job) => batches.settled(job.id));
    worker.on('failed', (job) => batches.settled(job?.id));
  }
  return worker;
}
