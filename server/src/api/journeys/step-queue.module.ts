import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { DynamicModule, Provider } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, type Queue } from 'bullmq';
import type { StepJobResult } from '../../core/engine/step-queue.js';
import type { Stepper } from '../../core/engine/stepper.js';
import type { StepQueue } from '../../core/engine/step-queue.js';
import { BullMqStepQueue } from '../../workers/bullmq-step-queue.js';
import { checkQueueBackend, makeQueueEvents, queueConnection } from '../../workers/queue-backend.js';
import { queueSettings, stepQueueMode } from '../../workers/queue-settings.js';
import type { StepJobData } from '../../workers/step-job.js';

/** How the engine's stepper hands over batches: undefined = in this process (the default). */
export const STEP_QUEUE_FACTORY = Symbol('StepQueueFactory');
export type StepQueueFactory = ((stepper: Stepper) => StepQueue) | undefined;

/**
 * With REKINDLE_STEP_QUEUE=bullmq the server is the planner: its ticker puts each batch on the
 * BullMQ queue (registered through @nestjs/bullmq) and `rekindle worker` processes step them.
 * Otherwise (the default, and always for `npm start` on SQLite) nothing is registered and the
 * stepper runs batches in-process.
 */
export function stepQueueModules(): DynamicModule[] {
  if (stepQueueMode() !== 'bullmq') return [];
  const s = queueSettings();
  checkQueueBackend(s);
  if (s.backend === 'postgres') setDefaultBackendFactory(createPostgresBackend as never);
  return [BullModule.forRoot({ connection: queueConnection(s) as never, ...(s.backend === 'redis' ? { prefix: s.prefix } : {}) }), BullModule.registerQueue({ name: s.name })];
}

export function stepQueueProvider(): Provider {
  if (stepQueueMode() !== 'bullmq') return { provide: STEP_QUEUE_FACTORY, useValue: undefined };
  const s = queueSettings();
  return {
    provide: STEP_QUEUE_FACTORY,
    inject: [getQueueToken(s.name)],
    useFactory: (queue: Queue<StepJobData, StepJobResult>): StepQueueFactory => {
      const events = makeQueueEvents(s);
      const factory = () => new BullMqStepQueue(queue, events, { attempts: s.attempts });
      // Nest calls this hook on the provider's value when the app closes: the events connection goes too.
      return Object.assign(factory, { onApplicationShutdown: () => events.close() });
    },
  };
}
