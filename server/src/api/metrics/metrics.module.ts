import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import { CLOCK } from '../tokens.js';
import { MetricsController } from './metrics.controller.js';
import { RekindleMetrics } from './rekindle-metrics.js';

/** Prometheus metrics: the registry (also the engine's observer, see journeys' runtime provider) and /metrics. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [{ provide: RekindleMetrics, inject: [DataSource, CLOCK], useFactory: (ds: DataSource, clock: Clock) => new RekindleMetrics(ds, clock) }],
  exports: [RekindleMetrics],
})
export class MetricsModule {}
