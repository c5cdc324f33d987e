import type { Enrollment } from './model.js';

/** One unit of stepping work: a batch of due enrollments (in customer-id order) at an instant. */
export interface StepJob {
  now: number;
  enrollments: Enrollment[];
}

export interface StepJobResult {
  steps: number;
  sends: number;
  exited: number;
}

/**
 * Where batches of stepping work go. In one process the batch runs right away; with scale-out the
 * BullMQ adapter (server/src/workers/) puts the job (a batch of customers, never one customer) on
 * Redis for worker processes, which run `Stepper.stepStored` on it. The stepper only ever talks to
 * this port.
 */
export interface StepQueue {
  /** Hands over a job; resolves when it has been accepted (in-process: when it has run, with its result). */
  submit(job: StepJob): Promise<StepJobResult | null>;
  /** Waits until every submitted job has finished; returns what the jobs submit did not report. */
  drain(): Promise<StepJobResult | void>;
}

/** Runs each job immediately, in this process. */
export class InProcessStepQueue implements StepQueue {
  constructor(private readonly run: (job: StepJob) => Promise<StepJobResult>) {}

  submit(job: StepJob): Promise<StepJobResult> {
    return this.run(job);
  }

  async drain(): Promise<void> {}
}
