import { Logger, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import type { Settings } from '../../config/settings.js';
import { createEngineRuntime, publicBaseUrlFor } from '../../runtime/engine-runtime.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { CLOCK, SETTINGS, WORKSPACE } from '../tokens.js';
import { STEP_QUEUE_FACTORY, type StepQueueFactory } from './step-queue.module.js';

export const ENGINE_RUNTIME = Symbol('EngineRuntime');

export const engineRuntimeProvider: Provider = {
  provide: ENGINE_RUNTIME,
  inject: [DataSource, WORKSPACE, CLOCK, RekindleMetrics, STEP_QUEUE_FACTORY, SETTINGS],
  // The metrics registry observes the engine's ticks and event hand-offs (metrics, readiness).
  // Stepping goes to BullMQ workers when REKINDLE_STEP_QUEUE=bullmq (step-queue.module.ts).
  // The tracked links in stored bodies: the base URL the server's dispatcher and preview use (channels.module.ts).
  // On a simulation's copy it is built the same; nothing drives it there (api/simulation-copy/live-only.ts).
  useFactory: (ds: DataSource, workspace: Workspace, clock: Clock, metrics: RekindleMetrics, queue: StepQueueFactory, settings: Settings) =>
    createEngineRuntime(ds, workspace, clock, { observer: metrics, queue, warn: (message) => new Logger('JourneyEngine').error(message), publicBaseUrl: publicBaseUrlFor(workspace.rulesDir, settings.REKINDLE_PUBLIC_BASE_URL) }),
};
