import type { Worker } from 'bullmq';
import { makeWorker } from './queue-backend.js';
import type { StepJobResult } from '../core/engine/step-queue.js';
import type { Stepper } from '../core/engine/stepper.js';
import type { CommittedBatches } from './committed-batches.js';
import type { QueueSettings } from './queue-settings.js';
import { refsOf, type StepJobData } from './step-job.js';

/**
 * A worker process's side of the queue: takes stepping jobs from BullMQ and runs each as ONE
 * batch transaction (`Stepper.stepStored`: re-read and lock the enrollments, step those still
 * due, commit everything together). BullMQ renews the job's lock while it runs; if the process
 * dies, another worker's stalled-job check hands the job on after `lockMs`.
 * `batches`: told which jobs committed until BullMQ has marked them done, so that a job Redis lost
 * meanwhile can be reported as committed (committed-batches.ts).
 */
export function startStepWorker(stepper: Stepper, s: QueueSettings, onDone?: (r: StepJobResult, ms: number) => void, batches?: CommittedBatches): Worker<StepJobData, StepJobResult> {
  const worker = makeWorker<StepJobData, StepJobResult>(s, async (job) => {
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
