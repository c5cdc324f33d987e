import type { Enrollment } from './model.js';
import type { EnrollmentCursor, EnrollmentRef } from './ports.js';

/**
 * One unit of stepping work: a batch of due enrollments (in customer-id order) at an instant.
 * Whole rows, or only their ids for a queue that says `idsOnly`.
 */
export interface StepJob<E extends EnrollmentRef = Enrollment | EnrollmentRef> {
  now: number;
  enrollments: E[];
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
  /**
   * The queue's workers re-read (and lock) each batch's rows by id (Stepper.stepStored), so the
   * planner reads only the ids of what is due, not whole rows it would throw away.
   */
  readonly idsOnly?: boolean;
  /**
   * The batch after `after` at `now`, when the queue already read it for a job of its own (the switch
   * thread reads the next batch ahead, runtime/switch-precompute.ts): the stepper takes it instead of
   * reading the same rows again. Given at most once; undefined: the stepper reads it itself.
   */
  readAhead?(now: number, after: EnrollmentCursor | null): Enrollment[] | undefined;
  /** Hands over a job; resolves when it has been accepted (in-process: when it has run, with its result). */
  submit(job: StepJob): Promise<StepJobResult | null>;
  /** Waits until every submitted job has finished; returns what the jobs submit did not report. */
  drain(): Promise<StepJobResult | void>;
}

/** Runs each job immediately, in this process. */
export class InProcessStepQueue implements StepQueue {
  readonly idsOnly = false;
  constructor(private readonly run: (job: StepJob<Enrollment>) => Promise<StepJobResult>) {}

  /** Whole rows: this queue is not `idsOnly`, so the stepper hands it what `dueEnrollments` read. */
  submit(job: StepJob): Promise<StepJobResult> {
    return this.run(job as StepJob<Enrollment>);
  }

  async drain(): Promise<void> {}
}
