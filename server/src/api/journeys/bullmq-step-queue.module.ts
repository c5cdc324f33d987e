import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Logger, type DynamicModule, type Provider } from '@nestjs/common';
import { createPostgresBackend, setDefaultBackendFactory, type Queue } from 'bullmq';
import type { StepJobResult } from '../../core/engine/step-queue.js';
import { setting } from '../../config/settings.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { registerStepQueueGauges } from '../metrics/step-queue-gauges.js';
import { BullMqStepQueue } from '../../workers/bullmq-step-queue.js';
import { checkQueueBackend, makeQueueEvents, queueConnection } from '../../workers/queue-backend.js';
import { closeWithin, reportQueueErrors } from '../../workers/queue-errors.js';
import { queueSettings } from '../../workers/queue-settings.js';
import type { StepJobData } from '../../workers/step-job.js';
import { readStepQueueDepth } from '../../workers/step-queue-depth.js';
import { STEP_QUEUE_FACTORY, type StepQueueFactory } from './step-queue.tokens.js';
import { DataSource } from 'typeorm';
import type { AppOptions } from '../app-options.js';
import { APP_OPTIONS } from '../tokens.js';
import { shownDatabaseUrl } from '../../persistence/data-source.js';
import { shopStampOf } from '../../persistence/shop-identity.js';
import type { PlannerTurn } from '../../runtime/planner-turn.js';
import { PLANNER_TURN } from './planner-turn.provider.js';

/**
 * The planner's side of REKINDLE_STEP_QUEUE=bullmq (step-queue.module.ts loads this file only
 * then): the BullMQ queue registered through @nestjs/bullmq, and the factory that hands the
 * stepper's batches to it.
 */
export function bullmqStepQueueModules(): DynamicModule[] {
  const s = queueSettings();
  checkQueueBackend(s);
  if (s.backend === 'postgres') setDefaultBackendFactory(createPostgresBackend as never);
  return [BullModule.forRoot({ connection: queueConnection(s) as never, ...(s.backend === 'redis' ? { prefix: s.prefix } : {}) }), BullModule.registerQueue({ name: s.name })];
}

export function bullmqStepQueueProviders(): Provider[] {
  return [bullmqStepQueueProvider(), stepQueueGaugesProvider()];
}

/** The queue's depth on /metrics (rekindle_step_queue_*), read from the same injected queue when scraped. */
const STEP_QUEUE_GAUGES = Symbol('STEP_QUEUE_GAUGES');
function stepQueueGaugesProvider(): Provider {
  const s = queueSettings();
  return {
    provide: STEP_QUEUE_GAUGES,
    inject: [RekindleMetrics, getQueueToken(s.name)],
    useFactory: (metrics: RekindleMetrics, queue: Queue) => registerStepQueueGauges(metrics.registry, { queue: s.name, read: () => readStepQueueDepth(queue), timeoutMs: setting('REKINDLE_METRICS_QUEUE_TIMEOUT_MS') }),
  };
}

function bullmqStepQueueProvider(): Provider {
  const s = queueSettings();
  return {
    provide: STEP_QUEUE_FACTORY,
    inject: [getQueueToken(s.name), DataSource, APP_OPTIONS, PLANNER_TURN],
    useFactory: (queue: Queue<StepJobData, StepJobResult>, ds: DataSource, opts: AppOptions, turn: PlannerTurn | null): StepQueueFactory => {
      const events = makeQueueEvents(s);
      // A Redis that is down is logged once per distinct error (without a listener BullMQ printed a
      // stack trace on every reconnect attempt, around one a second per connection).
      const log = new Logger('StepQueue');
      reportQueueErrors('step queue', s, [queue, events], (line) => log.warn(line.trimEnd()));
      // Every job names this shop, so a worker on another database gives it back (workers/shop-check.ts).
      const stamp = shopStampOf(ds, shownDatabaseUrl(opts.database.url));
      stamp.catch(() => undefined); // said by the first submit that awaits it
      const factory = () => new BullMqStepQueue(queue, events, { attempts: s.attempts, stamp, lostLease: turn?.lostLease });
      // Nest calls this hook on the provider's value when the app closes: the events connection goes too
      // (within 3 s: BullMQ's QueueEvents.close waits forever for a Redis that is down).
      return Object.assign(factory, { onApplicationShutdown: () => closeWithin(events) });
    },
  };
}
