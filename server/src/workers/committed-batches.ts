import type { StepJobResult } from '../core/engine/step-queue.js';

/** How many committed-but-not-yet-acknowledged batches are remembered (a worker has a few in hand). */
const KEPT = 1000;

/**
 * The batches this worker has committed to the database whose job BullMQ has not yet marked done,
 * so that a failure to mark one done can be told for what it is. When Redis restarts empty while a
 * batch is being stepped, the batch still commits in PostgreSQL, and then BullMQ's
 * `moveToFinished` finds no job: it said `worker: Redis at …: Missing key for job … moveToFinished
 * (retrying)`, which reads as if the batch would be stepped again. It is not: the batch is
 * committed and its job is gone, so nothing repeats it (and were it planned again, its journeys
 * are no longer due: stepStored re-reads them under lock and steps only those still due).
 */
export class CommittedBatches {
  private readonly done = new Map<string, StepJobResult>();

  /** The batch's transaction committed with these figures. */
  committed(jobId: string | undefined, r: StepJobResult): void {
    if (jobId === undefined) return;
    this.done.set(jobId, r);
    if (this.done.size > KEPT) this.done.delete(this.done.keys().next().value as string);
  }

  /** BullMQ marked the job done (or failed): nothing left to explain about it. */
  settled(jobId: string | undefined): void {
    if (jobId !== undefined) this.done.delete(jobId);
  }

  /**
   * What a queue error means for a batch of this worker, in words; null when it is not about
   * finishing a batch's job (a connection error, said as before).
   */
  explain(err: Error): string | null {
    // moveToFinished (marking it done), then moveToDelayed/retryJob (BullMQ treats the failure to
    // mark it done as the job failing and tries to schedule a retry): the same lost job, the same words.
    const finish = /^(?:Missing key|Missing lock|Lock mismatch) for job (.+?)\.? (?:Cmd )?(?:moveToFinished|moveToDelayed|retryJob|moveToWait)/.exec(err.message);
    if (finish) {
      const id = finish[1];
      const r = this.done.get(id);
      if (r) {
        return `batch ${id} was already committed (${r.steps} step(s), ${r.sends} send(s)), but Redis no longer has its job (Redis restarted empty or was flushed), so it cannot be marked done there. Nothing is repeated and nothing is retried: the batch's work is in the database.`;
      }
      return `batch ${id} did not commit (its transaction rolled back) and Redis no longer has its job (Redis restarted empty or was flushed), so the queue will not retry it. Nothing is lost: its journeys are still due in the database and the planner plans them again at its next tick.`;
    }
    const lock = /^could not renew lock for job (.+)$/.exec(err.message);
    if (lock) return `batch ${lock[1]}: Redis no longer holds the job's lock (Redis restarted empty or was flushed?). The batch carries on and commits or rolls back whole in the database; no other worker can step its journeys meanwhile (they are locked there).`;
    return null;
  }
}
