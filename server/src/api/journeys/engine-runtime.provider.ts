import type { Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { RekindleMetrics } from '../metrics/rekindle-metrics.js';
import { CLOCK, WORKSPACE } from '../tokens.js';

export const ENGINE_RUNTIME = Symbol('EngineRuntime');

export const engineRuntimeProvider: Provider = {
  provide: ENGINE_RUNTIME,
  inject: [DataSource, WORKSPACE, CLOCK, RekindleMetrics],
  // The metrics registry observes the engine's ticks and event hand-offs (metrics, readiness).
  useFactory: (ds: DataSource, workspace: Workspace, clock: Clock, metrics: RekindleMetrics) => createEngineRuntime(ds, workspace, clock, { observer: metrics }),
};
