import type { Stepper } from '../../core/engine/stepper.js';
import type { StepQueue } from '../../core/engine/step-queue.js';

/** How the engine's stepper hands over batches: undefined = in this process (the default). */
export const STEP_QUEUE_FACTORY = Symbol('StepQueueFactory');
export type StepQueueFactory = ((stepper: Stepper) => StepQueue) | undefined;
