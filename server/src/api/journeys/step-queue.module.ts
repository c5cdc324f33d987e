import type { DynamicModule, Provider } from '@nestjs/common';
import { stepQueueMode } from '../../workers/queue-settings.js';
import { STEP_QUEUE_FACTORY } from './step-queue.tokens.js';

export { STEP_QUEUE_FACTORY, type StepQueueFactory } from './step-queue.tokens.js';

/**
 * With REKINDLE_STEP_QUEUE=bullmq the server is the planner: its ticker puts each batch on the
 * BullMQ queue (registered through @nestjs/bullmq) and `rekindle worker` processes step them.
 * Otherwise (the default, and always for `npm start` on SQLite) nothing is registered and the
 * stepper runs batches in-process.
 *
 * The mode is read once, when this module loads (as the journeys module's decorator always did).
 * BullMQ, @nestjs/bullmq and ioredis are loaded only in that mode: every other start of the
 * server (a restart after a crash too) skips a fifth of its module loading.
 */
const bullmq = stepQueueMode() === 'bullmq' ? await import('./bullmq-step-queue.module.js') : null;

export function stepQueueModules(): DynamicModule[] {
  return bullmq ? bullmq.bullmqStepQueueModules() : [];
}

/** The step-queue factory; with BullMQ also the queue-depth gauges on /metrics (docs/observability.md). */
export function stepQueueProviders(): Provider[] {
  return bullmq ? bullmq.bullmqStepQueueProviders() : [{ provide: STEP_QUEUE_FACTORY, useValue: undefined }];
}
