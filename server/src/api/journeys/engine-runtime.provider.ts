import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { STEP_QUEUE_FACTORY, type StepQueueFactory } from './step-queue.module.js';

export const ENGINE_RUNTIME = Symbol('EngineRuntime');

export const engineRuntimeProvider: Provider = {
  provide: ENGINE_RUNTIME,
  inject: [DataSource, WORKSPACE, CLOCK, RekindleMetrics, STEP_QUEUE_FACTORY],
  // The metrics registry observes the engine's ticks and event hand-offs (metrics, readiness).
  // Stepping goes to BullMQ workers when REKINDLE_STEP_QUEUE=bullmq (step-queue.module.ts).
  useFactory: (ds: DataSource, workspace: Workspace, clock: Clock, metrics: RekindleMetrics, queue: StepQueueFactory) => createEngineRuntime(ds, workspace, clock, { observer: metrics, queue, warn: (message) => new Logger('JourneyEngine').error(message) }),
};
